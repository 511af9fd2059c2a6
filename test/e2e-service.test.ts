// End-to-end: ESM (express) and CommonJS (node:http) services under the real preload, against the real
// PostgreSQL and Redis: the span tree of one request, its metrics, its pino log record and the resource.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture, fixturesDir } from './support/fixtures-dir.js';
import { startReceiver, type OtlpReceiver, type ReceivedSpan } from './support/receiver.js';
import { runFixture } from './support/spawn.js';

const WAIT = { timeoutMs: 30_000 };
// The fixtures put this literal in their SQL and this value in redis: neither may be exported.
const SQL_LITERAL = 'secret-literal-9731';
const REDIS_VALUE = 'redis-secret-value';

interface Scenario {
  file: string;
  serviceName: string;
  serviceVersion: string;
  /** express sets http.route; plain node:http cannot know it. */
  route?: string;
}

const ESM: Scenario = { file: fixture('e2e-esm', 'server.mjs'), serviceName: 'e2e-esm-orders', serviceVersion: '3.1.4', route: '/orders/:id' };
const CJS: Scenario = { file: fixture('e2e-cjs', 'server.cjs'), serviceName: 'e2e-cjs-orders', serviceVersion: '2.7.1' };

/** The chain of span kinds from `span` up to (not including) `ancestor`, or undefined if it is not an ancestor. */
function kindsUpTo(span: ReceivedSpan, ancestor: ReceivedSpan, all: readonly ReceivedSpan[]): string[] | undefined {
  const kinds: string[] = [];
  let current: ReceivedSpan | undefined = span;
  while (current && current.parentSpanId !== '') {
    const parentId: string = current.parentSpanId;
    if (parentId === ancestor.spanId) return kinds;
    current = all.find((s) => s.spanId === parentId && s.traceId === span.traceId);
    if (current) kinds.push(current.kind);
  }
  return undefined;
}

function scopeIs(span: ReceivedSpan, instrumentation: string): boolean {
  return span.scope.name === `@opentelemetry/instrumentation-${instrumentation}`;
}

interface RequestSpans {
  server: ReceivedSpan;
  pg: ReceivedSpan;
  redis: ReceivedSpan;
  ioredis: ReceivedSpan;
  fetch: ReceivedSpan;
  downstream: ReceivedSpan;
}

/** Waits until every span of the /orders/42 request on `port` has arrived. */
async function requestSpans(receiver: OtlpReceiver, port: number): Promise<RequestSpans> {
  return receiver.waitFor((r) => {
    const server = r.spans.find((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/orders/42' && s.attributes['server.port'] === port);
    if (!server) return undefined;
    const inTrace = r.spans.filter((s) => s.traceId === server.traceId);
    const found = {
      server,
      pg: inTrace.find((s) => scopeIs(s, 'pg') && typeof s.attributes['db.query.text'] === 'string'),
      redis: inTrace.find((s) => scopeIs(s, 'redis') && s.attributes['db.operation.name'] === 'SET'),
      ioredis: inTrace.find((s) => scopeIs(s, 'ioredis') && s.attributes['db.operation.name'] === 'get'),
      fetch: inTrace.find((s) => scopeIs(s, 'undici') && s.attributes['url.path'] === '/stock/42'),
      downstream: inTrace.find((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/stock/42'),
    };
    return Object.values(found).every(Boolean) ? (found as RequestSpans) : undefined;
  }, { ...WAIT, description: `every span of GET /orders/42 on port ${port}` });
}

async function runScenario(t: { after(fn: () => unknown): void }, s: Scenario, preloadFlag: '--import' | '--require' = '--import'): Promise<void> {
  const receiver = await startReceiver(t);
  const proc = await runFixture(s.file, {
    cwd: fixturesDir,
    preloadFlag,
    // The export timeout is capped at the interval, and the first export also loads the exporter: a short
    // interval on a loaded machine would print a timeout warning that the stderr check below rejects.
    env: { ...receiver.envFor(), OTEL_METRIC_EXPORT_INTERVAL: '4000', NODE_ENV: 'staging' },
    waitForStdout: /listening on (\d+)/,
    readyTimeoutMs: 30_000,
    t,
  });
  const port = Number(proc.ready![1]);
  const res = await fetch(`http://127.0.0.1:${port}/orders/42?token=abc`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { id: 42, cached: REDIS_VALUE, stock: s === ESM ? 7 : 3 });

  // Spans: one trace, rooted at the SERVER span, every client call below it.
  const spans = await requestSpans(receiver, port);
  const { server } = spans;
  assert.equal(server.parentSpanId, '', 'the incoming request starts the trace');
  assert.equal(server.attributes['http.request.method'], 'GET');
  assert.equal(server.attributes['http.response.status_code'], 200);
  if (s.route) {
    assert.equal(server.attributes['http.route'], s.route);
    assert.equal(server.name, `GET ${s.route}`);
  }
  for (const name of ['pg', 'redis', 'ioredis', 'fetch'] as const) {
    const span = spans[name];
    assert.equal(span.kind, 'CLIENT', `${name} span kind`);
    assert.equal(span.traceId, server.traceId, `${name} span is in the request's trace`);
    const between = kindsUpTo(span, server, receiver.spans);
    assert.ok(between, `${name} span descends from the SERVER span`);
    assert.ok(between.every((k) => k === 'INTERNAL'), `${name}: only framework spans in between: ${between.join(',')}`);
    assert.equal(span.attributes['server.address'], '127.0.0.1', `${name} server.address`);
  }
  // The called service continues the same trace (traceparent went out with fetch).
  assert.equal(spans.downstream.parentSpanId, spans.fetch.spanId);

  assert.equal(spans.pg.attributes['db.system.name'], 'postgresql');
  const sql = String(spans.pg.attributes['db.query.text']);
  assert.match(sql, /^SELECT \$1::int AS id, \? AS note WHERE \? = \?$/);
  assert.ok(!sql.includes(SQL_LITERAL));
  for (const name of ['redis', 'ioredis'] as const) {
    assert.equal(spans[name].attributes['db.system.name'], 'redis');
    assert.ok(!JSON.stringify(spans[name].attributes).includes(REDIS_VALUE), `${name} span carries no stored value`);
  }
  assert.equal(spans.fetch.attributes['http.request.method'], 'GET');
  assert.equal(spans.fetch.attributes['server.port'], spans.downstream.attributes['server.port']);
  assert.ok(!JSON.stringify(receiver.spans).includes(SQL_LITERAL));

  // Redis commands outside any request (the fixture's start-up) are traced too, as roots of their own traces.
  for (const lib of ['redis', 'ioredis']) {
    const boot = receiver.spans.find((x) => scopeIs(x, lib) && String(x.attributes['db.query.text']).includes(':boot'));
    assert.ok(boot, `${lib} start-up command traced`);
    assert.equal(boot.kind, 'CLIENT');
    assert.equal(boot.parentSpanId, '');
  }

  // Resource: from the fixture's package.json and NODE_ENV.
  assert.equal(server.resource['service.name'], s.serviceName);
  assert.equal(server.resource['service.version'], s.serviceVersion);
  assert.equal(server.resource['deployment.environment.name'], 'staging');

  // Metrics: stable HTTP and database conventions, with the labels dashboards group by.
  const httpPoint = await receiver.waitForMetric((p) => p.name === 'http.server.request.duration'
    && p.attributes['http.response.status_code'] === 200 && (!s.route || p.attributes['http.route'] === s.route), WAIT);
  assert.equal(httpPoint.type, 'histogram');
  assert.equal(httpPoint.unit, 's');
  assert.equal(httpPoint.attributes['http.request.method'], 'GET');
  const dbPoint = await receiver.waitForMetric((p) => p.name === 'db.client.operation.duration' && p.attributes['db.system.name'] === 'postgresql', WAIT);
  assert.equal(dbPoint.type, 'histogram');
  assert.equal(dbPoint.attributes['db.operation.name'], 'SELECT');
  const poolPoint = await receiver.waitForMetric((p) => p.name === 'db.client.connection.count', WAIT);
  assert.ok(['idle', 'used'].includes(String(poolPoint.attributes['db.client.connection.state'])));
  await receiver.waitForMetric((p) => p.name === 'db.client.connection.pending_requests', WAIT);

  // Logs: the handler's pino record, over OTLP and on stdout, carries the request's trace id.
  const record = await receiver.waitForLog((l) => l.body === 'order served', WAIT);
  assert.equal(record.traceId, server.traceId);
  assert.equal(record.attributes.orderId, 42);
  const line = proc.stdout.split('\n').find((l) => l.includes('"order served"'));
  assert.ok(line, `pino line on stdout:\n${proc.stdout}`);
  assert.equal((JSON.parse(line) as { trace_id?: string }).trace_id, server.traceId);

  // Never harm the host: its own SIGTERM handler still decides the exit, and we printed nothing.
  proc.kill('SIGTERM');
  const exit = await proc.exited;
  assert.equal(exit.code, 0, proc.stderr);
  assert.equal(proc.stderr, '', 'a healthy run prints nothing from us on stderr');
}

test('e2e ESM express service: one trace per request, SERVER span above pg, node-redis, ioredis and fetch CLIENT spans; metrics; pino record with the trace id', async (t) => {
  await runScenario(t, ESM);
});

test('e2e CommonJS node:http service: one trace per request, SERVER span above pg, node-redis, ioredis and fetch CLIENT spans; metrics; pino record with the trace id', async (t) => {
  await runScenario(t, CJS);
});

test('e2e CommonJS node:http service started with --require @org/obs/register: the same trace, metrics and logs as with --import', async (t) => {
  await runScenario(t, CJS, '--require');
});

test('e2e ESM service started with --require: it runs and answers, and one line says to use --import', async (t) => {
  const receiver = await startReceiver(t);
  const proc = await runFixture(ESM.file, {
    cwd: fixturesDir, preloadFlag: '--require',
    env: { ...receiver.envFor(), OTEL_METRIC_EXPORT_INTERVAL: '4000' },
    waitForStdout: /listening on (\d+)/, readyTimeoutMs: 30_000, t,
  });
  const res = await fetch(`http://127.0.0.1:${proc.ready![1]}/orders/42`);
  assert.equal(res.status, 200);
  proc.kill('SIGTERM');
  assert.equal((await proc.exited).code, 0);
  const lines = proc.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, proc.stderr);
  assert.match(lines[0], /^@org\/obs: started with --require: this app is ESM.*node --import @org\/obs\/register$/);
});
