// Starts our server span without the SDK Tracer.startSpan's two attribute-cleaning passes: the same
// sampler, id generator, limits, resource, scope and span processor as the SDK tracer (read from it),
// the SDK's own span class, and our request attributes checked in one typeof pass.
//
// Why: `npm run bench -- --cpu-prof obs --endpoint /hello` (2026-12-05, Node 24.22, shared 2-core box)
// put Tracer.startSpan at 602 ms of 7680 ms busy, 271 ms of it cleanAttributes (run twice over the
// same set: once without limits, once with), for attributes we build ourselves from strings and numbers.
//
// The SDK does not export its span class: it is learnt from the first span the tracer starts (that
// request takes the SDK's own path). Anything unexpected (not the SDK's tracer, a tracer without the
// fields below, a span of another class) keeps every request on tracer.startSpan.
import type { Attributes, Context, Link, Span, SpanContext, Tracer } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { IdGenerator, Sampler, SpanLimits, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { InstrumentationScope } from '@opentelemetry/core';
import { otel } from '../../sdk/otel.js';

const api = otel('@opentelemetry/api');
const { cleanAttributes } = otel('@opentelemetry/core');

/** The SDK tracer's fields we read (@opentelemetry/sdk-trace 3.x Tracer; bundled, so the version we test). */
interface SdkTracer {
  readonly _sampler: Sampler;
  /** Resolved by the provider: every limit set (defaults and OTEL_SPAN_ATTRIBUTE_* applied). */
  readonly _spanLimits: ResolvedLimits;
  readonly _idGenerator: IdGenerator;
  readonly _resource: Resource;
  readonly _spanProcessor: SpanProcessor;
  readonly instrumentationScope: InstrumentationScope;
  readonly _tracerMetrics?: { startSpan(parent: SpanContext | undefined, decision: number): (() => void) | undefined };
}

type ResolvedLimits = SpanLimits & { attributeCountLimit: number; attributeValueLengthLimit: number };

/** The options the SDK span constructor takes (what Tracer.startSpan passes it). */
interface SpanOptions {
  resource: Resource;
  scope: InstrumentationScope;
  context: Context;
  spanContext: SpanContext;
  name: string;
  kind: number;
  links: Link[];
  parentSpanContext: SpanContext | undefined;
  attributes: Attributes;
  droppedAttributesCount: number;
  startTime: undefined;
  spanProcessor: SpanProcessor;
  spanLimits: SpanLimits;
  recordEndMetrics: (() => void) | undefined;
}
type SpanClass = new (options: SpanOptions) => Span;

export type StartServerSpan = (name: string, attributes: Attributes, parent: Context) => Span;

function sdkTracer(tracer: Tracer): SdkTracer | undefined {
  const t = tracer as Partial<SdkTracer>;
  const limitsResolved = typeof t._spanLimits?.attributeCountLimit === 'number' && typeof t._spanLimits.attributeValueLengthLimit === 'number';
  return limitsResolved && t._sampler && t._idGenerator && t._resource && t._spanProcessor && t.instrumentationScope ? (t as SdkTracer) : undefined;
}

/** Our attributes as the SDK's cleanAttributes would leave them, when nothing needs cleaning; else undefined. */
function alreadyClean(attributes: Attributes, limits: ResolvedLimits): Attributes | undefined {
  const countLimit = limits.attributeCountLimit;
  const lengthLimit = limits.attributeValueLengthLimit;
  let count = 0;
  for (const key in attributes) {
    const v = attributes[key];
    const type = typeof v;
    if (type === 'string') {
      if ((v as string).length > lengthLimit) return undefined;
    } else if (type !== 'number' && type !== 'boolean') {
      return undefined;
    }
    if (++count > countLimit) return undefined;
  }
  return attributes;
}

/** A span starter for `tracer`: the light path once the SDK span class is known, tracer.startSpan until then. */
export function serverSpanStarter(tracer: Tracer): StartServerSpan {
  const sdk = sdkTracer(tracer);
  const kind = api.SpanKind.SERVER;
  let SpanImpl: SpanClass | undefined;

  function viaTracer(name: string, attributes: Attributes, parent: Context): Span {
    const span = tracer.startSpan(name, { kind, attributes }, parent);
    const fields = span as Partial<{ _spanProcessor: unknown; _spanLimits: unknown; attributes: unknown }>;
    if (sdk && SpanImpl === undefined && fields._spanProcessor === sdk._spanProcessor && fields._spanLimits === sdk._spanLimits && fields.attributes !== undefined) {
      SpanImpl = span.constructor as SpanClass;
    }
    return span;
  }

  return (name, attributes, parent) => {
    if (sdk === undefined || SpanImpl === undefined) return viaTracer(name, attributes, parent);
    // Tracer.startSpan, step by step, for a SERVER span with no links and no start time.
    const parentSpanContext = api.trace.getSpanContext(parent);
    const valid = parentSpanContext !== undefined && api.trace.isSpanContextValid(parentSpanContext);
    const spanId = sdk._idGenerator.generateSpanId();
    const traceId = valid ? parentSpanContext.traceId : sdk._idGenerator.generateTraceId();
    const links: Link[] = [];
    const result = sdk._sampler.shouldSample(parent, traceId, name, kind, attributes, links);
    const recordEndMetrics = sdk._tracerMetrics?.startSpan(parentSpanContext, result.decision);
    const spanContext: SpanContext = {
      traceId,
      spanId,
      traceFlags: result.decision === api.SamplingDecision.RECORD_AND_SAMPLED ? api.TraceFlags.SAMPLED : api.TraceFlags.NONE,
      traceState: result.traceState ?? (valid ? parentSpanContext.traceState : undefined),
    };
    if (result.decision === api.SamplingDecision.NOT_RECORD) return api.trace.wrapSpanContext(spanContext);
    let clean: Attributes | undefined;
    let dropped = 0;
    if (result.attributes === undefined) clean = alreadyClean(attributes, sdk._spanLimits);
    if (clean === undefined) {
      const cleaned = cleanAttributes(Object.assign(attributes, result.attributes), sdk._spanLimits);
      clean = cleaned.attributes ?? {};
      dropped = cleaned.droppedAttributesCount ?? 0;
    }
    return new SpanImpl({
      resource: sdk._resource,
      scope: sdk.instrumentationScope,
      context: parent,
      spanContext,
      name,
      kind,
      links,
      parentSpanContext: valid ? parentSpanContext : undefined,
      attributes: clean,
      droppedAttributesCount: dropped,
      startTime: undefined,
      spanProcessor: sdk._spanProcessor,
      spanLimits: sdk._spanLimits,
      recordEndMetrics,
    });
  };
}
