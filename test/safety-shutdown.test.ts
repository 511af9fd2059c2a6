// Shutdown: telemetry is flushed on SIGTERM and beforeExit, Node's own exit behaviour is kept (exit
// by SIGTERM without an app handler, the app's own drain with one), and whatever the collector does
// the process is gone within OBS_SHUTDOWN_TIMEOUT + 1 s.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from './support/fixtures-dir.js';
import { runFixture, runFixtureToExit, type FixtureExit } from './support/spawn.js';
import { startReceiver, type FaultInput, type OtlpReceiver } from './support/receiver.js';

const SERVICE = fixture('safety-service.mjs');
const BATCH = fixture('safety-batch.mjs');
/** Slack for a loaded 2-core machine on top of deadline + 1 s; a bound, not a measurement. */
const MARGIN_MS = 3000;

/** The receiver's env with batching so slow that only a shutdown or beforeExit flush can deliver. */
function flushOnlyEnv(receiver: OtlpReceiver): Record<string, string> {
  return {
    ...receiver.envFor(),
    OTEL_BSP_SCHEDULE_DELAY: '600000',
    OTEL_BLRP_SCHEDULE_DELAY: '600000',
    OTEL_METRIC_EXPORT_INTERVAL: '600000',
  };
}

/** Resolves with the exit, or with 'still running' once `ms` have passed. */
function exitWithin(exited: Promise<FixtureExit>, ms: number): Promise<FixtureExit | 'still running'> {
  return Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), ms).unref())]);
}

async function work(port: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) assert.equal(await (await fetch(`http://127.0.0.1:${port}/work`)).text(), 'ok');
}

test('SIGTERM without an app handler: telemetry flushed, then the process ends by SIGTERM', async (t) => {
  const receiver = await startReceiver(t);
  const proc = await runFixture(SERVICE, { t, waitForStdout: /listening on (\d+)/, env: flushOnlyEnv(receiver) });
  await work(proc.ready![1], 5);
  proc.kill('SIGTERM');
  const exit = await proc.exited;
  assert.equal(exit.signal, 'SIGTERM');
  assert.equal(exit.code, null);
  assert.equal(receiver.spans.filter((s) => s.name === 'work').length, 5);
  assert.equal(receiver.logs.filter((l) => l.body === 'did some work').length, 5);
  assert.ok(receiver.metrics.some((m) => m.name === 'safety.work' && m.value === 5), 'the counter was flushed');
});

test('SIGTERM with an app handler: the app drains its in-flight request and exits by itself with its own code', async (t) => {
  const receiver = await startReceiver(t);
  const proc = await runFixture(SERVICE, { t, args: ['--handler'], waitForStdout: /listening on (\d+)/, env: flushOnlyEnv(receiver) });
  const port = proc.ready![1];
  await work(port, 1);
  const slow = fetch(`http://127.0.0.1:${port}/slow?ms=1500`).then((r) => r.text());
  await new Promise((r) => setTimeout(r, 200));
  proc.kill('SIGTERM');
  assert.equal(await slow, 'slow ok', 'the in-flight request was answered');
  const exit = await proc.exited;
  assert.deepEqual({ code: exit.code, signal: exit.signal }, { code: 0, signal: null });
  assert.match(proc.stdout, /draining\n[\s\S]*drained/);
  await receiver.waitForSpan('work');
});

test('beforeExit: a script that simply ends has its spans and logs delivered and keeps its exit code', async (t) => {
  const receiver = await startReceiver(t);
  const result = await runFixtureToExit(BATCH, { args: ['7', '5'], env: flushOnlyEnv(receiver), timeoutMs: 30_000 });
  assert.equal(result.code, 5);
  assert.equal(receiver.spans.filter((s) => s.name.startsWith('batch ')).length, 7);
  assert.ok(receiver.logs.some((l) => l.body === 'batch done'));
});

test('10,000 spans ended before SIGTERM all reach a healthy collector (OTEL_BSP_MAX_QUEUE_SIZE raised to hold them)', async (t) => {
  const receiver = await startReceiver(t);
  const proc = await runFixture(SERVICE, {
    t, args: ['--spans=10000'], waitForStdout: /listening on (\d+)/,
    env: { ...flushOnlyEnv(receiver), OTEL_BSP_MAX_QUEUE_SIZE: '16384' },
  });
  proc.kill('SIGTERM');
  const exit = await proc.exited;
  assert.equal(exit.signal, 'SIGTERM');
  const burst = receiver.spans.filter((s) => s.name.startsWith('burst '));
  assert.equal(new Set(burst.map((s) => s.name)).size, 10_000);
});

const FAULTS: [string, FaultInput][] = [
  ['refuses', 'refuse'],
  ['hangs', 'hang'],
  ['answers after 20 s', { kind: 'ok', delayMs: 20_000 }],
  ['answers 503', { kind: 'status', status: 503 }],
];

for (const [name, fault] of FAULTS) {
  test(`SIGTERM while the collector ${name}: exit by SIGTERM within OBS_SHUTDOWN_TIMEOUT + 1 s`, async (t) => {
    const receiver = await startReceiver(t, { faults: { all: fault } });
    const proc = await runFixture(SERVICE, {
      t, waitForStdout: /listening on (\d+)/, env: { ...receiver.envFor(), OBS_SHUTDOWN_TIMEOUT: '1000' },
    });
    await work(proc.ready![1], 20);
    // Exports are now failing, hanging or retrying.
    await new Promise((r) => setTimeout(r, 500));
    proc.kill('SIGTERM');
    const exit = await exitWithin(proc.exited, 1000 + 1000 + MARGIN_MS);
    assert.notEqual(exit, 'still running', `still running ${1000 + 1000 + MARGIN_MS} ms after SIGTERM`);
    assert.equal((exit as FixtureExit).signal, 'SIGTERM');
  });

  test(`beforeExit while the collector ${name}: the script ends within OBS_SHUTDOWN_TIMEOUT + 1 s with its exit code`, async (t) => {
    const receiver = await startReceiver(t, { faults: { all: fault } });
    const proc = await runFixture(BATCH, { t, args: ['5', '0'], env: { ...flushOnlyEnv(receiver), OBS_SHUTDOWN_TIMEOUT: '1000' } });
    await proc.waitForOutput(/done/, { stream: 'stdout' });
    const exit = await exitWithin(proc.exited, 1000 + 1000 + MARGIN_MS);
    assert.notEqual(exit, 'still running', `still running ${1000 + 1000 + MARGIN_MS} ms after the script ended`);
    assert.equal((exit as FixtureExit).code, 0);
  });
}

test('a second SIGINT while the flush waits on a hung collector ends the process at once, by SIGINT', async (t) => {
  const receiver = await startReceiver(t, { faults: { all: 'hang' } });
  const proc = await runFixture(SERVICE, { t, waitForStdout: /listening on (\d+)/, env: { ...receiver.envFor(), OBS_SHUTDOWN_TIMEOUT: '30000' } });
  await work(proc.ready![1], 5);
  proc.kill('SIGINT');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(proc.child.exitCode, null, 'still flushing after the first SIGINT');
  proc.kill('SIGINT');
  const exit = await exitWithin(proc.exited, 10_000);
  assert.notEqual(exit, 'still running', 'the second SIGINT did not end the process');
  assert.equal((exit as FixtureExit).signal, 'SIGINT');
});

for (const [name, fault] of FAULTS) {
  test(`SIGTERM with an app handler while the collector ${name}: the drained app exits by itself, our exports no longer hold it`, async (t) => {
    const receiver = await startReceiver(t, { faults: { all: fault } });
    const proc = await runFixture(SERVICE, {
      t, args: ['--handler'], waitForStdout: /listening on (\d+)/,
      env: { ...receiver.envFor(), OBS_SHUTDOWN_TIMEOUT: '1000', OTEL_EXPORTER_OTLP_TIMEOUT: '2000' },
    });
    await work(proc.ready![1], 20);
    await new Promise((r) => setTimeout(r, 500));
    proc.kill('SIGTERM');
    // Bound: the flush deadline + 1 s. Our connections and timers no longer hold the drained app, so an
    // export still inside the OTLP exporter (its own 2 s timeout here) does not extend it.
    const bound = 1000 + 1000 + MARGIN_MS;
    const exit = await exitWithin(proc.exited, bound);
    assert.notEqual(exit, 'still running', `the drained app was still running ${bound} ms after SIGTERM`);
    assert.deepEqual({ code: (exit as FixtureExit).code, signal: (exit as FixtureExit).signal }, { code: 0, signal: null });
    assert.match(proc.stdout, /drained/);
  });
}
