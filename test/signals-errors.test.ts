// Handler errors under the real preload, for express, fastify and koa: the server span of a 5xx carries the
// exception event and a status message, http.server.errors counts it by exception type, route and method,
// thrown 4xx answers are not server errors, and errors the app's own error handler answers still count.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { latestSeries, settle, startApp, WAIT } from './signals-helpers.js';

type Receiver = Parameters<typeof latestSeries>[0];

function errorCounts(receiver: Receiver): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { attributes, value } of latestSeries(receiver, 'http.server.errors').values()) {
    out[`${String(attributes['http.request.method'])} ${String(attributes['http.route'])} ${String(attributes['error.type'])}`] = value;
  }
  return out;
}

for (const framework of ['express', 'fastify', 'koa']) {
  test(`errors: ${framework} handler errors reach the server span and http.server.errors{error.type, http.route}`, async (t) => {
    const { receiver, base } = await startApp(t, `errors/${framework}.mjs`);
    const statuses: Record<string, number> = {};
    for (const path of ['/boom/1', '/boom/2', '/async/3', '/gone/4', '/handled/5']) {
      const res = await fetch(base + path);
      await res.arrayBuffer();
      statuses[path] = res.status;
    }
    assert.deepEqual(statuses, { '/boom/1': 500, '/boom/2': 500, '/async/3': 500, '/gone/4': 404, '/handled/5': 503 });

    const want = {
      'GET /async/:id PaymentError': 1,
      'GET /boom/:id TypeError': 2,
      'GET /handled/:id RangeError': 1,
    };
    assert.deepEqual(await settle(() => errorCounts(receiver), want), want);

    const span = await receiver.waitForSpan((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/boom/1', WAIT);
    assert.equal(span.status.code, 'ERROR');
    assert.equal(span.status.message, 'TypeError: cannot read the order');
    const exception = span.events.find((e) => e.name === 'exception');
    assert.ok(exception, `exception event on ${span.name}: ${JSON.stringify(span.events)}`);
    assert.equal(exception.attributes['exception.type'], 'TypeError');
    assert.equal(exception.attributes['exception.message'], 'cannot read the order');
    assert.match(String(exception.attributes['exception.stacktrace']), /TypeError: cannot read the order/);

    const async = await receiver.waitForSpan((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/async/3', WAIT);
    assert.equal(async.status.message, 'PaymentError: card declined by the bank');
    // A thrown 404 is the framework answering the client: no exception on the server span.
    const gone = await receiver.waitForSpan((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/gone/4', WAIT);
    assert.equal(gone.status.code, 'UNSET');
    assert.equal(gone.events.filter((e) => e.name === 'exception').length, 0);
  });
}
