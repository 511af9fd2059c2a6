// Health probes under the real preload on OBS_HEALTH_PORT: /startupz, /readyz and /livez before the app
// listens, while it serves, while its event loop is blocked, and while it drains after SIGTERM with its
// own handler. Each answer is checked by status and by the JSON reason.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from './support/fixtures-dir.js';
import { freePort } from './support/collector-daemon.js';
import { runFixture } from './support/spawn.js';

interface Answer {
  status: number;
  body: { status: string; reason?: string; event_loop_lag_ms?: number };
}

async function probe(port: number, path: string): Promise<Answer> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  assert.equal(res.headers.get('content-type'), 'application/json');
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

async function until(port: number, path: string, status: number): Promise<Answer> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const a = await probe(port, path);
    if (a.status === status || Date.now() > deadline) return a;
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('probes: before listen starting/not ready but live; serving all 200; blocked loop not live; after SIGTERM not ready while the app drains', async (t) => {
  const port = await freePort();
  const proc = await runFixture(fixture('signals-probes.mjs'), {
    env: { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OBS_HEALTH_PORT: String(port), OBS_LIVENESS_MAX_LAG_MS: '300' },
    waitForStdout: /booting/,
    t,
  });
  // Before listen.
  const startup = await until(port, '/startupz', 503);
  assert.equal(startup.status, 503);
  assert.equal(startup.body.status, 'starting');
  const notReady = await probe(port, '/readyz');
  assert.deepEqual([notReady.status, notReady.body.reason], [503, 'no server of the app is listening yet']);
  assert.equal((await probe(port, '/livez')).status, 200);

  // Serving.
  proc.kill('SIGUSR2');
  const appPort = Number((await proc.waitForOutput(/listening on (\d+)/))[1]);
  assert.equal((await until(port, '/startupz', 200)).body.status, 'started');
  assert.deepEqual(await probe(port, '/readyz'), { status: 200, body: { status: 'ready' } });
  assert.equal((await probe(port, '/livez')).body.status, 'live');
  assert.equal((await fetch(`http://127.0.0.1:${port}/elsewhere`)).status, 404);
  assert.equal((await fetch(`http://127.0.0.1:${port}/livez`, { method: 'POST' })).status, 405);

  // Blocked event loop: the probe sent during the block is answered after it, and says so.
  const blocked = fetch(`http://127.0.0.1:${appPort}/block?ms=1500`);
  await proc.waitForOutput(/blocking/);
  const during = await probe(port, '/livez');
  await blocked;
  assert.equal(during.status, 503);
  assert.equal(during.body.status, 'not_live');
  assert.ok((during.body.event_loop_lag_ms ?? 0) > 300, JSON.stringify(during.body));
  assert.match(during.body.reason ?? '', /OBS_LIVENESS_MAX_LAG_MS/);
  assert.equal((await until(port, '/livez', 200)).status, 200, 'live again once the loop runs');

  // Draining: the app keeps serving for DRAIN_MS, readiness already says no.
  proc.kill('SIGTERM');
  await proc.waitForOutput(/draining/);
  const draining = await until(port, '/readyz', 503);
  assert.deepEqual([draining.status, draining.body.reason], [503, 'draining: a termination signal arrived']);
  assert.equal((await probe(port, '/livez')).status, 200, 'draining is not dead');
  assert.equal((await fetch(`http://127.0.0.1:${appPort}/`)).status, 200, 'the app still serves while draining');
  const exit = await proc.exited;
  assert.deepEqual([exit.code, exit.signal], [0, null], 'the app exits as its own handler decides');
});
