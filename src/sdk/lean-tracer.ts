// The bundled SDK's Tracer.startSpan, step by step, without what it allocates for nothing on the common
// span (no links, primitive attributes within the limits, a sampler that adds none): its two
// cleanAttributes passes become one copy, and its self-metrics (otel.sdk.span.*), which go to a no-op
// meter since we give the provider none, no longer build two attribute objects and a closure per span.
// Every span our provider starts takes it (pg, redis, undici... client spans); our server span shares
// startSdkSpan (instrumentations/http-server/span-start.ts). Anything else goes to the SDK's own code.
// The span objects themselves are the SDK's class built by lean-span.ts where that checks out.
//
// Why: bench/alloc.mjs on the bench app's /work (Node 24, 2026-12-05) charged Tracer.startSpan with
// 2.1 KB of the ~30 KB per request the preload allocates, lean cleanAttributes 1.0 KB more, for three
// client spans; what a request allocates sets how often V8 scavenges and how fast its young generation
// grows (docs/performance.md, "Memory"). test/sdk-lean-tracer.test.ts diffs the spans against the SDK's.
import type { Attributes, Context, Link, Span, SpanContext, SpanKind, SpanOptions, Tracer } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { IdGenerator, Sampler, SpanLimits, SpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { InstrumentationScope } from '@opentelemetry/core';
import { otel } from './otel.js';
import { primitiveAttributes } from './lean-attributes.js';
import { leanSpanFactory, type LeanSpanFactory } from './lean-span.js';

const api = otel('@opentelemetry/api');
const { cleanAttributes, isTracingSuppressed } = otel('@opentelemetry/core');
// The no-op self-metric instruments the API hands out: a tracer whose otel.sdk.span.* are these records nothing.
const noopMeter = api.createNoopMeter();
const NOOP_COUNTER = noopMeter.createCounter('');
const NOOP_UP_DOWN_COUNTER = noopMeter.createUpDownCounter('');

type ResolvedLimits = SpanLimits & { attributeCountLimit: number; attributeValueLengthLimit: number };

/** The SDK tracer's fields we read (@opentelemetry/sdk-trace 3.x Tracer; bundled, so the version we test). */
export interface SdkTracer {
  readonly _sampler: Sampler;
  /** Resolved by the provider: every limit set (defaults and OTEL_SPAN_ATTRIBUTE_* applied). */
  readonly _spanLimits: ResolvedLimits;
  readonly _idGenerator: IdGenerator;
  readonly _resource: Resource;
  readonly _spanProcessor: SpanProcessor;
  readonly instrumentationScope: InstrumentationScope;
  readonly _tracerMetrics?: TracerMetrics;
}

interface TracerMetrics {
  readonly startedSpans?: unknown;
  readonly liveSpans?: unknown;
  startSpan(parent: SpanContext | undefined, decision: number): (() => void) | undefined;
}

/** The options the SDK span constructor takes (what Tracer.startSpan passes it). */
interface SpanImplOptions {
  resource: Resource;
  scope: InstrumentationScope;
  context: Context;
  spanContext: SpanContext;
  name: string;
  kind: SpanKind;
  links: Link[];
  parentSpanContext: SpanContext | undefined;
  attributes: Attributes;
  droppedAttributesCount: number;
  startTime: SpanOptions['startTime'];
  spanProcessor: SpanProcessor;
  spanLimits: SpanLimits;
  recordEndMetrics: (() => void) | undefined;
}
export type SpanClass = new (options: SpanImplOptions) => Span;

/** How spans of the SDK's class are built: through our lean constructor where it checked out (lean-span.ts), else the SDK's. */
export interface SpanMaker {
  readonly SpanImpl: SpanClass;
  readonly lean: LeanSpanFactory | undefined;
}

/** The tracer's fields, when it is the SDK tracer we know; else undefined. */
export function sdkTracer(tracer: Tracer): SdkTracer | undefined {
  const t = tracer as Partial<SdkTracer>;
  const limitsResolved = typeof t._spanLimits?.attributeCountLimit === 'number' && typeof t._spanLimits.attributeValueLengthLimit === 'number';
  return limitsResolved && t._sampler && t._idGenerator && t._resource && t._spanProcessor && t.instrumentationScope ? (t as SdkTracer) : undefined;
}

/**
 * The SDK does not export its span class: it is learnt from a span its tracer started, when that span
 * holds the tracer's processor, limits and attributes (else undefined, and the SDK path stays).
 */
export function spanMakerOf(sdk: SdkTracer, span: Span): SpanMaker | undefined {
  const fields = span as Partial<{ _spanProcessor: unknown; _spanLimits: unknown; attributes: unknown }>;
  if (fields._spanProcessor !== sdk._spanProcessor || fields._spanLimits !== sdk._spanLimits || fields.attributes === undefined) return undefined;
  const SpanImpl = span.constructor as SpanClass;
  return { SpanImpl, lean: leanSpanFactory(SpanImpl, span) };
}

/** Whether the tracer's otel.sdk.span.* instruments are the API's no-ops (no meter provider given to the SDK). */
function noopSelfMetrics(sdk: SdkTracer): boolean {
  const m = sdk._tracerMetrics;
  return m === undefined || (m.startedSpans === NOOP_COUNTER && m.liveSpans === NOOP_UP_DOWN_COUNTER);
}

/**
 * Tracer.startSpan from the sampling decision on, for attributes the caller owns and the SDK would leave
 * as they are (primitives within the limits), or `mustClean` ones it cleans after sampling as the SDK
 * does; `parent` is the context the span starts in.
 */
export function startSdkSpan(
  sdk: SdkTracer, maker: SpanMaker, name: string, kind: SpanKind, attributes: Attributes, parent: Context, startTime: SpanOptions['startTime'],
  mustClean = false,
): Span {
  const parentSpanContext = api.trace.getSpanContext(parent);
  const valid = parentSpanContext !== undefined && api.trace.isSpanContextValid(parentSpanContext);
  const spanId = sdk._idGenerator.generateSpanId();
  const traceId = valid ? parentSpanContext.traceId : sdk._idGenerator.generateTraceId();
  const links: Link[] = [];
  const result = sdk._sampler.shouldSample(parent, traceId, name, kind, attributes, links);
  const recordEndMetrics = noopSelfMetrics(sdk) ? undefined : sdk._tracerMetrics?.startSpan(parentSpanContext, result.decision);
  const spanContext: SpanContext = {
    traceId,
    spanId,
    traceFlags: result.decision === api.SamplingDecision.RECORD_AND_SAMPLED ? api.TraceFlags.SAMPLED : api.TraceFlags.NONE,
    traceState: result.traceState ?? (valid ? parentSpanContext.traceState : undefined),
  };
  if (result.decision === api.SamplingDecision.NOT_RECORD) return api.trace.wrapSpanContext(spanContext);
  let clean = attributes;
  let dropped = 0;
  if (mustClean || result.attributes !== undefined) {
    const cleaned = cleanAttributes(Object.assign(attributes, result.attributes), sdk._spanLimits);
    clean = cleaned.attributes ?? {};
    dropped = cleaned.droppedAttributesCount ?? 0;
  }
  const parentContext = valid ? parentSpanContext : undefined;
  // An explicit start time takes the SDK's constructor (it reads TimeInput in all its forms).
  if (startTime === undefined && maker.lean !== undefined) {
    return maker.lean(sdk, parent, spanContext, name, kind, links, parentContext, clean, dropped, recordEndMetrics);
  }
  return new maker.SpanImpl({
    resource: sdk._resource,
    scope: sdk.instrumentationScope,
    context: parent,
    spanContext,
    name,
    kind,
    links,
    parentSpanContext: parentContext,
    attributes: clean,
    droppedAttributesCount: dropped,
    startTime,
    spanProcessor: sdk._spanProcessor,
    spanLimits: sdk._spanLimits,
    recordEndMetrics,
  });
}

const LEAN = Symbol.for('@org/obs.lean-start-span');

/**
 * Replaces startSpan on the Tracer class of `provider` (the bundled SDK's: only our provider's tracers
 * use it) with the lean path above. Once per class; returns the SDK's own startSpan.
 */
export function installLeanTracer(provider: TracerProvider): Tracer['startSpan'] | undefined {
  const proto = Object.getPrototypeOf(provider.getTracer('@org/obs')) as Tracer & { [LEAN]?: Tracer['startSpan'] };
  if (proto[LEAN]) return proto[LEAN];
  const original = proto.startSpan;
  if (typeof original !== 'function') return undefined;
  let maker: SpanMaker | undefined;
  proto.startSpan = function leanStartSpan(this: Tracer, name: string, options: SpanOptions = {}, context: Context = api.context.active()): Span {
    const sdk = sdkTracer(this);
    if (sdk === undefined || maker === undefined || (options.links !== undefined && options.links.length > 0)) {
      const span = original.call(this, name, options, context);
      if (sdk !== undefined && maker === undefined) maker = spanMakerOf(sdk, span);
      return span;
    }
    const given = options.attributes;
    const attributes = given === undefined ? {}
      : typeof given === 'object' && given !== null ? primitiveAttributes(given, sdk._spanLimits.attributeCountLimit, sdk._spanLimits.attributeValueLengthLimit, 'keep')
        : undefined;
    if (attributes === undefined) return original.call(this, name, options, context);
    const parent = options.root ? api.trace.deleteSpan(context) : context;
    if (isTracingSuppressed(parent)) {
      api.diag.debug('Instrumentation suppressed, returning Noop Span');
      return api.trace.wrapSpanContext(api.INVALID_SPAN_CONTEXT);
    }
    return startSdkSpan(sdk, maker, name, options.kind ?? api.SpanKind.INTERNAL, attributes, parent, options.startTime);
  };
  Object.defineProperty(proto, LEAN, { value: original });
  return original;
}
