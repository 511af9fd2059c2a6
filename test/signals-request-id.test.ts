// Request ids end to end under the real preload: a given x-request-id and a generated one travel to the
// server span, the response header, outgoing http and fetch calls and every log record of the request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApp, WAIT } from './signals-helpers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('request id: a given x-request-id is echoed, on the server span, sent on outgoing http and fetch, and in pino and console log records', async (t) => {
  const { receiver, base } = await startApp(t, 'signals-app/server.mjs', { OBS_CONSOLE_CAPTURE: 'true', OBS_USER_ID_HEADER: 'x-user-id' });
  const res = await fetch(`${base}/work`, { headers: { 'x-request-id': 'req-given-1', 'x-user-id': 'user-7' } });
  assert.equal(res.headers.get('x-request-id'), 'req-given-1');
  assert.deepEqual(await res.json(), { viaHttp: 'req-given-1', viaFetch: 'req-given-1' });

  const server = await receiver.waitForSpan((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/work', WAIT);
  assert.equal(server.attributes['request.id'], 'req-given-1');
  assert.equal(server.attributes['enduser.id'], 'user-7');
  const pinoRecord = await receiver.waitForLog((l) => l.body === 'pino line', WAIT);
  assert.equal(pinoRecord.attributes.request_id, 'req-given-1');
  assert.equal(pinoRecord.attributes.user_id, 'user-7');
  assert.equal(pinoRecord.traceId, server.traceId);
  const consoleRecord = await receiver.waitForLog((l) => l.body === 'console line for /work', WAIT);
  assert.equal(consoleRecord.attributes.request_id, 'req-given-1');
  assert.equal(consoleRecord.traceId, server.traceId);
  assert.equal(consoleRecord.severityText, 'INFO');
});

test('request id: without a header one is generated (uuid v4), echoed and used downstream; a malformed header is replaced', async (t) => {
  const { receiver, base } = await startApp(t, 'signals-app/server.mjs');
  const res = await fetch(`${base}/work`);
  const id = res.headers.get('x-request-id') ?? '';
  assert.match(id, UUID);
  assert.deepEqual(await res.json(), { viaHttp: id, viaFetch: id });
  const server = await receiver.waitForSpan((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/work', WAIT);
  assert.equal(server.attributes['request.id'], id);
  assert.equal(server.attributes['enduser.id'], undefined, 'user id is off by default');
  // The downstream server span got the same id from the outgoing call's header.
  const downstream = await receiver.waitFor((r) => r.spans.filter((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/down').length === 2 && r.spans, WAIT);
  for (const s of downstream.filter((x) => x.kind === 'SERVER' && x.attributes['url.path'] === '/down')) assert.equal(s.attributes['request.id'], id);

  const second = await fetch(`${base}/items/1`, { headers: { 'x-request-id': 'bad value\twith tab' } });
  assert.match(second.headers.get('x-request-id') ?? '', UUID);
  const third = await fetch(`${base}/items/1`);
  assert.notEqual(third.headers.get('x-request-id'), second.headers.get('x-request-id'), 'each request gets its own id');
});

test('request id: OBS_REQUEST_ID_HEADER renames the header; off turns ids off entirely', async (t) => {
  const renamed = await startApp(t, 'signals-app/server.mjs', { OBS_REQUEST_ID_HEADER: 'X-Correlation-Id' });
  const res = await fetch(`${renamed.base}/items/2`, { headers: { 'x-correlation-id': 'corr-9' } });
  assert.equal(res.headers.get('x-correlation-id'), 'corr-9');
  assert.equal(res.headers.get('x-request-id'), null);
  const off = await startApp(t, 'signals-app/server.mjs', { OBS_REQUEST_ID_HEADER: 'off' });
  const res2 = await fetch(`${off.base}/items/3`);
  assert.equal(res2.headers.get('x-request-id'), null);
  const span = await off.receiver.waitForSpan((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/items/3', WAIT);
  assert.equal(span.attributes['request.id'], undefined);
});

test('request id: concurrent requests never see each other\'s id, downstream or in their log records', async (t) => {
  const { receiver, base } = await startApp(t, 'signals-app/server.mjs');
  const ids = Array.from({ length: 24 }, (_, i) => `concurrent-${i}`);
  const answers = await Promise.all(ids.map(async (id) => {
    const res = await fetch(`${base}/work`, { headers: { 'x-request-id': id } });
    return { id, echoed: res.headers.get('x-request-id'), body: (await res.json()) as { viaHttp: string; viaFetch: string } };
  }));
  for (const a of answers) assert.deepEqual([a.echoed, a.body.viaHttp, a.body.viaFetch], [a.id, a.id, a.id]);
  const records = await receiver.waitFor((r) => {
    const lines = r.logs.filter((l) => l.body === 'pino line');
    return lines.length === ids.length && lines;
  }, WAIT);
  const servers = await receiver.waitFor((r) => {
    const spans = r.spans.filter((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/work');
    return spans.length === ids.length && spans;
  }, WAIT);
  for (const record of records) {
    const server = servers.find((s) => s.traceId === record.traceId);
    assert.ok(server, 'each record belongs to a request trace');
    assert.equal(record.attributes.request_id, server.attributes['request.id']);
  }
  assert.deepEqual(records.map((r) => r.attributes.request_id).sort(), [...ids].sort());
});
