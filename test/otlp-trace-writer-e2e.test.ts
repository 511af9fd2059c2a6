// End-to-end: the preload exports spans through our one-pass OTLP trace writer (http/protobuf and gRPC)
// to the repo's receiver, and they decode with every field intact; OBS_OTLP_WRITER=upstream still works.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture, fixturesDir } from './support/fixtures-dir.js';
import { startReceiver, type OtlpReceiver } from './support/receiver.js';
import { runFixtureToExit } from './support/spawn.js';

const APP = fixture('otlp-writer-app.mjs');
const WAIT = { timeoutMs: 20_000 };
const OURS = /traces: OTLP (grpc|http\/protobuf) exporter encodes with the one-pass span writer/;

async function run(receiver: OtlpReceiver, protocol: 'grpc' | 'http/protobuf', extra: Record<string, string> = {}): Promise<string> {
  const result = await runFixtureToExit(APP, {
    cwd: fixturesDir, timeoutMs: 60_000,
    env: {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: protocol === 'grpc' ? receiver.grpcUrl : `${receiver.httpUrl}/v1/traces`,
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol, OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none',
      OTEL_SERVICE_NAME: 'writer-e2e', OTEL_LOG_LEVEL: 'debug', ...extra,
    },
  });
  assert.equal(result.timedOut, false);
  assert.equal(result.code, 0, result.stderr);
  return result.stderr;
}

async function checkSpans(receiver: OtlpReceiver, protocol: string): Promise<void> {
  const check = await receiver.waitForSpan((s) => s.name === 'writer check', WAIT);
  const target = await receiver.waitForSpan((s) => s.name === 'linked target', WAIT);
  const server = await receiver.waitForSpan((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/hello', WAIT);
  const client = await receiver.waitForSpan((s) => s.kind === 'CLIENT' && s.traceId === server.traceId, WAIT);
  assert.equal(check.protocol, protocol === 'grpc' ? 'grpc' : 'http');
  assert.equal(check.resource['service.name'], 'writer-e2e');
  assert.deepEqual({ name: check.scope.name, version: check.scope.version }, { name: 'otlp-writer-fixture', version: '1.0.0' });
  assert.match(check.traceId, /^[0-9a-f]{32}$/);
  assert.match(check.spanId, /^[0-9a-f]{16}$/);
  assert.equal(check.kind, 'INTERNAL');
  assert.deepEqual(check.status, { code: 'ERROR', message: 'expected failure' });
  assert.deepEqual(
    Object.fromEntries(Object.entries(check.attributes).filter(([k]) => k.startsWith('check.'))),
    {
      'check.string': 'héllo 🎉', 'check.empty': '', 'check.int': 42, 'check.negative': -7, 'check.big': 2 ** 53 - 1,
      'check.double': 1.5, 'check.bool': true, 'check.strings': ['a', 'b'], 'check.numbers': [1, 2, 3],
    },
  );
  assert.equal(check.events.length, 1);
  assert.equal(check.events[0].name, 'checkpoint');
  assert.deepEqual(check.events[0].attributes, { 'event.step': 2 });
  assert.ok(BigInt(check.endTimeUnixNano) >= BigInt(check.startTimeUnixNano));
  assert.deepEqual(check.links.map((l) => [l.traceId, l.spanId, l.attributes]), [[target.traceId, target.spanId, { 'link.reason': 'test' }]]);
  // The fetch client span is the server span's parent: ids survived hex → bytes → hex on both sides.
  assert.equal(server.parentSpanId, client.spanId);
  assert.equal(server.attributes['http.response.status_code'], 200);
}

for (const protocol of ['http/protobuf', 'grpc'] as const) {
  test(`${protocol}: spans are encoded by our writer and decode intact at the receiver`, async (t) => {
    const receiver = await startReceiver(t);
    const stderr = await run(receiver, protocol);
    assert.match(stderr, OURS);
    await checkSpans(receiver, protocol);
  });
}

test('OBS_OTLP_WRITER=upstream: the SDK serializer encodes, with the same result', async (t) => {
  const receiver = await startReceiver(t);
  const stderr = await run(receiver, 'http/protobuf', { OBS_OTLP_WRITER: 'upstream' });
  assert.doesNotMatch(stderr, OURS);
  await checkSpans(receiver, 'http/protobuf');
});
