// Our HTTP server span (src/instrumentations/http-server/) under the real preload: context survives a body
// that arrives in a later TCP packet, an aborted request still ends its span, an outgoing call is its
// child, the span and duration metric match what instrumentation-http wrote (OBS_HTTP_SERVER=otel), and
// a throwing handler's fatal stderr header names the app's line as it does without the preload.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { request } from 'node:http';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startApp, WAIT } from './signals-helpers.js';
import { fixture, fixturesDir } from './support/fixtures-dir.js';
import { runFixture } from './support/spawn.js';
import type { OtlpReceiver, ReceivedSpan } from './support/receiver.js';

const APP = 'http-server/app.mjs';

function get(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request(base + path, { headers }, (res) => {
      res.resume().on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    }).on('error', reject).end();
  });
}

function rawSocket(base: string): Promise<Socket> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), hostname, () => resolve(s)).on('error', reject);
  });
}

/** Whether `ancestor` is on `span`'s parent chain (express's own spans sit between a server span and the handler's calls). */
function descendsFrom(receiver: OtlpReceiver, span: ReceivedSpan, ancestor: ReceivedSpan): boolean {
  const byId = new Map(receiver.spans.map((s) => [s.spanId, s]));
  let at: ReceivedSpan | undefined = span;
  for (let hops = 0; at && hops < 20; hops++) {
    if (at.parentSpanId === ancestor.spanId) return true;
    at = byId.get(at.parentSpanId);
  }
  return false;
}

function serverSpan(receiver: OtlpReceiver, path: string): Promise<ReceivedSpan> {
  return receiver.waitForSpan((s) => s.kind === 'SERVER' && s.attributes['url.path'] === path, WAIT);
}

for (const [path, column, how] of [['/orders', 'AS n', 'express.json()'], ['/raw', 'AS raw', "plain req.on('data'/'end') listeners"]] as const) {
  test(`a JSON body in a later TCP packet, read by ${how}: the pg query in the handler descends from the server span`, async (t) => {
    const { receiver, base } = await startApp(t, APP);
    const socket = await rawSocket(base);
    const body = JSON.stringify({ n: 42 });
    const answer = new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString())).on('end', () => resolve(text));
    });
    socket.write(`POST ${path} HTTP/1.1\r\nHost: ${new URL(base).host}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
    // The headers alone start the request; the body comes in its own packet, from the socket's context.
    await sleep(150);
    socket.write(body);
    assert.match(await answer, /\{"n":42\}/);
    const server = await serverSpan(receiver, path);
    const query = await receiver.waitForSpan((s) => s.kind === 'CLIENT' && String(s.attributes['db.query.text'] ?? s.attributes['db.statement'] ?? '').includes(column), WAIT);
    assert.equal(query.traceId, server.traceId);
    assert.ok(descendsFrom(receiver, query, server), 'the pg span descends from the server span');
    assert.equal(server.name, `POST ${path}`);
  });
}

test('an aborted request ends its server span', async (t) => {
  const { receiver, base } = await startApp(t, APP);
  const socket = await rawSocket(base);
  socket.write(`GET /hang HTTP/1.1\r\nHost: ${new URL(base).host}\r\n\r\n`);
  await sleep(300);
  socket.destroy();
  const span = await serverSpan(receiver, '/hang');
  assert.equal(span.attributes['http.route'], '/hang');
  assert.equal(span.name, 'GET /hang');
});

test('a client request made in a handler is a child of the server span, and the callee\'s server span its child', async (t) => {
  const { receiver, base } = await startApp(t, APP);
  assert.equal((await get(base, '/call')).status, 200);
  const outer = await serverSpan(receiver, '/call');
  const client = await receiver.waitForSpan((s) => s.kind === 'CLIENT' && String(s.attributes['url.full'] ?? '').endsWith('/hello'), WAIT);
  const inner = await serverSpan(receiver, '/hello');
  assert.ok(descendsFrom(receiver, client, outer), 'the client span descends from the server span');
  assert.equal(inner.parentSpanId, client.spanId);
  assert.equal(inner.traceId, outer.traceId);
});

/** A server span and its duration point, with what varies between runs taken out. */
async function observed(t: { after(fn: () => unknown): void }, env: Record<string, string>): Promise<{ span: Record<string, unknown>; metric: Record<string, unknown> }> {
  const { receiver, base } = await startApp(t, APP, { OBS_REQUEST_ID_HEADER: 'x-request-id', ...env });
  const res = await get(base, '/hello?q=1&sig=abc&token=s3cret', { 'user-agent': 'span-diff/1.0', 'x-request-id': 'req-1234', 'x-forwarded-for': '10.1.2.3, 10.0.0.1' });
  assert.equal(res.headers['x-request-id'], 'req-1234');
  assert.equal((await get(base, '/nope')).status, 404);
  const span = await serverSpan(receiver, '/hello');
  const attributes = { ...span.attributes };
  assert.equal(typeof attributes['network.peer.port'], 'number');
  assert.equal(attributes['server.port'], Number(new URL(base).port));
  // Each run has its own ports.
  delete attributes['network.peer.port'];
  delete attributes['server.port'];
  const point = await receiver.waitForMetric((m) => m.name === 'http.server.request.duration' && m.attributes['http.route'] === '/hello', WAIT);
  return {
    span: { name: span.name, kind: span.kind, status: span.status, scope: span.scope.name, attributes },
    metric: { unit: point.unit, attributes: point.attributes, bounds: point.explicitBounds, scope: point.scope.name },
  };
}

test('the server span and its duration point match what instrumentation-http writes (OBS_HTTP_SERVER=otel)', async (t) => {
  const ours = await observed(t, {});
  const upstream = await observed(t, { OBS_HTTP_SERVER: 'otel' });
  // The one intended difference: our duration histogram is recorded into metric cells, exported under
  // our own scope (docs/metrics.md; neither road into Prometheus shows a scope by default).
  assert.equal(ours.metric.scope, '@org/obs');
  assert.equal(upstream.metric.scope, '@opentelemetry/instrumentation-http');
  assert.deepEqual({ ...ours, metric: { ...ours.metric, scope: undefined } }, { ...upstream, metric: { ...upstream.metric, scope: undefined } });
  // Not vacuous: the fields the semantic conventions ask for are there.
  const attrs = ours.span.attributes as Record<string, unknown>;
  assert.equal(attrs['http.route'], '/hello');
  assert.equal(attrs['http.response.status_code'], 200);
  assert.equal(attrs['client.address'], '10.1.2.3');
  assert.equal(attrs['request.id'], 'req-1234');
  assert.equal(ours.span.name, 'GET /hello');
});

test('a throw in the request handler: the fatal stderr header names the app\'s line, as without the preload', async (t) => {
  const headerOf = async (preload: boolean): Promise<{ header: string; code: number | null }> => {
    const proc = await runFixture(fixture('http-server', 'throws.mjs'), { preload, cwd: fixturesDir, waitForStdout: /listening on (\d+)/, t });
    await get(`http://127.0.0.1:${proc.ready![1]}`, '/boom').catch(() => undefined);
    const { code } = await proc.exited;
    // Node's header: the throwing line, its source and a caret, then the error's own line.
    return { header: proc.stderr.split('\n    at ')[0], code };
  };
  const plain = await headerOf(false);
  const preloaded = await headerOf(true);
  assert.match(plain.header, /throws\.mjs:6\n/);
  assert.match(plain.header, /Error: handler exploded/);
  assert.equal(preloaded.header, plain.header);
  assert.equal(preloaded.code, plain.code);
});
