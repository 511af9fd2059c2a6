// End-to-end: a user who sets only OTEL_EXPORTER_OTLP_ENDPOINT (plus, for gRPC, the generic protocol)
// gets all three signals at that one endpoint, although our per-signal defaults differ (traces gRPC,
// metrics and logs HTTP).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture, fixturesDir } from './support/fixtures-dir.js';
import { startReceiver, type OtlpReceiver } from './support/receiver.js';
import { runFixtureToExit } from './support/spawn.js';

const APP = fixture('e2e-basic', 'app.mjs');
const WAIT = { timeoutMs: 20_000 };

async function runWith(receiver: OtlpReceiver, env: Record<string, string>): Promise<void> {
  // No per-signal variables at all: only what a user would set.
  const result = await runFixtureToExit(APP, { cwd: fixturesDir, timeoutMs: 60_000, env: { ...env, OTEL_METRIC_EXPORT_INTERVAL: '5000' } });
  assert.equal(result.timedOut, false);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  await receiver.waitForSpan((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/hello', WAIT);
  await receiver.waitForMetric('http.server.request.duration', WAIT);
  await receiver.waitForLog((l) => l.body === 'hello served', WAIT);
}

function protocolsBySignal(receiver: OtlpReceiver): Record<string, string[]> {
  const out: Record<string, Set<string>> = { traces: new Set(), metrics: new Set(), logs: new Set() };
  for (const r of receiver.requests) out[r.signal].add(`${r.protocol}/${r.encoding}`);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v]]));
}

test('only OTEL_EXPORTER_OTLP_ENDPOINT, at an HTTP port: traces, metrics and logs all arrive there over http/protobuf', async (t) => {
  const receiver = await startReceiver(t);
  await runWith(receiver, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.httpUrl });
  assert.deepEqual(protocolsBySignal(receiver), { traces: ['http/protobuf'], metrics: ['http/protobuf'], logs: ['http/protobuf'] });
});

test('OTEL_EXPORTER_OTLP_ENDPOINT at a gRPC port with OTEL_EXPORTER_OTLP_PROTOCOL=grpc: traces, metrics and logs all arrive over gRPC', async (t) => {
  const receiver = await startReceiver(t);
  await runWith(receiver, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcUrl, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
  assert.deepEqual(protocolsBySignal(receiver), { traces: ['grpc/protobuf'], metrics: ['grpc/protobuf'], logs: ['grpc/protobuf'] });
});
