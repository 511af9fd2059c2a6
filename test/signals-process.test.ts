// Process metrics of the semantic conventions under the real preload: every process.* metric documented
// in docs/metrics.md is exported, with the documented unit, kind and Prometheus name, and sane values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApp } from './signals-helpers.js';
import { readMetricsDoc } from './support/collector-metrics-doc.js';
import { otlpToPrometheusName, type OtelKind } from './support/collector-otlp-names.js';
import type { ReceivedMetricPoint } from './support/receiver.js';

function kindOf(p: ReceivedMetricPoint): OtelKind | undefined {
  if (p.type === 'gauge') return 'gauge';
  if (p.type === 'sum') return p.monotonic ? 'counter' : 'updowncounter';
  return undefined;
}

test('process metrics: process.cpu.*, process.memory.*, process.thread.count and process.uptime exported with the documented names', async (t) => {
  const { receiver, base } = await startApp(t, 'signals-app/server.mjs');
  await (await fetch(base + '/users/1')).arrayBuffer();
  const documented = [...readMetricsDoc().values()].filter((m) => m.otelName.startsWith('process.') && m.source === 'preload' && m.otelName !== 'process.uncaught_errors');
  assert.deepEqual(documented.map((m) => m.otelName).sort(), [
    'process.cpu.time', 'process.cpu.utilization', 'process.memory.usage', 'process.memory.virtual', 'process.thread.count', 'process.uptime',
  ]);
  // Two collections: utilization is measured between them.
  await receiver.waitFor((r) => documented.every((m) => r.metrics.filter((p) => p.name === m.otelName).length >= 2), {
    timeoutMs: 20_000,
    description: 'every process metric twice',
  });
  for (const m of documented) {
    const p = receiver.metrics.filter((x) => x.name === m.otelName).at(-1)!;
    assert.equal(p.unit, m.unit, `${m.otelName}: unit`);
    assert.equal(kindOf(p), m.kind, `${m.otelName}: kind`);
    assert.equal(otlpToPrometheusName(p.name, p.unit, m.kind as OtelKind), m.name, `${m.otelName}: Prometheus name`);
    assert.equal(p.scope.name, '@org/obs/process');
  }
  const latest = (name: string, mode?: string): number => Number(receiver.metrics.filter((p) => p.name === name && (mode === undefined || p.attributes['cpu.mode'] === mode)).at(-1)!.value);
  assert.ok(latest('process.cpu.time', 'user') > 0, 'user CPU seconds');
  assert.ok(latest('process.cpu.time', 'system') >= 0, 'system CPU seconds');
  const util = latest('process.cpu.utilization', 'user');
  assert.ok(util >= 0 && util <= 1, `utilization ${util} within 0..1`);
  const rss = latest('process.memory.usage');
  assert.ok(rss > 10 * 1024 * 1024, `rss ${rss}`);
  assert.ok(latest('process.memory.virtual') > rss, 'virtual memory exceeds resident');
  assert.ok(latest('process.thread.count') >= 2, 'threads');
  assert.ok(latest('process.uptime') > 0, 'uptime');
});
