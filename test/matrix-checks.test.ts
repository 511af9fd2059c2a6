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
