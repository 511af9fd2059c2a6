// Crash capture: telemetry for uncaught exceptions and unhandled rejections reaches the collector,
// and the process's stderr and exit code are those of the same app run without the preload.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from './support/fixtures-dir.js';
import { runFixtureToExit } from './support/spawn.js';
import { startReceiver, type OtlpReceiver } from './support/receiver.js';

const APP = fixture('safety-crash.mjs');

/**
 * stderr without our own prefixed lines, and without the frames of Node's own scheduling below the
 * app's: whether an unhandled rejection is processed after the timers phase or between two timer lists
 * (`runNextTicks` / `processTimers`) depends on which other timers expire in the same turn — ours or
 * anyone's — not on what the app sees. The message, the app's frames and the exit code must match.
 */
function appStderr(s: string): string {
  return s.split('\n').filter((l) => !l.startsWith('@org/obs: ') && !/^\s+at (process\.)?(processTicksAndRejections|runNextTicks|processTimers|listOnTimeout) \(node:internal\//.test(l)).join('\n');
}

async function bothWays(mode: string, receiver: OtlpReceiver, extraEnv: Record<string, string> = {}) {
  const plain = await runFixtureToExit(APP, { args: [mode], preload: false, timeoutMs: 30_000 });
  const withObs = await runFixtureToExit(APP, { args: [mode], env: { ...receiver.envFor(), ...extraEnv }, timeoutMs: 30_000 });
  return { plain, withObs };
}

for (const [mode, type, origin] of [
  ['throw', 'TypeError', 'uncaughtException'],
  ['reject', 'RangeError', 'unhandledRejection'],
  ['reject-string', 'Error', 'unhandledRejection'],
] as const) {
  test(`${mode}: same exit code and stderr as without the preload; span, FATAL log and counter received`, async (t) => {
    const receiver = await startReceiver(t);
    const { plain, withObs } = await bothWays(mode, receiver);
    assert.equal(plain.code, 1);
    assert.equal(withObs.code, plain.code);
    assert.equal(withObs.signal, plain.signal);
    assert.equal(appStderr(withObs.stderr), appStderr(plain.stderr));

    const span = await receiver.waitForSpan((s) => s.kind === 'SERVER' && s.status.code === 'ERROR');
    const event = span.events.find((e) => e.name === 'exception');
    assert.ok(event, 'exception event on the active span');
    if (mode !== 'reject-string') assert.equal(event.attributes['exception.type'], type);
    const log = await receiver.waitForLog((l) => l.severityText === 'FATAL');
    assert.equal(log.severityNumber, 21);
    assert.equal(log.attributes['exception.origin'], origin);
    assert.equal(typeof log.attributes['exception.message'], 'string');
    if (mode !== 'reject-string') {
      assert.equal(log.attributes['exception.type'], type);
      assert.match(String(log.attributes['exception.stacktrace']), /safety-crash\.mjs/);
    }
    assert.equal(log.traceId, span.traceId, 'the log record is correlated with the crashed request');
    const point = await receiver.waitForMetric('process.uncaught_errors');
    assert.equal(point.value, 1);
    assert.equal(point.attributes['exception.origin'], origin);
    assert.equal(typeof point.attributes['error.type'], 'string');
    // The crash message and URL carried secrets.
    const everything = JSON.stringify([receiver.spans, receiver.logs, receiver.metrics]);
    assert.doesNotMatch(everything, /canary-crash-secret/);
  });
}

test('crash with a hung collector: exit code and stderr unchanged, exit bounded by OBS_SHUTDOWN_TIMEOUT', async (t) => {
  const receiver = await startReceiver(t, { faults: { all: 'hang' } });
  const { plain, withObs } = await bothWays('throw', receiver, { OBS_SHUTDOWN_TIMEOUT: '1000' });
  assert.equal(withObs.timedOut, false);
  assert.equal(withObs.code, plain.code);
  assert.equal(appStderr(withObs.stderr), appStderr(plain.stderr));
});

test('an app with its own uncaughtException handler decides: its handler runs and its exit code stands', async (t) => {
  const receiver = await startReceiver(t);
  const { plain, withObs } = await bothWays('handled-throw', receiver);
  assert.equal(plain.code, 3);
  assert.equal(withObs.code, 3);
  assert.match(withObs.stdout, /app handled: crash in handler/);
  assert.equal(appStderr(withObs.stderr), appStderr(plain.stderr));
});

test('an app with its own unhandledRejection handler decides; the rejection is still observed', async (t) => {
  const receiver = await startReceiver(t);
  const { plain, withObs } = await bothWays('handled-reject', receiver, { OTEL_METRIC_EXPORT_INTERVAL: '100' });
  assert.equal(plain.code, 4);
  assert.equal(withObs.code, 4);
  assert.match(withObs.stdout, /app handled rejection: rejected in handler/);
  assert.equal(appStderr(withObs.stderr), appStderr(plain.stderr));
  const log = await receiver.waitForLog((l) => l.attributes['exception.origin'] === 'unhandledRejection');
  assert.equal(log.severityText, 'ERROR');
});

for (const protocol of ['http/json', 'grpc'] as const) {
  test(`crash telemetry is sent over ${protocol} for every signal when that is what is configured`, async (t) => {
    const receiver = await startReceiver(t);
    const env = { ...receiver.envFor({ traces: protocol, metrics: protocol, logs: protocol }), OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=crash-test' };
    const result = await runFixtureToExit(APP, { args: ['throw'], env, timeoutMs: 30_000 });
    assert.equal(result.code, 1);
    await receiver.waitForSpan((s) => s.kind === 'SERVER' && s.status.code === 'ERROR');
    await receiver.waitForLog((l) => l.severityText === 'FATAL');
    await receiver.waitForMetric('process.uncaught_errors');
    const wire = protocol === 'grpc' ? 'grpc' : 'http';
    assert.ok(receiver.requests.every((r) => r.protocol === wire), receiver.requests.map((r) => r.protocol).join());
    const crashRequests = receiver.requests.filter((r) => r.signal === 'logs');
    assert.ok(crashRequests.every((r) => JSON.stringify(r.headers).includes('crash-test')), 'OTEL_EXPORTER_OTLP_HEADERS sent with the crash data');
  });
}
