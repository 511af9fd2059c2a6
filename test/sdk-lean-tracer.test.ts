// The lean Tracer.startSpan (src/sdk/lean-tracer.ts) against the SDK's own on a real TracerProvider: the
// same exported span for the same input (client spans as pg and redis start them, children of an active
// span, root, explicit start time, undefined values), the SDK's path for what it must clean (limits,
// arrays, links), a suppressed context, and otel.sdk.span.* counted as before when a meter is given.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { ROOT_CONTEXT, SpanKind, TraceFlags, context, trace, type Attributes, type Context, type SpanOptions, type Tracer } from '@opentelemetry/api';
import type { ReadableSpan, SpanLimits } from '@opentelemetry/sdk-trace';
import { installLeanTracer } from '../src/sdk/lean-tracer.js';
import { LinkedContext } from '../src/sdk/linked-context.js';
import { spanShape } from './support/span-shape.js';

const require = createRequire(import.meta.url);
const core = require('@opentelemetry/core') as { cleanAttributes: (...a: unknown[]) => unknown; suppressTracing: (c: Context) => Context };
// CommonJS, as the preload loads it: the SDK's calls to core's cleanAttributes then go through the spy below.
const { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
// Counts the SDK's cleaning passes: the lean path makes none for a span it can take.
const cleanCalls = { n: 0 };
const cleanAttributes = core.cleanAttributes;
core.cleanAttributes = (...args: unknown[]) => {
  cleanCalls.n++;
  return cleanAttributes(...args);
};

function setup(options: { spanLimits?: SpanLimits } = {}) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ ...options, spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const original = installLeanTracer(provider);
  assert.ok(original);
  const tracer = provider.getTracer('scope-under-test', '1.2.3');
  tracer.startSpan('learn').end(); // the first span teaches the lean path the SDK's span class
  exporter.reset();
  return { exporter, tracer, original };
}

const pgAttributes = (): Attributes => ({
  'db.system.name': 'postgresql', 'db.namespace': 'test', 'server.address': '127.0.0.1', 'server.port': 5432, 'db.query.text': 'SELECT $1::int AS n', 'app.unset': undefined,
});

/** One span the SDK's way, one the lean way; `lean`: whether the lean path must have taken it. */
function both(s: ReturnType<typeof setup>, name: string, options: () => SpanOptions, parent: Context, lean: boolean): [ReadableSpan, ReadableSpan] {
  s.original.call(s.tracer as Tracer, name, options(), parent).end();
  const before = cleanCalls.n;
  s.tracer.startSpan(name, options(), parent).end();
  assert.equal(cleanCalls.n === before, lean, lean ? 'the lean path took it (no cleaning pass)' : 'the SDK path took it');
  const spans = s.exporter.getFinishedSpans();
  s.exporter.reset();
  assert.equal(spans.length, 2);
  return [spans[0], spans[1]];
}

test('client spans as pg and redis start them: the lean start exports what Tracer.startSpan exports', () => {
  const s = setup();
  const server = s.tracer.startSpan('GET /work', { kind: SpanKind.SERVER });
  for (const root of [ROOT_CONTEXT, LinkedContext.ROOT]) {
    const parent = trace.setSpan(root, server);
    const [sdk, lean] = both(s, 'SELECT test', () => ({ kind: SpanKind.CLIENT, attributes: pgAttributes() }), parent, true);
    assert.deepEqual(spanShape(lean), spanShape(sdk));
    assert.equal(lean.spanContext().traceId, server.spanContext().traceId);
    assert.equal(lean.parentSpanContext?.spanId, server.spanContext().spanId);
    assert.equal('app.unset' in lean.attributes, false);
  }
  // No attributes, the active context by default, root: true, an explicit start time.
  context.with(trace.setSpan(ROOT_CONTEXT, server), () => {
    const [sdk, lean] = both(s, 'GET', () => ({ kind: SpanKind.CLIENT }), context.active(), true);
    assert.deepEqual(spanShape(lean), spanShape(sdk));
  });
  const [sdkRoot, leanRoot] = both(s, 'job', () => ({ root: true, startTime: 1_700_000_000_000 }), trace.setSpan(ROOT_CONTEXT, server), true);
  assert.deepEqual(spanShape(leanRoot), spanShape(sdkRoot));
  assert.equal(leanRoot.parentSpanContext, undefined);
  assert.deepEqual(leanRoot.startTime, sdkRoot.startTime);
  server.end();
});

test('what the SDK must clean or keep takes its own path: limits, arrays, empty keys, links; a suppressed context starts nothing', () => {
  const limited = setup({ spanLimits: { attributeCountLimit: 3, attributeValueLengthLimit: 8 } });
  const [sdk, lean] = both(limited, 'q', () => ({ kind: SpanKind.CLIENT, attributes: pgAttributes() }), ROOT_CONTEXT, false);
  assert.deepEqual(spanShape(lean), spanShape(sdk));
  const s = setup();
  for (const attributes of [{ 'list': ['a', 'b'] }, { '': 'empty key' }] as Attributes[]) {
    const [a, b] = both(s, 'q', () => ({ attributes }), ROOT_CONTEXT, false);
    assert.deepEqual(spanShape(b), spanShape(a));
  }
  const link = { context: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED } };
  const [l1, l2] = both(s, 'linked', () => ({ links: [link] }), ROOT_CONTEXT, false);
  assert.deepEqual(spanShape(l2), spanShape(l1));
  const span = s.tracer.startSpan('suppressed', { attributes: pgAttributes() }, core.suppressTracing(LinkedContext.ROOT));
  assert.equal(span.isRecording(), false);
  assert.equal(trace.isSpanContextValid(span.spanContext()), false);
});

test('with a meter provider given to the SDK, otel.sdk.span.* count the lean spans as the SDK counts its own', async () => {
  const { MeterProvider, MetricReader, AggregationTemporality } = require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
  class Reader extends MetricReader {
    constructor() { super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE }); }
    protected override onShutdown(): Promise<void> { return Promise.resolve(); }
    protected override onForceFlush(): Promise<void> { return Promise.resolve(); }
  }
  const reader = new Reader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const provider = new TracerProvider({ meterProvider, spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })] });
  installLeanTracer(provider);
  const tracer = provider.getTracer('metered');
  tracer.startSpan('learn').end();
  const open = tracer.startSpan('open', { attributes: pgAttributes() });
  tracer.startSpan('done', { attributes: pgAttributes() }).end();
  const { resourceMetrics } = await reader.collect();
  const metric = (name: string) => resourceMetrics.scopeMetrics.flatMap((m) => m.metrics).find((m) => m.descriptor.name === name);
  const sum = (name: string) => (metric(name)?.dataPoints ?? []).reduce((a, p) => a + Number(p.value), 0);
  assert.equal(sum('otel.sdk.span.started'), 3);
  assert.equal(sum('otel.sdk.span.live'), 1, 'the span still open');
  open.end();
  await meterProvider.shutdown();
});
