// Route fallback under the real preload: without a framework, request metrics carry bounded templates
// (10,000 distinct ids → a handful of series), a template without a slot is _OTHER, raw paths
// stay on spans as url.path only, and framework routes are left as the framework set them.
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { latestSeries, settle, startApp, WAIT } from './signals-helpers.js';

function get(agent: Agent, base: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { agent }, (res) => {
      res.resume().on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject).end();
  });
}

async function many(base: string, paths: string[], concurrency = 16): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < paths.length) await get(agent, base, paths[next++]);
  }));
  agent.destroy();
}

function routeCounts(receiver: Parameters<typeof latestSeries>[0]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { attributes, value } of latestSeries(receiver, 'http.server.request.duration').values()) {
    const route = String(attributes['http.route']);
    if (route === '/down') continue;
    out[route] = (out[route] ?? 0) + value;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

test('route fallback: 10,000 distinct ids on node:http make three route series, and metrics carry no raw path', async (t) => {
  const { receiver, base } = await startApp(t, 'signals-app/server.mjs', { OTEL_TRACES_SAMPLER: 'always_off' });
  const paths: string[] = [];
  for (let i = 0; i < 8000; i++) paths.push(`/users/${100000 + i}`);
  for (let i = 0; i < 1000; i++) paths.push(`/orders/${randomUUID()}`);
  for (let i = 0; i < 1000; i++) paths.push(`/blobs/${(0xabc00000 + i).toString(16)}/meta`);
  await many(base, paths);
  const want = { '/blobs/:id/meta': 1000, '/orders/:id': 1000, '/users/:id': 8000 };
  assert.deepEqual(await settle(() => routeCounts(receiver), want, 30_000), want);
  for (const p of receiver.metrics) {
    if (p.name.startsWith('http.server')) assert.equal(p.attributes['url.path'], undefined);
  }
});

test('route fallback: half the OBS_ROUTE_LIMIT slots go to first sightings, the rest to templates that recur; the span keeps the raw url.path', async (t) => {
  const { receiver, base } = await startApp(t, 'signals-app/server.mjs', { OBS_ROUTE_LIMIT: '2' });
  await many(base, ['/alpha', '/alpha', '/beta', '/beta', '/gamma', '/delta', '/alpha/7'], 1);
  // One slot is free at first sight (/alpha); the other goes to /beta when it recurs; /gamma, /delta, /alpha/:id never do.
  const want = { '/alpha': 2, '/beta': 1, _OTHER: 4 };
  assert.deepEqual(await settle(() => routeCounts(receiver), want), want);
  const span = await receiver.waitForSpan((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/gamma', WAIT);
  assert.equal(span.attributes['http.route'], '_OTHER');
});

test('route fallback: a one-time token of letters (/reset/qazwsxed) is :id in http.route, the span name and the series; words stay', async (t) => {
  // Under the bundled preload: the word file is found next to the bundle's idea of route-words.js.
  const { receiver, base } = await startApp(t, 'signals-app/server.mjs');
  await many(base, ['/reset/qazwsxed', '/invite/hbgtrfvc', '/healthcheck/webhooks'], 1);
  const want = { '/healthcheck/webhooks': 1, '/invite/:id': 1, '/reset/:id': 1 };
  assert.deepEqual(await settle(() => routeCounts(receiver), want), want);
  // url.path and url.full keep the request's shape with the token masked (OBS_URL_PATH); nothing carries it.
  const span = await receiver.waitForSpan((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/reset/REDACTED', WAIT);
  assert.equal(span.attributes['http.route'], '/reset/:id');
  assert.equal(span.name, 'GET /reset/:id');
  const exported = JSON.stringify([...receiver.spans, ...receiver.metrics.map((m) => m.attributes)]);
  for (const token of ['qazwsxed', 'hbgtrfvc']) assert.ok(!exported.includes(token), `${token} left the process`);
});

test('route fallback: framework routes (express) are kept as the framework set them', async (t) => {
  const { receiver, base } = await startApp(t, 'signals-express.mjs', { OBS_ROUTE_LIMIT: '1' });
  await many(base, ['/orders/1', '/orders/2', '/orders/3', '/nowhere/9'], 1);
  // The 404 has no framework route and is seen once: no fallback slot for it.
  const want = { '/orders/:id': 3, _OTHER: 1 };
  assert.deepEqual(await settle(() => routeCounts(receiver), want), want);
});
