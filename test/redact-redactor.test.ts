// The redactor applied to real SDK spans, log records and metric points: the one place for all signals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { randomUUID } from 'node:crypto';
import { SpanStatusCode } from '@opentelemetry/api';
import { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { createRedactor, type RedactionOptions } from '../src/redact/redactor.js';
import { REDACTED as R } from '../src/redact/url.js';

const DEFAULTS: RedactionOptions = { extraSecretKeys: [], keepQueryKeys: [], dbStatement: 'sanitized' };

function attrs(input: Record<string, unknown>, options: Partial<RedactionOptions> = {}): Record<string, unknown> {
  const copy = { ...input } as Record<string, never>;
  createRedactor({ ...DEFAULTS, ...options }).attributes(copy);
  return copy;
}

test('captured headers: authorization, cookie, set-cookie and API-key headers are redacted', () => {
  const out = attrs({
    'http.request.header.authorization': ['Bearer abc'],
    'http.request.header.cookie': ['sid=1'],
    'http.response.header.set-cookie': ['sid=2; HttpOnly'],
    'http.request.header.x-api-key': ['k'],
    'http.request.header.proxy-authorization': ['Basic eA=='],
    'http.request.header.accept': ['text/html'],
  });
  assert.deepEqual(out, {
    'http.request.header.authorization': R,
    'http.request.header.cookie': R,
    'http.response.header.set-cookie': R,
    'http.request.header.x-api-key': R,
    'http.request.header.proxy-authorization': R,
    'http.request.header.accept': ['text/html'],
  });
});

test('URL attributes: query values and credentials; OBS_URL_QUERY_KEEP keeps listed keys', () => {
  const out = attrs({ 'url.full': 'https://u:p@x/cb?code=1&page=2', 'url.query': 'code=1&page=2', 'db.connection_string': 'redis://:pw@cache:6379' }, { keepQueryKeys: ['page'] });
  assert.deepEqual(out, { 'url.full': `https://${R}@x/cb?code=${R}&page=2`, 'url.query': `code=${R}&page=2`, 'db.connection_string': `redis://${R}@cache:6379` });
});

test('URL paths (OBS_URL_PATH): a segment that is not a word, a version or a short number is masked in url.path, url.full and http.target; raw keeps them', () => {
  const input = {
    'url.path': '/reset/qazwsxed',
    'url.full': 'https://api.example.com/v1/keys/x7Kq2/items/42?page=2',
    'http.target': '/invite/hbgtrfvc?x=1',
    'url.original': '/users/blue-shirt/orders/1234567890123',
    'url.path.name': 'not a URL key: /users/alice',
  };
  assert.deepEqual(attrs(input), {
    'url.path': `/reset/${R}`,
    'url.full': `https://api.example.com/v1/keys/${R}/items/42?page=${R}`,
    'http.target': `/invite/${R}?x=${R}`,
    'url.original': `/users/blue-shirt/orders/${R}`,
    'url.path.name': 'not a URL key: /users/alice',
  });
  // Logged request objects (pino-http's req.url, express's originalUrl) get the same rule, at any depth.
  const logged = attrs({ req: { method: 'GET', url: '/reset/qazwsxed?token=t', originalUrl: '/invite/hbgtrfvc' }, err: { path: '/srv/app/qazwsxed.json' } });
  assert.deepEqual(logged, { req: { method: 'GET', url: `/reset/${R}?token=${R}`, originalUrl: `/invite/${R}` }, err: { path: '/srv/app/qazwsxed.json' } });
  // A name is data: proper nouns are not in the word set.
  assert.equal(attrs({ 'url.path': '/users/alice/cb' })['url.path'], `/users/${R}/cb`);
  const raw = attrs(input, { urlPath: 'raw' });
  assert.equal(raw['url.path'], '/reset/qazwsxed');
  assert.equal(raw['http.target'], `/invite/hbgtrfvc?x=${R}`);
});

test('secret-looking keys (and OBS_REDACT_KEYS) lose their values whatever the type; other strings are scrubbed as text', () => {
  const out = attrs({ 'app.password': 'x', 'app.pin_code': 1234, 'app.note': 'call /cb?token=abc', 'app.count': 3 }, { extraSecretKeys: ['pin_code'] });
  assert.deepEqual(out, { 'app.password': R, 'app.pin_code': R, 'app.note': `call /cb?token=${R}`, 'app.count': 3 });
});

test('OBS_DB_STATEMENT: sanitized replaces SQL literals, raw keeps, off removes; redis text is not SQL-parsed', () => {
  const sql = { 'db.system.name': 'postgresql', 'db.query.text': "SELECT * FROM u WHERE p = 'secret'" };
  assert.equal(attrs(sql)['db.query.text'], 'SELECT * FROM u WHERE p = ?');
  assert.equal(attrs(sql, { dbStatement: 'raw' })['db.query.text'], sql['db.query.text']);
  assert.ok(!('db.query.text' in attrs(sql, { dbStatement: 'off' })));
  assert.ok(!('db.statement' in attrs({ 'db.system': 'redis', 'db.statement': 'SET k ?' }, { dbStatement: 'off' })));
  assert.equal(attrs({ 'db.system': 'redis', 'db.statement': 'SET k ?' })['db.statement'], 'SET k ?');
});

test('spans: attributes, name, event and link attributes and the status message are redacted', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: exporter })] });
  const tracer = provider.getTracer('t');
  const other = tracer.startSpan('other');
  other.end();
  const span = tracer.startSpan('GET /cb?code=abc', { links: [{ context: other.spanContext(), attributes: { token: 't' } }] });
  span.setAttribute('url.full', 'http://x/cb?code=abc');
  span.recordException(new Error('failed with password=hunter2'));
  span.setStatus({ code: SpanStatusCode.ERROR, message: 'Bearer abc.def' });
  span.end();
  const [, finished] = exporter.getFinishedSpans();
  createRedactor(DEFAULTS).spans([finished]);
  assert.equal(finished.name, `GET /cb?code=${R}`);
  assert.equal(finished.attributes['url.full'], `http://x/cb?code=${R}`);
  assert.equal(finished.events[0].attributes?.['exception.message'], `failed with password=${R}`);
  assert.equal(finished.links[0].attributes?.token, R);
  assert.equal(finished.status.message, `Bearer ${R}`);
});

test('log records: attributes and nested bodies are redacted as they are emitted', async () => {
  const exporter = new InMemoryLogRecordExporter();
  const redactor = createRedactor(DEFAULTS);
  const provider = new LoggerProvider({ processors: [redactor.logProcessor, new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('l');
  logger.emit({ body: 'user logged in with token=abc', attributes: { 'user.password': 'p', 'http.url': '/x?k=v' } });
  logger.emit({ body: { msg: 'nested', creds: { secret: 's', list: ['api_key=zzz'] } } as never });
  await provider.forceFlush();
  const [first, second] = exporter.getFinishedLogRecords();
  assert.equal(first.body, `user logged in with token=${R}`);
  assert.deepEqual(first.attributes, { 'user.password': R, 'http.url': `/x?k=${R}` });
  assert.deepEqual(second.body, { msg: 'nested', creds: { secret: R, list: [`api_key=${R}`] } });
});

test('metric points: attributes redacted on a copy, the SDK\'s own attribute objects untouched', async () => {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({ readers: [reader] });
  const original = { 'app.token': 'abc', route: '/x' };
  provider.getMeter('m').createCounter('c').add(1, original);
  const { resourceMetrics } = await reader.collect();
  createRedactor(DEFAULTS).metrics(resourceMetrics);
  assert.deepEqual(resourceMetrics.scopeMetrics[0].metrics[0].dataPoints[0].attributes, { 'app.token': R, route: '/x' });
  assert.equal(original['app.token'], 'abc');
  await provider.shutdown();
});

test('identifier keys: a plain UUID skips the text pass and leaves exactly what the pass leaves; a card-number run inside one still goes', () => {
  const redactor = createRedactor(DEFAULTS);
  const viaText = (v: string): string => redactor.text(v, { blobs: false });
  // Random UUIDs, one whose digits form a Luhn-valid card number (4111 1111 1111 1111), and near misses.
  const values: string[] = Array.from({ length: 200 }, () => randomUUID());
  values.push('41111111-1111-1111-1111-abcdefabcdef', 'ABCDEF12-1234-1234-1234-123456789ABC', 'abcdefab-1234-5678-9abc-def0123456789', 'x@example.com-1234-1234-1234-123456789abc',
    // Digit runs at the card rule's edge, across dashes: 12 digits, then 13.
    '12345678-1234-4abc-8def-abcdefabcdef', '1234567a-1234-4abc-8def-123456789012', 'abcdef12-3456-7890-1abc-defabcdefabc',
    'abcdefab-cdef-4abc-8def-1234567890123'.slice(0, 36), '00000000-0000-0000-0000-000000000000', 'abcdefab-cdef-abcd-efab-cdefabcdef-1');
  for (const v of values) {
    const out = attrs({ 'request.id': v, 'session.id': v });
    assert.equal(out['request.id'], viaText(v), v);
    assert.equal(out['session.id'], R, 'a secret-looking key is still redacted whole');
  }
  const card = attrs({ 'request.id': '41111111-1111-1111-1111-abcdefabcdef' })['request.id'] as string;
  assert.ok(card.startsWith(R) && !card.includes('41111111'), card);
});

test('keys are classified once per key: a key seen as text, then again, keeps its rule; a secret key stays secret', () => {
  const redactor = createRedactor({ ...DEFAULTS, extraSecretKeys: ['tenant'] });
  for (let i = 0; i < 3; i++) {
    const a: Record<string, never> = { 'app.note': 'see ?token=abc' as never, 'app.tenant': 'acme' as never, 'url.query': 'a=1' as never };
    redactor.attributes(a);
    assert.deepEqual(a, { 'app.note': `see ?token=${R}`, 'app.tenant': R, 'url.query': `a=${R}` });
  }
});
