// Pure parts of the application signals: route templates and their cap, auth route matching and
// outcomes, which redis replies count as cache hits or misses, and the OBS_* variables that drive them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OVERFLOW_ROUTE, routeLimiter, routeTemplate } from '../src/app-signals/route-template.js';
import { authOutcome, matchAuthRoute, parseAuthRoutes } from '../src/app-signals/auth-metrics.js';
import { classifyReply } from '../src/app-signals/cache-metrics.js';
import { readConfig } from '../src/config/config.js';

test('route template: numeric, UUID, hex, long-token and email segments become :id; words, versions and the query stay out', () => {
  const cases: [string, string][] = [
    ['/users/42', '/users/:id'],
    ['/users/42/orders/7?token=abc', '/users/:id/orders/:id'],
    ['/orders/3f2504e0-4f89-11d3-9a0c-0305e82c3301', '/orders/:id'],
    ['/blobs/deadbeef12', '/blobs/:id'],
    ['/s/eyJhbGciOiJIUzI1NiJ9abc123', '/s/:id'],
    ['/u/jane@example.com/profile', '/u/:id/profile'],
    ['/api/v1/auth/login', '/api/v1/auth/login'],
    ['/health-report', '/health-report'],
    ['/', '/'],
    ['/files/' + 'x'.repeat(50), '/files/:id'],
    ['http://proxy.example/users/9', '/users/:id'],
  ];
  for (const [url, want] of cases) assert.equal(routeTemplate(url), want, url);
});

test('route limiter: half the slots go to first sightings, the rest to templates that recur; when all are taken, the least recently seen gives its slot up', () => {
  const limiter = routeLimiter(2);
  assert.equal(limiter.route('/a/1'), '/a/:id', 'a free slot (half of them are given at first sight)');
  assert.equal(limiter.route('/a/2'), '/a/:id');
  assert.equal(limiter.route('/b/1'), OVERFLOW_ROUTE, 'seen once, no free slot left: none yet');
  assert.equal(limiter.route('/b/2'), '/b/:id');
  assert.equal(limiter.route('/a/3'), '/a/:id', 'a slot holder keeps its name');
  assert.equal(limiter.route('/c/1'), OVERFLOW_ROUTE);
  assert.equal(limiter.route('/c/2'), '/c/:id', 'admitted in place of the coldest, /b/:id');
  assert.equal(limiter.route('/a/4'), '/a/:id');
  assert.equal(limiter.route('/b/3'), OVERFLOW_ROUTE, '/b/:id has to recur again');
  assert.equal(limiter.size, 2);
});

test('auth routes: method + route entries match framework routes, raw paths with :params and prefixes; other methods do not', () => {
  const routes = parseAuthRoutes(['POST /api/v1/auth/login', '/login', 'POST /tenants/:tenant/login', 'POST /sso/*', 'not-a-route']);
  assert.equal(routes.length, 4);
  assert.equal(matchAuthRoute(routes, 'POST', '/api/v1/auth/login')?.route, '/api/v1/auth/login');
  assert.equal(matchAuthRoute(routes, 'GET', '/api/v1/auth/login'), undefined);
  assert.equal(matchAuthRoute(routes, 'GET', '/login')?.route, '/login');
  assert.equal(matchAuthRoute(routes, 'POST', '/login/')?.route, '/login');
  assert.equal(matchAuthRoute(routes, 'POST', '/tenants/acme/login')?.route, '/tenants/:tenant/login');
  assert.equal(matchAuthRoute(routes, 'POST', '/tenants/:tenant/login')?.route, '/tenants/:tenant/login');
  assert.equal(matchAuthRoute(routes, 'POST', '/sso/google/callback')?.route, '/sso/*');
  assert.equal(matchAuthRoute(routes, 'POST', '/logout'), undefined);
});

test('auth outcome: 2xx/3xx success, 401/403 failure with reason, 423 locked, 429 rate_limited, 5xx not an auth verdict', () => {
  assert.deepEqual(authOutcome(200), { outcome: 'success' });
  assert.deepEqual(authOutcome(302), { outcome: 'success' });
  assert.deepEqual(authOutcome(401), { outcome: 'failure', reason: 'unauthorized' });
  assert.deepEqual(authOutcome(403), { outcome: 'failure', reason: 'forbidden' });
  assert.deepEqual(authOutcome(418), { outcome: 'failure', reason: 'client_error' });
  assert.deepEqual(authOutcome(423), { outcome: 'locked', reason: 'locked' });
  assert.deepEqual(authOutcome(429), { outcome: 'rate_limited', reason: 'rate_limited' });
  assert.equal(authOutcome(500), undefined);
});

test('cache replies: single-key reads, per-key multi reads, EXISTS counts, membership flags; writes are not lookups', () => {
  assert.deepEqual(classifyReply('get', ['k'], 'v'), [1, 0]);
  assert.deepEqual(classifyReply('GET', ['k'], null), [0, 1]);
  assert.deepEqual(classifyReply('GETEX', ['k'], Buffer.from('')), [1, 0]);
  assert.deepEqual(classifyReply('hgetall', ['h'], {}), [0, 1]);
  assert.deepEqual(classifyReply('HGETALL', ['h'], ['f', 'v']), [1, 0]);
  assert.deepEqual(classifyReply('HGETALL', ['h'], new Map()), [0, 1]);
  assert.deepEqual(classifyReply('mget', ['a', 'b', 'c'], ['1', null, '3']), [2, 1]);
  assert.deepEqual(classifyReply('HMGET', ['h', 'f1', 'f2'], [null, null]), [0, 2]);
  assert.deepEqual(classifyReply('EXISTS', ['a', 'b', 'c'], 1), [1, 2]);
  assert.deepEqual(classifyReply('sismember', ['s', 'm'], 0), [0, 1]);
  assert.deepEqual(classifyReply('SISMEMBER', ['s', 'm'], true), [1, 0]);
  assert.deepEqual(classifyReply('SMISMEMBER', ['s', 'a', 'b'], [1, 0]), [1, 1]);
  assert.deepEqual(classifyReply('JSON.GET', ['doc'], null), [0, 1]);
  assert.equal(classifyReply('SET', ['k', 'v'], 'OK'), undefined);
  assert.equal(classifyReply('INCR', ['k'], 1), undefined);
});

test('config: application-signal variables have their documented defaults', () => {
  const { config, warnings } = readConfig({});
  assert.deepEqual(warnings, []);
  assert.deepEqual({ ...config.signals }, {
    requestIdHeader: 'x-request-id',
    userIdHeader: undefined,
    consoleCapture: false,
    authRoutes: [],
    routeLimit: 100,
    healthPort: undefined,
    healthHost: '127.0.0.1',
    livenessMaxLagMs: 2000,
    readyChecks: [],
    readyTimeoutMs: 500,
  });
});

test('config: OBS_REQUEST_ID_HEADER=off disables request ids, header names are lower-cased, bad values warn and fall back', () => {
  const { config, warnings } = readConfig({
    OBS_REQUEST_ID_HEADER: 'off', OBS_USER_ID_HEADER: 'X-User-Id', OBS_CONSOLE_CAPTURE: 'true',
    OBS_AUTH_ROUTES: 'POST /login, /api/v1/auth/login', OBS_ROUTE_LIMIT: '0', OBS_HEALTH_PORT: '9000', OBS_LIVENESS_MAX_LAG_MS: 'soon',
  });
  assert.equal(config.signals.requestIdHeader, undefined);
  assert.equal(config.signals.userIdHeader, 'x-user-id');
  assert.equal(config.signals.consoleCapture, true);
  assert.deepEqual(config.signals.authRoutes, ['POST /login', '/api/v1/auth/login']);
  assert.equal(config.signals.routeLimit, 1);
  assert.equal(config.signals.healthPort, 9000);
  assert.equal(config.signals.livenessMaxLagMs, 2000);
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.match(warnings.join('\n'), /OBS_ROUTE_LIMIT/);
  assert.match(warnings.join('\n'), /OBS_LIVENESS_MAX_LAG_MS/);
  const bad = readConfig({ OBS_REQUEST_ID_HEADER: 'x request id' });
  assert.equal(bad.config.signals.requestIdHeader, 'x-request-id');
  assert.match(bad.warnings[0], /OBS_REQUEST_ID_HEADER/);
});
