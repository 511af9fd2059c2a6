// The published package as a new user gets it: `npm pack` the repo, `npm install` the tarball into a
// throw-away service folder, start the service with `node --import @org/obs/register`. Proves that
// package.json `files` and `exports` are enough (no reliance on the repo's own node_modules or dist/test).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { repoRoot } from './support/fixtures-dir.js';
import { packRepo, type Packed } from './support/pack.js';
import { startReceiver } from './support/receiver.js';
import { runFixture, runFixtureToExit } from './support/spawn.js';

const WAIT = { timeoutMs: 30_000 };
const TEMPLATE = { dir: 'e2e-pack', files: ['package.json', 'server.mjs', 'api-check.mjs'] } as const;

let packed: Packed | undefined;
let serviceDir = '';

before(async () => {
  packed = await packRepo();
  serviceDir = await packed.service('service', TEMPLATE, [['@org/obs', 'pg', 'pino']]);
});

after(() => packed?.remove());

test('pack: the tarball holds the preload and its sources, not the tests', () => {
  const installed = path.join(serviceDir, 'node_modules', '@org', 'obs');
  assert.ok(existsSync(path.join(installed, 'dist', 'register.js')));
  assert.ok(existsSync(path.join(installed, 'dist', 'src', 'start.js')));
  // Read at run time beside route-words.js (scripts/copy-assets.mjs puts it in dist/).
  assert.ok(existsSync(path.join(installed, 'dist', 'src', 'redact', 'route-words.bin')), 'the route word set is published');
  assert.ok(!existsSync(path.join(installed, 'dist', 'test')), 'compiled tests are not published');
});

test('pack: a service with the installed tarball, started with node --import @org/obs/register, exports its http and pg spans, metrics and pino records', async (t) => {
  const receiver = await startReceiver(t);
  const proc = await runFixture(path.join(serviceDir, 'server.mjs'), {
    cwd: serviceDir, preloadSpecifier: '@org/obs/register', env: { ...receiver.envFor(), OTEL_METRIC_EXPORT_INTERVAL: '4000' },
    waitForStdout: /listening on (\d+)/, readyTimeoutMs: 30_000, t,
  });
  const res = await fetch(`http://127.0.0.1:${proc.ready![1]}/`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { one: 1 });
  const server = await receiver.waitForSpan((s) => s.kind === 'SERVER', WAIT);
  const query = await receiver.waitForSpan((s) => s.kind === 'CLIENT' && s.attributes['db.system.name'] === 'postgresql'
    && typeof s.attributes['db.query.text'] === 'string', WAIT);
  assert.equal(query.traceId, server.traceId);
  assert.equal(server.resource['service.name'], 'e2e-pack-svc');
  assert.equal(server.resource['service.version'], '5.0.2');
  // Metrics use the default http/protobuf exporter, which must resolve from the installed package too.
  await receiver.waitForMetric((p) => p.name === 'db.client.operation.duration', WAIT);
  await receiver.waitForMetric((p) => p.name === 'http.server.request.duration', WAIT);
  const record = await receiver.waitForLog((l) => l.body === 'query done', WAIT);
  assert.equal(record.traceId, server.traceId);
  proc.kill('SIGTERM');
  assert.equal((await proc.exited).code, 0);
  assert.equal(proc.stderr, '');
});

test('pack: the public entry point (import "@org/obs") resolves through exports and has no side effects', async () => {
  const result = await runFixtureToExit(path.join(serviceDir, 'api-check.mjs'), { cwd: serviceDir, preload: false });
  assert.equal(result.code, 0, result.stderr);
  const out = JSON.parse(result.stdout) as { keys: string[]; status: unknown };
  assert.deepEqual(out.keys, ['readConfig', 'shutdown', 'status']);
  assert.equal(out.status, null, 'importing the API does not start the preload');
});

test('pack: two installed copies (the service\'s own and another via NODE_OPTIONS): one SDK and exactly one line on stderr', async (t) => {
  const receiver = await startReceiver(t);
  const proc = await runFixture(path.join(serviceDir, 'server.mjs'), {
    cwd: serviceDir, preloadSpecifier: '@org/obs/register',
    env: { ...receiver.envFor(), OTEL_METRIC_EXPORT_INTERVAL: '5000', NODE_OPTIONS: `--import ${path.join(repoRoot, 'dist', 'register.js')}` },
    waitForStdout: /listening on (\d+)/, readyTimeoutMs: 30_000, t,
  });
  assert.equal((await fetch(`http://127.0.0.1:${proc.ready![1]}/`)).status, 200);
  await receiver.waitForSpan((s) => s.kind === 'CLIENT' && s.attributes['db.system.name'] === 'postgresql'
    && typeof s.attributes['db.query.text'] === 'string', WAIT);
  await receiver.waitForSpan((s) => s.kind === 'SERVER', WAIT);
  proc.kill('SIGTERM');
  await proc.exited;
  // Distinct span ids: a batch re-sent after a slow acknowledgement (at-least-once delivery) is not a second trace.
  const serverSpans = new Set(receiver.spans.filter((s) => s.kind === 'SERVER').map((s) => s.spanId));
  assert.equal(serverSpans.size, 1, 'the request is traced once');
  const lines = proc.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, proc.stderr);
  assert.match(lines[0], /^@org\/obs: loaded twice/);
});

test('pack: in a strict (nested) node_modules layout, the exporters of every OTLP protocol resolve from the package\'s own dependencies', async (t) => {
  // Hoisting can hide an undeclared dependency (found through another package's); nesting cannot.
  const strictDir = await packed!.service('strict', TEMPLATE, [['@org/obs', 'pg', 'pino', '--install-strategy=nested']]);
  const receiver = await startReceiver(t);
  const sets = [
    { traces: 'grpc', metrics: 'http/protobuf', logs: 'http/protobuf' },
    { traces: 'http/protobuf', metrics: 'grpc', logs: 'grpc' },
    { traces: 'http/json', metrics: 'http/json', logs: 'http/json' },
  ] as const;
  for (const protocols of sets) {
    receiver.clear();
    const proc = await runFixture(path.join(strictDir, 'server.mjs'), {
      cwd: strictDir, preloadSpecifier: '@org/obs/register', env: { ...receiver.envFor(protocols), OTEL_METRIC_EXPORT_INTERVAL: '4000' },
      waitForStdout: /listening on (\d+)/, readyTimeoutMs: 30_000, t,
    });
    assert.equal((await fetch(`http://127.0.0.1:${proc.ready![1]}/`)).status, 200);
    const what = JSON.stringify(protocols);
    await receiver.waitForSpan((s) => s.kind === 'SERVER', { ...WAIT, description: `SERVER span over ${what}` });
    await receiver.waitForMetric('http.server.request.duration', { ...WAIT, description: `metrics over ${what}` });
    await receiver.waitForLog((l) => l.body === 'query done', { ...WAIT, description: `logs over ${what}` });
    proc.kill('SIGKILL');
    await proc.exited;
    assert.equal(proc.stderr, '', what);
  }
});
