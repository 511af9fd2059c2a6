// Spans built by our lean constructor (src/sdk/lean-span.ts) against spans the SDK constructs, on a real
// TracerProvider: the same class, fields and field order; every Span operation after start (attributes
// within and past the limits, events, exceptions, links, status, name, end with and without a time,
// end twice, operations after end) leaves the same exported span; times on the wall clock and the
// duration the monotonic clock measured; and a span class whose fields differ keeps the SDK's constructor.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, diag, type Span, type SpanOptions, type Tracer } from '@opentelemetry/api';
import type { ReadableSpan, SpanLimits } from '@opentelemetry/sdk-trace';
import { installLeanTracer } from '../src/sdk/lean-tracer.js';
import { leanSpanFactory } from '../src/sdk/lean-span.js';
import { spanShape } from './support/span-shape.js';

const require = createRequire(import.meta.url);
const { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');

function setup(spanLimits?: SpanLimits) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanLimits, spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const original = installLeanTracer(provider)!;
  const tracer = provider.getTracer('scope-under-test', '1.2.3');
  const learn = tracer.startSpan('learn'); // the SDK constructs the first span: the lean path learns its class
  learn.end();
  exporter.reset();
  return { exporter, tracer, original, sdkSpan: learn };
}

/** spanShape with event times left out (the two spans' events happen at different moments). */
const shape = (span: ReadableSpan) => ({ ...spanShape(span), events: span.events.map((e) => ({ ...e, time: undefined })) });

/** The same operations on a span the SDK constructs and on one ours constructs; the two exported spans. */
function both(s: ReturnType<typeof setup>, options: SpanOptions, act: (span: Span) => void): [ReadableSpan, ReadableSpan] {
  const sdk = s.original.call(s.tracer as Tracer, 'op', options, ROOT_CONTEXT);
  const lean = s.tracer.startSpan('op', options, ROOT_CONTEXT);
  assert.notEqual(Object.getPrototypeOf(lean), Object.getPrototypeOf(sdk), 'the lean constructor built it');
  assert.ok(lean instanceof (sdk.constructor as new () => Span), 'an instance of the SDK span class');
  act(sdk);
  act(lean);
  const spans = s.exporter.getFinishedSpans();
  s.exporter.reset();
  assert.equal(spans.length, 2);
  return [spans[0], spans[1]];
}

test('a lean span has the SDK span\'s class, own fields and field order', () => {
  const s = setup();
  const lean = s.tracer.startSpan('x', { kind: SpanKind.CLIENT, attributes: { a: 1 } });
  assert.equal(lean.constructor, s.sdkSpan.constructor);
  assert.deepEqual(Reflect.ownKeys(lean), Reflect.ownKeys(s.sdkSpan));
  assert.equal(lean.isRecording(), true);
  assert.equal((lean as unknown as ReadableSpan).ended, false);
  assert.deepEqual((lean as unknown as ReadableSpan).endTime, [0, 0]);
  assert.deepEqual((lean as unknown as ReadableSpan).duration, [-1, -1]);
  lean.end();
  assert.equal(lean.isRecording(), false);
});

test('every operation after start exports the same span from both constructors', () => {
  const s = setup();
  const link = { context: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED }, attributes: { l: 'x' } };
  const endAt = Date.now() + 1000;
  const cases: Array<[string, SpanOptions, (span: Span) => void]> = [
    ['plain end', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET' } }, (span) => span.end()],
    ['server span end as ours runs it', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET', 'url.path': '/a' } }, (span) => {
      span.setAttribute('http.response.status_code', 500);
      span.setAttribute('http.route', '/a');
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.setAttribute('error.type', '500');
      span.updateName('GET /a');
      span.recordException({ name: 'TypeError', message: 'boom', stack: 'TypeError: boom\n    at x' });
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'TypeError: boom' });
      span.end();
    }],
    ['events, links, attributes of every kind', { attributes: { n: 1 } }, (span) => {
      span.addEvent('e1', { k: 'v', list: [1, 2] });
      span.addEvent('e2', 1_700_000_000_000);
      span.addLink(link);
      span.addLinks([link]);
      span.setAttributes({ s: 'str', b: true, arr: ['a', 'b'], bad: { nested: 1 } as never, '': 'empty' });
      span.recordException('just a message');
      span.end();
    }],
    // One time for both spans (read per call, the two would straddle a millisecond now and then).
    ['explicit end time', {}, (span) => span.end(endAt)],
    ['end twice, then operations on the ended span', {}, (span) => {
      span.end();
      span.end();
      span.setAttribute('late', 1);
      span.addEvent('late');
      span.updateName('late');
    }],
  ];
  diag.setLogger({ error() {}, warn() {}, info() {}, debug() {}, verbose() {} });
  try {
    for (const [label, options, act] of cases) {
      const [sdk, lean] = both(s, options, act);
      assert.deepEqual(shape(lean), shape(sdk), label);
      assert.equal(lean.droppedEventsCount, sdk.droppedEventsCount, label);
      assert.equal(lean.droppedLinksCount, sdk.droppedLinksCount, label);
      if (label === 'explicit end time') assert.deepEqual(lean.endTime, sdk.endTime, label);
    }
  } finally {
    diag.disable();
  }
});

test('limits: attributes past the count and length limits, events and links past theirs, as the SDK drops them', () => {
  const s = setup({ attributeCountLimit: 3, attributeValueLengthLimit: 4, eventCountLimit: 1, linkCountLimit: 1 });
  const link = { context: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED } };
  diag.setLogger({ error() {}, warn() {}, info() {}, debug() {}, verbose() {} });
  try {
    const [sdk, lean] = both(s, { attributes: { a: 'x' } }, (span) => {
      span.setAttribute('b', 'longer than four');
      span.setAttribute('c', 3);
      span.setAttribute('d', 4);
      span.addEvent('one');
      span.addEvent('two');
      span.addLink(link);
      span.addLink(link);
      span.end();
    });
    assert.deepEqual(shape(lean), shape(sdk));
    assert.equal(lean.droppedAttributesCount, 1);
    assert.equal(lean.droppedEventsCount, sdk.droppedEventsCount);
    assert.equal(lean.droppedLinksCount, sdk.droppedLinksCount);
  } finally {
    diag.disable();
  }
});

test('times: start and end on the wall clock, the duration what the monotonic clock measured', async () => {
  const s = setup();
  const before = Date.now();
  const span = s.tracer.startSpan('timed');
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 30));
  const elapsed = performance.now() - started;
  span.end();
  const after = Date.now();
  const [done] = s.exporter.getFinishedSpans();
  const ms = (t: readonly [number, number]) => t[0] * 1000 + t[1] / 1e6;
  assert.ok(ms(done.startTime) >= before - 2 && ms(done.startTime) <= after + 2, 'start on the wall clock');
  // (Not "start + 30": a timer counts from the loop's cached time, which can precede the span's start.)
  assert.ok(ms(done.endTime) > ms(done.startTime) && ms(done.endTime) <= after + 2, 'end on the wall clock, after the start');
  assert.ok(Math.abs(ms(done.duration) - (ms(done.endTime) - ms(done.startTime))) < 1e-3, 'duration = end - start');
  assert.ok(ms(done.duration) >= elapsed - 1, 'the monotonic clock\'s duration');
  assert.ok(Number.isInteger(done.startTime[1]) && Number.isInteger(done.endTime[1]) && Number.isInteger(done.duration[1]), 'whole nanoseconds');
});

test('a span class whose fields differ from what we build keeps the SDK constructor', () => {
  class OtherSpan {
    readonly attributes = {};
    readonly extraField = 1;
    end(): void {}
  }
  assert.equal(leanSpanFactory(OtherSpan as never, new OtherSpan() as never), undefined);
  // One that throws while we learn it (here: its end() is a getter that throws) costs the lean path, not the caller's call.
  class ThrowingSpan {
    readonly attributes = {};
    get end(): () => void {
      throw new Error('not this one');
    }
  }
  assert.equal(leanSpanFactory(ThrowingSpan as never, new ThrowingSpan() as never), undefined);
  // The real class checks out.
  const s = setup();
  assert.equal(typeof leanSpanFactory(s.sdkSpan.constructor as never, s.sdkSpan), 'function');
});
