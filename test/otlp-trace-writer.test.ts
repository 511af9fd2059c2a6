// Our one-pass OTLP trace writer against upstream's ProtobufTraceSerializer: same bytes, and the same
// message once decoded with protobufjs (the receiver's OTLP schema), on seeded random batches and real SDK spans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { encodeTraceRequest } from '../src/export/otlp-trace-writer/serializer.js';
import { cacheSize } from '../src/export/otlp-trace-writer/values.js';
import { serialize } from '../src/export/serialize.js';
import { otlpType, TYPE } from '../src/cli/receiver/proto.js';
import { SpanGen } from './support/random-spans.js';

const require = createRequire(import.meta.url);

function upstream(spans: ReadableSpan[]): Uint8Array {
  const body = serialize('traces', 'http/protobuf', spans);
  assert.ok(body);
  return body;
}

function decoded(body: Uint8Array): unknown {
  const type = otlpType(TYPE.traces);
  // Unknown/legal-but-different encodings would surface here as a decode error or a different object.
  return type.toObject(type.decode(body), { longs: String, bytes: String, defaults: false, arrays: true, objects: true });
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function check(spans: ReadableSpan[], label: string): void {
  const theirs = upstream(spans);
  const ours = encodeTraceRequest(spans);
  assert.deepStrictEqual(decoded(ours), decoded(theirs), `${label}: decoded messages differ`);
  assert.equal(firstDifference(ours, theirs), -1, `${label}: bytes differ (ours ${ours.length} B, upstream ${theirs.length} B)`);
}

test('seeded random batches: byte-identical to upstream, and equal once decoded by protobufjs', () => {
  for (let seed = 1; seed <= 300; seed++) {
    const gen = new SpanGen(seed);
    check(gen.batch(1 + gen.int(40)), `seed ${seed}`);
  }
});

test('every AnyValue kind and edge number lands as upstream encodes it (decoded field by field)', () => {
  const gen = new SpanGen(7);
  const [span] = gen.batch(1);
  const attrs = {
    s: 'héllo 🎉', empty: '', t: true, f: false, i: 42, neg: -7, big: 2 ** 60, min: -(2 ** 63), d: 1.5, nan: Number.NaN,
    inf: -Infinity, over: 2 ** 63, arr: ['a', 1, 2.5, true, null], bytes: new Uint8Array([0, 1, 255]), kv: { inner: { deep: 'x' }, n: 3 }, nul: null,
  };
  const withAttrs = { ...span, spanContext: span.spanContext, attributes: attrs } as unknown as ReadableSpan;
  check([withAttrs], 'edge values');
  const msg = decoded(encodeTraceRequest([withAttrs])) as {
    resourceSpans: { scopeSpans: { spans: { attributes: { key: string; value: Record<string, unknown> }[] }[] }[] }[];
  };
  const got = Object.fromEntries(msg.resourceSpans[0].scopeSpans[0].spans[0].attributes.map((kv) => [kv.key, kv.value]));
  assert.deepEqual(got.s, { stringValue: 'héllo 🎉' });
  assert.deepEqual(got.empty, { stringValue: '' });
  assert.deepEqual(got.f, { boolValue: false });
  assert.deepEqual(got.neg, { intValue: '-7' });
  assert.deepEqual(got.big, { intValue: (2n ** 60n).toString() });
  assert.deepEqual(got.min, { intValue: '-9223372036854775808' });
  assert.deepEqual(got.d, { doubleValue: 1.5 });
  assert.ok(Number.isNaN(got.nan.doubleValue));
  assert.deepEqual(got.over, { doubleValue: 2 ** 63 });
  assert.deepEqual(got.bytes, { bytesValue: Buffer.from([0, 1, 255]).toString('base64') });
  assert.deepEqual(got.nul, {});
  assert.equal((got.arr.arrayValue as { values: unknown[] }).values.length, 5);
  assert.ok(got.kv.kvlistValue);
});

test('spans from the real SDK (TracerProvider, in-memory exporter) encode identically', async () => {
  const { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'writer-test', 'service.version': '1.2.3' }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('@org/obs-test', '9.9.9');
  const other = provider.getTracer('other-scope');
  const parent = tracer.startSpan('GET /users/:id', { kind: 1, attributes: { 'http.request.method': 'GET', 'http.response.status_code': 200, 'url.path': '/users/42' } });
  parent.addEvent('exception', { 'exception.type': 'Error', 'exception.message': 'nope' });
  parent.setStatus({ code: 2, message: 'failed' });
  const { trace, context } = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const child = other.startSpan('pg.query', {
    kind: 2, attributes: { 'db.system.name': 'postgresql', rows: 3, ratio: 0.25, tags: ['a', 'b'] },
    links: [{ context: parent.spanContext(), attributes: { why: 'batch' } }],
  }, trace.setSpan(context.active(), parent));
  child.end();
  parent.end();
  await provider.forceFlush();
  const spans = exporter.getFinishedSpans();
  assert.equal(spans.length, 2);
  check(spans, 'sdk spans');
  await provider.shutdown();
});

test('a batch larger than the initial buffer grows it; each output is an independent copy', () => {
  const gen = new SpanGen(99);
  const big = gen.batch(600);
  const first = encodeTraceRequest(big);
  assert.ok(first.length > 64 * 1024, `batch is ${first.length} B`);
  const snapshot = Buffer.from(first);
  check(big, 'big batch');
  encodeTraceRequest(gen.batch(10));
  assert.ok(Buffer.from(first).equals(snapshot), 'a later export changed an earlier output');
});

test('distinct attribute keys beyond the key cache bound still encode correctly, and the cache stays bounded', () => {
  const gen = new SpanGen(5);
  const spans = gen.batch(50);
  for (let i = 0; i < spans.length; i++) {
    const attrs: Record<string, unknown> = {};
    for (let k = 0; k < 100; k++) attrs[`key.${i}.${k}`] = k;
    (spans[i] as { attributes: unknown }).attributes = attrs;
  }
  check(spans, 'many keys');
  assert.ok(cacheSize().keys <= 1024 && cacheSize().pairs <= 4096, JSON.stringify(cacheSize()));
});

test('an empty batch encodes as an empty request, as upstream does', () => {
  assert.equal(encodeTraceRequest([]).length, 0);
  assert.equal(upstream([]).length, 0);
});

test('our exporter instances keep the shape our exit-safety patches rely on (retry timers, gRPC deadline)', async () => {
  const { createTraceExporter } = await import('../src/export/otlp-trace-writer/exporter.js');
  const { unrefRetryTimers } = await import('../src/export/unref-retries.js');
  const { dropGrpcDeadline } = await import('../src/export/grpc-deadline.js');
  const http = createTraceExporter<{ shutdown(): Promise<void> }>('http/protobuf', { url: 'http://127.0.0.1:9/v1/traces' });
  const grpc = createTraceExporter<{ shutdown(): Promise<void> }>('grpc', { url: 'http://127.0.0.1:9' });
  assert.equal(unrefRetryTimers(http), true, 'http/protobuf: RetryingTransport found');
  assert.equal(dropGrpcDeadline(grpc), true, 'grpc: delegate timeout found');
  const serializer = (http as unknown as { _delegate: { _serializer: { serializeRequest(s: ReadableSpan[]): Uint8Array } } })._delegate._serializer;
  const spans = new SpanGen(11).batch(5);
  assert.deepEqual(serializer.serializeRequest(spans), encodeTraceRequest(spans));
  await Promise.all([http.shutdown(), grpc.shutdown()]);
});

test('a key whose string values turn out high-cardinality stops being cached as pairs and still encodes correctly', () => {
  const gen = new SpanGen(21);
  const spans = gen.batch(200);
  spans.forEach((s, i) => {
    (s as { attributes: unknown }).attributes = { 'http.request.method': i % 2 ? 'GET' : 'POST', 'url.path': `/items/${i}`, 'é.key': `välue ${i % 3}` };
  });
  const before = cacheSize().pairs;
  check(spans, 'high-cardinality values');
  check(spans, 'high-cardinality values, second pass (cache warm)');
  // GET/POST and the three 'é.key' values stay cached; the 200 paths do not.
  assert.ok(cacheSize().pairs - before < 64, JSON.stringify({ before, after: cacheSize() }));
});

test('over gRPC the body reaches upstream\'s transport as its ArrayBuffer, which the transport views rather than copies', async () => {
  const { createTraceExporter } = await import('../src/export/otlp-trace-writer/exporter.js');
  const grpc = createTraceExporter<{ shutdown(): Promise<void> }>('grpc', { url: 'http://127.0.0.1:9' });
  const serializer = (grpc as unknown as { _delegate: { _serializer: { serializeRequest(s: ReadableSpan[]): unknown } } })._delegate._serializer;
  const spans = new SpanGen(12).batch(40);
  const expected = encodeTraceRequest(spans);
  const body = serializer.serializeRequest(spans);
  assert.ok(body instanceof ArrayBuffer, 'an ArrayBuffer');
  assert.deepEqual(new Uint8Array(body), new Uint8Array(expected.buffer, expected.byteOffset, expected.byteLength));
  assert.equal(Buffer.from(body).buffer, body, 'Buffer.from views it');
  // The transport this relies on (exact pin in package.json): its send() still begins with Buffer.from(data).
  const transport = Object.getPrototypeOf((grpc as unknown as { _delegate: { _transport: object } })._delegate._transport) as { constructor: { name: string }; send: () => unknown };
  assert.equal(transport.constructor.name, 'GrpcExporterTransport');
  assert.match(String(transport.send), /^async send\(data, timeoutMillis\) \{\s*const buffer = Buffer\.from\(data\);/);
  // http/protobuf keeps the Uint8Array its transport writes as it is.
  const http = createTraceExporter<{ shutdown(): Promise<void> }>('http/protobuf', { url: 'http://127.0.0.1:9/v1/traces' });
  const httpSerializer = (http as unknown as { _delegate: { _serializer: { serializeRequest(s: ReadableSpan[]): unknown } } })._delegate._serializer;
  assert.ok(httpSerializer.serializeRequest(spans) instanceof Uint8Array);
  await Promise.all([grpc.shutdown(), http.shutdown()]);
});
