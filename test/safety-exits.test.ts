// Every exit path ends within OBS_SHUTDOWN_TIMEOUT + 1 s whatever the collector does and whatever the
// export intervals: an app that finishes by itself, and an app whose own SIGTERM handler calls
// process.exit() (whose buffered telemetry is still sent, synchronously, on the way out).
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { test } from 'node:test';
import { fixture } from './support/fixtures-dir.js';
import { runFixture, type FixtureExit } from './support/spawn.js';
import { startReceiver, type FaultInput, type OtlpProtocol } from './support/receiver.js';
import { freePort } from './support/free-port.js';

const APP = fixture('safety-exits.mjs');
const DEADLINE_MS = 1000;
/** Slack for a loaded 2-core machine on top of deadline + 1 s; a bound, not a measurement. */
const MARGIN_MS = 2000;
const BOUND_MS = DEADLINE_MS + 1000 + MARGIN_MS;

const FAULTS: [string, FaultInput][] = [
  ['refuses', 'refuse'],
  ['hangs', 'hang'],
  ['answers after 20 s', { kind: 'ok', delayMs: 20_000 }],
];
/** Short intervals: exports start (and fail, hang, retry) all the time while the app lives. */
const SHORT = { OTEL_METRIC_EXPORT_INTERVAL: '100', OTEL_BSP_SCHEDULE_DELAY: '50', OTEL_BLRP_SCHEDULE_DELAY: '50' };

function timed(exited: Promise<FixtureExit>, from: number): Promise<{ exit: FixtureExit | 'still running'; ms: number }> {
  const cap = new Promise<'still running'>((r) => setTimeout(() => r('still running'), BOUND_MS + 5000).unref());
  return Promise.race([exited, cap]).then((exit) => ({ exit, ms: Date.now() - from }));
}

for (const protocol of ['grpc', 'http/protobuf'] as OtlpProtocol[]) {
  for (const [name, fault] of FAULTS) {
    test(`an app that finishes by itself while the collector ${name} (${protocol}, short intervals) exits within the deadline + 1 s`, async (t) => {
      const receiver = await startReceiver(t, { faults: { all: fault } });
      const env = { ...receiver.envFor({ traces: protocol, metrics: protocol, logs: protocol }), ...SHORT, OBS_SHUTDOWN_TIMEOUT: String(DEADLINE_MS) };
      const proc = await runFixture(APP, { t, args: ['finish'], env });
      await proc.waitForOutput(/done/, { stream: 'stdout' });
      const { exit, ms } = await timed(proc.exited, Date.now());
      t.diagnostic(`exit ${ms} ms after the app finished`);
      assert.notEqual(exit, 'still running', `still running ${ms} ms after the app finished`);
      assert.ok(ms <= BOUND_MS, `exited ${ms} ms after the app finished (bound ${BOUND_MS})`);
      assert.equal((exit as FixtureExit).code, 0);
    });

    test(`an app whose SIGTERM handler calls process.exit() while the collector ${name} (${protocol}) exits at once with its code`, async (t) => {
      const receiver = await startReceiver(t, { faults: { all: fault } });
      const env = { ...receiver.envFor({ traces: protocol, metrics: protocol, logs: protocol }), ...SHORT, OBS_SHUTDOWN_TIMEOUT: String(DEADLINE_MS) };
      const proc = await runFixture(APP, { t, args: ['handler-exit'], waitForStdout: /listening on (\d+)/, env });
      await new Promise((r) => setTimeout(r, 500));
      const from = Date.now();
      proc.kill('SIGTERM');
      const { exit, ms } = await timed(proc.exited, from);
      t.diagnostic(`exit ${ms} ms after SIGTERM`);
      assert.notEqual(exit, 'still running');
      assert.ok(ms <= BOUND_MS, `exited ${ms} ms after SIGTERM (bound ${BOUND_MS})`);
      assert.deepEqual({ code: (exit as FixtureExit).code, signal: (exit as FixtureExit).signal }, { code: 3, signal: null });
    });
  }

  test(`an app whose SIGTERM handler calls process.exit() has its last spans and log delivered (${protocol})`, async (t) => {
    const receiver = await startReceiver(t);
    const env = { ...receiver.envFor({ traces: protocol, metrics: protocol, logs: protocol, fastExport: false }), OBS_SHUTDOWN_TIMEOUT: String(DEADLINE_MS) };
    const proc = await runFixture(APP, { t, args: ['handler-exit'], waitForStdout: /listening on (\d+)/, env });
    await new Promise((r) => setTimeout(r, 300));
    proc.kill('SIGTERM');
    const exit = await proc.exited;
    assert.equal(exit.code, 3);
    assert.equal(receiver.spans.filter((s) => s.name.startsWith('last ')).length, 6, 'all 6 spans ended in the handler arrived');
    assert.ok(receiver.logs.some((l) => l.body === 'exiting'), 'the log record emitted in the handler arrived');
  });
}


/** The preload binds its ports as the app starts: retry a refused connection for a while. */
async function connectWhenListening(port: number): Promise<Socket> {
  for (let i = 0; ; i++) {
    const s = connect(port, '127.0.0.1');
    s.on('data', () => undefined);
    const ok = await new Promise<boolean>((r) => {
      s.once('connect', () => r(true));
      s.once('error', () => r(false));
    });
    if (ok) {
      s.on('error', () => undefined);
      return s;
    }
    if (i > 100) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('idle and half-open connections to our metrics and health ports do not keep a finished app alive', async (t) => {
  const [metricsPort, healthPort] = [await freePort(), await freePort()];
  const env = {
    OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'prometheus',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort), OBS_HEALTH_PORT: String(healthPort), OBS_SHUTDOWN_TIMEOUT: String(DEADLINE_MS),
  };
  const proc = await runFixture(APP, { t, args: ['finish'], env });
  const sockets: Socket[] = [];
  for (const port of [metricsPort, healthPort]) {
    // One connection that never sends a byte, one stuck in the middle of its request headers, one kept alive after a scrape.
    for (const opening of ['', 'GET /metrics HTTP/1.1\r\nHost: x\r\n', 'GET /livez HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n']) {
      const s = await connectWhenListening(port);
      if (opening) s.write(opening);
      sockets.push(s);
    }
  }
  t.after(() => { for (const s of sockets) s.destroy(); });
  await proc.waitForOutput(/done/, { stream: 'stdout' });
  const { exit, ms } = await timed(proc.exited, Date.now());
  t.diagnostic(`exit ${ms} ms after the app finished, with 6 open connections to our ports`);
  assert.notEqual(exit, 'still running');
  assert.ok(ms <= BOUND_MS, `exited ${ms} ms after the app finished (bound ${BOUND_MS})`);
});
