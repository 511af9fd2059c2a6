// The Prometheus pull endpoint: loopback by default, GET/HEAD only, and a port conflict costs one
// warning, never the app.
import assert from 'node:assert/strict';
import { createServer, connect, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { test } from 'node:test';
import { fixture } from './support/fixtures-dir.js';
import { runFixture } from './support/spawn.js';
import { freePort } from './support/free-port.js';

const SERVICE = fixture('safety-service.mjs');

function listen(host: string): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}


function tryConnect(host: string, port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

function externalAddress(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

async function startWithPrometheus(t: { after(fn: () => unknown): void }, port: number, extra: Record<string, string> = {}) {
  return runFixture(SERVICE, {
    t, waitForStdout: /listening on (\d+)/,
    env: { OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_PORT: String(port), ...extra },
  });
}

test('the metrics endpoint binds 127.0.0.1 by default: reachable on loopback, not on an external interface', async (t) => {
  const port = await freePort();
  const proc = await startWithPrometheus(t, port);
  await fetch(`http://127.0.0.1:${proc.ready![1]}/work`);
  const page = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  assert.match(page, /safety_work/);
  const external = externalAddress();
  if (!external) {
    t.diagnostic('no external IPv4 interface on this machine; loopback-only binding not checked from outside');
    return;
  }
  assert.equal(await tryConnect(external, port), 'ECONNREFUSED');
});

test('OTEL_EXPORTER_PROMETHEUS_HOST=0.0.0.0 opens the endpoint to other interfaces', async (t) => {
  const external = externalAddress();
  if (!external) return t.skip('no external IPv4 interface');
  const port = await freePort();
  await startWithPrometheus(t, port, { OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0' });
  assert.equal((await fetch(`http://${external}:${port}/metrics`)).status, 200);
});

test('only GET and HEAD: other methods get 405 with an Allow header', async (t) => {
  const port = await freePort();
  await startWithPrometheus(t, port);
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { method, body: method === 'POST' || method === 'PUT' || method === 'PATCH' ? 'x' : undefined });
    assert.equal(res.status, 405, method);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
  }
  assert.equal((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'HEAD' })).status, 200);
});

test('port already in use: exactly one warning naming the port, and the app serves as usual', async (t) => {
  const { server, port } = await listen('127.0.0.1');
  t.after(() => new Promise((r) => server.close(r)));
  const proc = await startWithPrometheus(t, port);
  const base = `http://127.0.0.1:${proc.ready![1]}`;
  for (let i = 0; i < 5; i++) assert.equal(await (await fetch(`${base}/work`)).text(), 'ok');
  await proc.waitForOutput(/cannot serve Prometheus metrics/, { stream: 'stderr' });
  await new Promise((r) => setTimeout(r, 300));
  const lines = proc.stderr.split('\n').filter((l) => l.startsWith('@org/obs: '));
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], new RegExp(`127\\.0\\.0\\.1:${port}.*in use`));
});
