// /readyz with OBS_READY_CHECKS=pg,redis: ready while the app's own PostgreSQL and Redis answer, 503 naming
// the dependency that is down once the test stops it. The PostgreSQL (PGlite over the wire protocol) and
// the Redis (redis-server on a free port) belong to this test, never the shared ones.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { freePort } from './support/collector-daemon.js';
import { fixture, fixturesDir } from './support/fixtures-dir.js';
import { runFixture } from './support/spawn.js';

interface Ready {
  status: number;
  body: { status: string; reason?: string; checks?: Record<string, string> };
}

async function readyz(port: number): Promise<Ready> {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: res.status, body: (await res.json()) as Ready['body'] };
}

async function until(port: number, ok: (r: Ready) => boolean, timeoutMs = 15_000): Promise<Ready> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await readyz(port);
    if (ok(r) || Date.now() > deadline) return r;
    await new Promise((res) => setTimeout(res, 200));
  }
}

async function startRedis(t: { after(fn: () => unknown): void }): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  t.after(() => child.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', () => reject(new Error(`redis-server exited: ${out}`)));
  });
  return { port, stop: async () => { child.kill('SIGKILL'); await exited; } };
}

test('readiness with OBS_READY_CHECKS=pg,redis: 200 with the checks while both answer, 503 naming redis, then pg, when each goes down', async (t) => {
  const db = await PGlite.create();
  const pgServer = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 8 });
  await pgServer.start();
  const pgPort = (pgServer as unknown as { server: { address(): { port: number } } }).server.address().port;
  t.after(async () => {
    await pgServer.stop().catch(() => {});
    await db.close().catch(() => {});
  });
  const redis = await startRedis(t);
  const healthPort = await freePort();
  await runFixture(fixture('ready-deps.mjs'), {
    env: {
      OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none',
      OBS_HEALTH_PORT: String(healthPort), OBS_READY_CHECKS: 'pg,redis', OBS_READY_TIMEOUT_MS: '300',
      PG_URL: `postgres://postgres:pw@127.0.0.1:${pgPort}/postgres`, REDIS_URL: `redis://127.0.0.1:${redis.port}`,
    },
    cwd: fixturesDir,
    waitForStdout: /listening on (\d+)/,
    readyTimeoutMs: 30_000,
    t,
  });
  const pgName = `pg 127.0.0.1:${pgPort}/postgres`;
  const redisName = `redis 127.0.0.1:${redis.port}`;

  const up = await until(healthPort, (r) => r.status === 200);
  assert.equal(up.status, 200, JSON.stringify(up.body));
  assert.deepEqual(up.body, { status: 'ready', checks: { [pgName]: 'up', [redisName]: 'up' } });

  await redis.stop();
  const noRedis = await until(healthPort, (r) => r.status === 503);
  assert.equal(noRedis.status, 503, JSON.stringify(noRedis.body));
  assert.equal(noRedis.body.status, 'not_ready');
  assert.equal(noRedis.body.reason, `dependency down: ${redisName}`);
  assert.equal(noRedis.body.checks?.[pgName], 'up');
  assert.match(String(noRedis.body.checks?.[redisName]), /^down: /);

  await pgServer.stop();
  const neither = await until(healthPort, (r) => r.body.checks?.[pgName]?.startsWith('down') === true);
  assert.equal(neither.status, 503);
  assert.equal(neither.body.reason, `dependency down: ${pgName}, ${redisName}`);
  assert.doesNotMatch(JSON.stringify(neither.body), /pw@/);
});

test('readiness without OBS_READY_CHECKS: today\'s behaviour, no dependency is asked', async (t) => {
  const healthPort = await freePort();
  await runFixture(fixture('signals-app', 'server.mjs'), {
    env: { OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OBS_HEALTH_PORT: String(healthPort) },
    cwd: fixturesDir,
    waitForStdout: /listening on (\d+)/,
    t,
  });
  const r = await until(healthPort, (x) => x.status === 200);
  assert.deepEqual(r.body, { status: 'ready' });
});
