// The stack's own road, minus the Docker: the preload's OTLP metrics (name, unit, instrument kind, temporality),
// translated the way Prometheus's OTLP receiver translates them, give exactly the names in docs/metrics.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from './support/fixtures-dir.js';
import { runFixture } from './support/spawn.js';
import { startReceiver, type ReceivedMetricPoint } from './support/receiver.js';
import { readMetricsDoc } from './support/collector-metrics-doc.js';
import { otlpToPrometheusName, type OtelKind } from './support/collector-otlp-names.js';

function kindOf(p: ReceivedMetricPoint): OtelKind | undefined {
  if (p.type === 'histogram') return 'histogram';
  if (p.type === 'gauge') return 'gauge';
  if (p.type === 'sum') return p.monotonic ? 'counter' : 'updowncounter';
  return undefined;
}

void test('OTLP metrics from the preload translate to the documented Prometheus names (cumulative, as Prometheus needs)', { timeout: 60_000 }, async (t) => {
  const receiver = await startReceiver(t);
  const app = await runFixture(fixture('collector-app', 'server.mjs'), {
    t,
    env: {
      ...receiver.envFor(),
      OTEL_SERVICE_NAME: 'collector-otlp',
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      SLOW_MS: '10',
    },
    waitForStdout: /listening on (\d+)/,
    timeoutMs: 55_000,
  });
  const base = `http://127.0.0.1:${app.ready![1]}`;
  for (const p of ['/ok', '/fail', '/users/7', '/slow']) await (await fetch(base + p)).arrayBuffer();

  await receiver.waitFor(
    // An export can fall between the requests above: wait for one that holds the 500 too.
    (r) => ['http.server.request.duration', 'nodejs.eventloop.delay.p99', 'v8js.memory.heap.used'].every((n) => r.metrics.some((m) => m.name === n))
      && r.metrics.some((m) => m.name === 'http.server.request.duration' && m.attributes['http.response.status_code'] === 500),
    { timeoutMs: 20_000, description: 'HTTP and runtime metrics over OTLP' },
  );

  const doc = readMetricsDoc();
  const byOtel = new Map([...doc.values()].map((m) => [m.otelName, m]));
  const seen = new Map<string, ReceivedMetricPoint>();
  for (const p of receiver.metrics) seen.set(p.name, p);
  for (const [name, p] of seen) {
    const kind = kindOf(p);
    assert.ok(kind, `${name}: unexpected type ${p.type}`);
    const documented = byOtel.get(name);
    assert.ok(documented, `${name} (${p.unit}, ${kind}) is not in docs/metrics.md`);
    assert.equal(documented.kind, kind, `${name}: documented kind`);
    assert.equal(documented.unit, p.unit, `${name}: documented unit`);
    assert.equal(otlpToPrometheusName(name, p.unit, kind), documented.name, `${name}: Prometheus name on the stack's path`);
    // Prometheus's OTLP receiver takes cumulative sums and histograms (delta is not what the rules expect).
    if (p.type !== 'gauge') assert.equal(p.temporality, 'cumulative', `${name}: temporality`);
  }
  const http = seen.get('http.server.request.duration')!;
  assert.equal(http.unit, 's');
  assert.equal(http.resource['service.name'], 'collector-otlp', 'service.name becomes job');
  assert.ok(http.resource['service.instance.id'], 'service.instance.id becomes instance');
  const statuses = new Set(receiver.metrics.filter((m) => m.name === 'http.server.request.duration').map((m) => m.attributes['http.response.status_code']));
  assert.ok(statuses.has(500) && statuses.has(200), `status codes seen: ${[...statuses].join(',')}`);
});
