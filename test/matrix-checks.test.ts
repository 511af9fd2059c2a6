// Pins the compatibility matrix's verdicts (matrix/checks.mjs) and table merging (matrix/report.mjs):
// the matrix must be able to go red for each reason it claims to check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// dist/test/ → repo root; the matrix is plain .mjs outside the TypeScript build.
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const load = async (file: string): Promise<any> => import(pathToFileURL(path.join(REPO, 'matrix', file)).href);

interface Span { traceId: string; spanId: string; parentSpanId: string; name: string; kind: string; attributes: Record<string, unknown> }
const T = 'a'.repeat(32);
const span = (spanId: string, parentSpanId: string, name: string, kind: string, attributes: Record<string, unknown> = {}): Span =>
  ({ traceId: T, spanId, parentSpanId, name, kind, attributes });

const STACK = {
  id: 'unit', server: 'express', cache: 'redis', log: 'pino',
  libs: [
    { module: 'express', spec: '5', role: 'framework' },
    { module: 'pg', spec: '8', role: 'db' },
    { module: 'redis', spec: '5', role: 'cache' },
    { module: 'pino', spec: '10', role: 'log' },
  ],
};

function healthy() {
  return {
    spans: [
      span('s1', '', 'GET /users/:id', 'SERVER', { 'url.path': '/users/42', 'http.route': '/users/:id' }),
      span('h1', 's1', 'request handler', 'INTERNAL'),
      span('p1', 'h1', 'pg.query:SELECT test', 'CLIENT', { 'db.system.name': 'postgresql' }),
      span('r1', 'h1', 'redis-GET', 'CLIENT', { 'db.system.name': 'redis' }),
    ],
    metrics: [
      { name: 'http.server.request.duration', attributes: { 'http.route': '/users/:id' } },
      { name: 'db.client.operation.duration', attributes: {} },
    ],
    logs: [{ body: 'matrix-log user looked up', attributes: {}, traceId: T }],
  };
}
const RUN = { failure: undefined, exit: { ok: true } };

test('healthy telemetry passes every library of the stack and counts as complete', async () => {
  const { judge, complete } = await load('checks.mjs');
  const verdicts = judge(healthy(), STACK, RUN);
  for (const key of ['node:http', 'express', 'pg', 'redis', 'pino']) assert.equal(verdicts[key].ok, true, key);
  assert.equal(complete(healthy(), STACK), true);
});

test('a pg span outside the request trace fails pg only, naming why', async () => {
  const { judge } = await load('checks.mjs');
  const received = healthy();
  received.spans[2] = { ...span('p1', '', 'pg.query:SELECT test', 'CLIENT', { 'db.system.name': 'postgresql' }), traceId: 'b'.repeat(32) };
  const verdicts = judge(received, STACK, RUN);
  assert.equal(verdicts.pg.ok, false);
  assert.match(verdicts.pg.reason, /not under the http server span \(root span\)/);
  assert.equal(verdicts.redis.ok, true);
});

test('a server span without http.route fails the framework; a route missing from the metric fails it too', async () => {
  const { judge } = await load('checks.mjs');
  const noRoute = healthy();
  delete noRoute.spans[0]!.attributes['http.route'];
  assert.match(judge(noRoute, STACK, RUN).express.reason, /http\.route is missing/);
  const noLabel = healthy();
  noLabel.metrics[0]!.attributes = {};
  assert.match(judge(noLabel, STACK, RUN).express.reason, /has no http\.route label/);
});

test('missing metrics and uncorrelated logs fail the libraries they belong to', async () => {
  const { judge, complete } = await load('checks.mjs');
  const received = healthy();
  received.metrics = received.metrics.filter((m) => m.name !== 'db.client.operation.duration');
  received.logs = [{ body: 'matrix-log user looked up', attributes: {}, traceId: '' }];
  const verdicts = judge(received, STACK, RUN);
  assert.match(verdicts.pg.reason, /no db\.client\.operation\.duration metric/);
  assert.match(verdicts.pino.reason, /without the request trace id/);
  assert.equal(complete(received, STACK), false);
});

test('an app that never served the request fails every library with the run failure', async () => {
  const { judge } = await load('checks.mjs');
  const verdicts = judge({ spans: [], metrics: [], logs: [] }, STACK, { failure: 'app exited (1) before listening', exit: { ok: true } });
  for (const key of ['node:http', 'express', 'pg', 'redis', 'pino']) {
    assert.deepEqual(verdicts[key], { ok: false, reason: 'app exited (1) before listening' }, key);
  }
});

test('the table shows the worst verdict per library and column, with footnoted reasons', async () => {
  const { renderMarkdown } = await load('report.mjs');
  const cell = (id: string, stack: string, pgStatus: object) => ({
    id, stack, node: '20', module: 'esm', start: 'import', ts: false,
    versions: { pg: '8.23.1', bunyan: '2.0.5' },
    libs: { pg: pgStatus, bunyan: { status: 'unsupported', worksAnyway: false, reason: 'outside range' }, exit: { status: 'pass' } },
  });
  const md: string = renderMarkdown({
    generatedAt: 'now', obsVersion: '0.0.0', commit: 'abc', subset: 'unit', nodes: { 20: '20.1.0' },
    cells: [cell('a', 'one', { status: 'pass' }), cell('b', 'two', { status: 'fail', reason: 'no pg query client span' })],
  });
  assert.match(md, /\| pg 8\.23\.1 \| ✗ \[\d\] \|/);
  assert.match(md, /no pg query client span \(stack two\)/);
  assert.match(md, /\| bunyan 2\.0\.5 \| unsupported by upstream \[\d\] \|/);
  assert.match(md, /\| Node 20\.1\.0 ESM \|/);
});

const API_STACK = { ...STACK, id: 'api1.9-before', appApi: { spec: '~1.9.0', label: '1.9.x', order: 'before', logs: 'api-logs' } };

function healthyWithApp() {
  const received = healthy();
  received.spans.splice(1, 0, span('a1', 's1', 'place order', 'INTERNAL'));
  received.metrics.push({ name: 'orders.placed', attributes: {} });
  received.logs.push({ body: 'matrix-app-log order placed', attributes: {}, traceId: T });
  return received;
}

test('app-API cells: the app span under the server span, its counter and its trace-correlated log record pass and complete the cell', async () => {
  const { judge, complete } = await load('checks.mjs');
  const verdicts = judge(healthyWithApp(), API_STACK, RUN);
  for (const key of ['app-api:span', 'app-api:counter', 'app-api:log', 'pg', 'pino']) assert.equal(verdicts[key].ok, true, key);
  assert.equal(complete(healthyWithApp(), API_STACK), true);
  assert.equal(complete(healthy(), API_STACK), false, 'library telemetry alone does not complete an app-API cell');
  assert.equal(judge(healthy(), STACK, RUN)['app-api:span'], undefined, 'other stacks get no app-API rows');
});

test('app-API cells: a no-op tracer, meter and logger in the app fail each row, naming the no-op', async () => {
  const { judge } = await load('checks.mjs');
  const verdicts = judge(healthy(), API_STACK, RUN);
  assert.match(verdicts['app-api:span'].reason, /span "place order" not exported \(the app got a no-op tracer\)/);
  assert.match(verdicts['app-api:counter'].reason, /counter orders\.placed not exported/);
  assert.match(verdicts['app-api:log'].reason, /log record not exported/);
});

test('app-API cells: an app span outside the request trace and a log record without its trace id fail', async () => {
  const { judge } = await load('checks.mjs');
  const received = healthyWithApp();
  received.spans[1] = { ...span('a1', '', 'place order', 'INTERNAL'), traceId: 'c'.repeat(32) };
  received.logs[1] = { body: 'matrix-app-log order placed', attributes: {}, traceId: '' };
  const verdicts = judge(received, API_STACK, RUN);
  assert.match(verdicts['app-api:span'].reason, /not under the http server span/);
  assert.match(verdicts['app-api:log'].reason, /without the request trace id/);
  assert.equal(verdicts['app-api:counter'].ok, true);
});

test('--require on an ESM app passes on exactly one stderr line naming --import and an answered request', async () => {
  const { judgeRequireEsm } = await load('checks.mjs');
  const line = '@org/obs: started with --require: this app is ESM, ...; start it with node --import @org/obs/register\n';
  const ok = judgeRequireEsm(RUN, line);
  assert.equal(ok['require:esm-line'].ok, true);
  assert.equal(ok['node:http'].ok, true);
  assert.match(judgeRequireEsm(RUN, '')['require:esm-line'].reason, /exactly one stderr line naming --import, got 0/);
  assert.match(judgeRequireEsm(RUN, line + line)['require:esm-line'].reason, /got 2/);
  assert.equal(judgeRequireEsm({ failure: 'app exited (1) before listening', exit: { ok: true } }, line)['node:http'].ok, false);
});

test('cells: Node 22.15 (the lowest supported), 22, 24 and 26; no Node 20; the CI subset has the new cells and stays small', async () => {
  const { expandCells, NODE_MAJORS } = await load('cells.mjs');
  assert.deepEqual(NODE_MAJORS, ['22.15', '22', '24', '26']);
  const full = expandCells({ subset: 'full' }) as Array<{ id: string; node: string; start: string; stack: { appApi?: object } }>;
  assert.ok(!full.some((c) => c.node === '20'));
  const ci = expandCells({ subset: 'ci' }) as typeof full;
  assert.ok(ci.length <= 32, `CI subset has ${ci.length} cells`);
  for (const id of ['newest-node22.15-esm', 'newest-node26-cjs', 'newest-node24-esm-require', 'newest-node24-cjs-require',
    'api1.9-before-node24-esm', 'api1.9-after-node24-cjs', 'api-latest-before-node24-cjs', 'api-latest-after-node24-esm']) {
    assert.ok(ci.some((c) => c.id === id), id);
  }
  assert.equal(full.filter((c) => c.stack.appApi).length, 4 * 4 * 2);
});

test('the table orders Node columns by version (22.15 before 22) and gives app-API and --require cells their own rows', async () => {
  const { renderMarkdown } = await load('report.mjs');
  const pass = { status: 'pass' };
  const cell = (id: string, node: string, extra: object) => ({
    id, stack: 'newest', node, module: 'cjs', start: 'import', ts: false, versions: { pg: '8.23.1' }, libs: { pg: pass, exit: pass }, ...extra,
  });
  const md: string = renderMarkdown({
    generatedAt: 'now', obsVersion: '0.0.0', commit: 'abc', subset: 'unit', nodes: { '22': '22.23.3', '22.15': '22.15.1' },
    cells: [
      cell('a', '22', {}),
      cell('b', '22.15', {}),
      cell('c', '22', { start: 'require' }),
      cell('d', '22', { stack: 'api1.9-after', appApi: { label: '1.9.x', order: 'after', logs: 'api-logs' },
        libs: { pg: pass, 'app-api:counter': { status: 'fail', reason: 'no counter' }, exit: pass } }),
    ],
  });
  assert.match(md, /\| Library \| Node 22\.15\.1 CJS \| Node 22\.23\.3 CJS \|/);
  assert.match(md, /\| Started via `--require @org\/obs\/register`[^|]*\| – \| ✓ \|/);
  assert.match(md, /\| App on `@opentelemetry\/api` 1\.9\.x, installed after `@org\/obs`[^|]*\| – \| ✗ \[1\] \|/);
  assert.match(md, /app-api:counter: no counter/);
});
