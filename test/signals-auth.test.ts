// auth.attempts under the real preload: responses on OBS_AUTH_ROUTES counted by outcome and failure
// reason from the status, on raw paths (node:http) and on framework routes (express); nothing else counted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { latestSeries, settle, startApp } from './signals-helpers.js';

type Row = string;
function rows(receiver: Parameters<typeof latestSeries>[0]): Row[] {
  return [...latestSeries(receiver, 'auth.attempts').values()]
    .map(({ attributes: a, value }) => `${String(a['http.request.method'])} ${String(a['http.route'])} ${String(a['auth.outcome'])} ${String(a['auth.failure.reason'] ?? '-')} = ${value}`)
    .sort();
}

async function send(base: string, method: string, path: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) {
    const res = await fetch(base + path, { method, redirect: 'manual' });
    await res.arrayBuffer();
  }
}

test('auth attempts (node:http): outcomes by status on the listed raw paths; other methods, paths and 5xx are not counted', async (t) => {
  const { receiver, base } = await startApp(t, 'signals-app/server.mjs', { OBS_AUTH_ROUTES: 'POST /login, POST /api/v1/auth/login' });
  await send(base, 'POST', '/login', 3);
  await send(base, 'POST', '/login?status=302');
  await send(base, 'POST', '/login?status=401', 2);
  await send(base, 'POST', '/login?status=403');
  await send(base, 'POST', '/login?status=423');
  await send(base, 'POST', '/login?status=429', 2);
  await send(base, 'POST', '/login?status=500');
  await send(base, 'GET', '/login?status=401');
  await send(base, 'POST', '/api/v1/auth/login?status=401');
  await send(base, 'POST', '/logout?status=401');
  const want = [
    'POST /api/v1/auth/login failure unauthorized = 1',
    'POST /login failure forbidden = 1',
    'POST /login failure unauthorized = 2',
    'POST /login locked locked = 1',
    'POST /login rate_limited rate_limited = 2',
    'POST /login success - = 4',
  ];
  assert.deepEqual(await settle(() => rows(receiver), want), want);
});

test('auth attempts (express): matched on the framework route, which is the label; the raw path never is', async (t) => {
  const { receiver, base } = await startApp(t, 'signals-express.mjs', { OBS_AUTH_ROUTES: 'POST /tenants/:tenant/login' });
  await send(base, 'POST', '/tenants/acme/login');
  await send(base, 'POST', '/tenants/globex/login?status=401');
  await send(base, 'POST', '/tenants/initech/login?status=401');
  const want = [
    'POST /tenants/:tenant/login failure unauthorized = 2',
    'POST /tenants/:tenant/login success - = 1',
  ];
  assert.deepEqual(await settle(() => rows(receiver), want), want);
});
