// The server span's light start (src/instrumentations/http-server/span-start.ts) against the SDK's own
// Tracer.startSpan on a real TracerProvider: the same exported span for the same input, under limits,
// samplers that drop or add attributes, remote parents, and a tracer that is not the SDK's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ROOT_CONTEXT, SpanKind, TraceFlags, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import {
  AlwaysOnSampler, InMemorySpanExporter, ParentBasedSampler, SamplingDecision, SimpleSpanProcessor, TracerProvider,
  type ReadableSpan, type Sampler, type SpanLimits,
} from '@opentelemetry/sdk-trace';
import { serverSpanStarter } from '../src/instrumentations/http-server/span-start.js';
import { spanShape } from './support/span-shape.js';

function setup(options: { sampler?: Sampler; spanLimits?: SpanLimits } = {}) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ ...options, spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer('scope-under-test', '1.2.3');
  // Counts the SDK path's use, so a test can tell the light path really ran.
  const counter = { viaTracer: 0 };
  const startSpan = tracer.startSpan.bind(tracer);
  const start = serverSpanStarter(Object.assign(Object.create(tracer) as typeof tracer, {
    startSpan: (...args: Parameters<typeof startSpan>) => {
      counter.viaTracer++;
      return startSpan(...args);
    },
  }));
  return { exporter, tracer, start, counter };
}

function request(): Attributes {
  return { 'http.request.method': 'GET', 'url.scheme': 'http', 'url.path': '/orders/42', 'network.peer.port': 51234, 'user_agent.original': 'curl/8.5.0', 'request.id': 'b1d7c2e4-3f5a-4b6c-8d9e-0a1b2c3d4e5f' };
}

const shape = spanShape;

/** One span the SDK's way and one the light way (after a first span has taught the starter the class). */
function both(s: ReturnType<typeof setup>, attributes: () => Attributes, parent: Context = ROOT_CONTEXT): [ReadableSpan, ReadableSpan] {
  s.start('GET', attributes(), parent).end(); // learns the span class
  s.exporter.reset();
  s.tracer.startSpan('GET', { kind: SpanKind.SERVER, attributes: attributes() }, parent).end();
  const before = s.counter.viaTracer;
  s.start('GET', attributes(), parent).end();
  assert.equal(s.counter.viaTracer, before, 'the second span took the light path');
  const spans = s.exporter.getFinishedSpans();
  assert.equal(spans.length, 2);
  return [spans[0], spans[1]];
}

test('a root span: the light start exports what Tracer.startSpan exports, through the same processor', () => {
  const s = setup();
  const [sdk, light] = both(s, request);
  assert.deepEqual(shape(light), shape(sdk));
  assert.equal(light.resource, sdk.resource, 'the same resource object (the encoder groups by it)');
  assert.equal(light.parentSpanContext, undefined);
  assert.notEqual(light.spanContext().traceId, sdk.spanContext().traceId, 'a fresh trace id');
  assert.ok(light.startTime[0] > 0 && light.duration[0] >= 0 && light.duration[1] >= 0);
});

test('a remote parent: its trace id, trace state and parent context carry over', () => {
  const s = setup();
  const parent = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED, isRemote: true,
    traceState: new TraceState('vendor=abc'),
  });
  const [sdk, light] = both(s, request, parent);
  assert.deepEqual(shape(light), shape(sdk));
  assert.equal(light.spanContext().traceId, '0af7651916cd43dd8448eb211c80319c');
  assert.equal(light.spanContext().traceState?.serialize(), 'vendor=abc');
});

test('parent-based sampling with an unsampled parent: a non-recording span, nothing exported, as with the SDK', () => {
  const s = setup({ sampler: new ParentBasedSampler({ root: new AlwaysOnSampler() }) });
  s.start('GET', request(), ROOT_CONTEXT).end();
  s.exporter.reset();
  const parent = trace.setSpanContext(ROOT_CONTEXT, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.NONE, isRemote: true });
  const span: Span = s.start('GET', request(), parent);
  assert.equal(span.isRecording(), false);
  assert.equal(span.spanContext().traceFlags, TraceFlags.NONE);
  assert.equal(span.spanContext().traceId, '0af7651916cd43dd8448eb211c80319c');
  span.end();
  assert.equal(s.exporter.getFinishedSpans().length, 0);
});

test('span limits (OTEL_SPAN_ATTRIBUTE_*), invalid values and sampler attributes: cleaned exactly as the SDK cleans them', () => {
  const limited = setup({ spanLimits: { attributeCountLimit: 3, attributeValueLengthLimit: 4 } });
  const [sdk, light] = both(limited, request);
  assert.deepEqual(shape(light), shape(sdk));
  assert.equal(Object.keys(light.attributes).length, 3);
  assert.ok(light.droppedAttributesCount > 0);

  const odd = setup();
  const withOdd = (): Attributes => ({ ...request(), 'app.undefined': undefined, 'app.object': { a: 1 } as never, 'app.list': ['a', 'b'] });
  const [sdk2, light2] = both(odd, withOdd);
  assert.deepEqual(shape(light2), shape(sdk2));

  const tagging: Sampler = { shouldSample: () => ({ decision: SamplingDecision.RECORD_AND_SAMPLED, attributes: { 'sampler.tag': 'x' } }), toString: () => 'tagging' };
  const [sdk3, light3] = both(setup({ sampler: tagging }), request);
  assert.deepEqual(shape(light3), shape(sdk3));
  assert.equal(light3.attributes['sampler.tag'], 'x');
});

test('a tracer that is not the SDK\'s: every span comes from its own startSpan', () => {
  const start = serverSpanStarter(trace.getTracer('no-provider-here'));
  for (let i = 0; i < 3; i++) {
    const span = start('GET', request(), ROOT_CONTEXT);
    assert.equal(span.isRecording(), false);
    span.end();
  }
});
