// SDK spans built without the SDK span constructor's per-span clock reads and throwaway allocations: an
// object whose prototype chain is the bundled SDK's SpanImpl (so every method, `instanceof`, the span
// processors and the exporters see the SDK's span), whose fields we set as its constructor sets them,
// and whose end() takes its times from one monotonic reading when nothing unusual happened (no explicit
// time, no dropped events or links, not ended yet); anything else is the SDK's own end().
//
// What the SDK constructor does per span that this does not: Date.now() (a V8 runtime call) and a second
// performance.now() for the start time and the wall-clock offset, Object.keys() of the attributes to
// count them, and four arrays it replaces or never reads ([] links, [0, 0] end time, [-1, -1] duration
// are created by its field initialisers); its end() builds four more arrays through _getTime.
// Why: `node bench/perf-record.mjs obs` on /hello (Node 24.22, 2026-12-05) put the SpanImpl constructor
// at 1.6 % and end()'s _getTime at 0.8 % of the process's CPU. `node bench/micro/lean-span.mjs` (a server
// span's start with 11 attributes, its four updates at the end, end; medians of 7): our lean start with
// the SDK constructor 1.07-1.12 µs, with this one 0.86-0.92 µs (the SDK's own Tracer.startSpan: 2.4 µs).
//
// The wall-clock offset (Date.now() minus the monotonic clock) is read once a second instead of once per
// span: the SDK's per-span reading carries Date.now()'s 1 ms resolution anyway, and a span's start is
// then as precise as its end (the SDK's start time is whole milliseconds, its end sub-millisecond).
import type { Attributes, Context, HrTime, Link, Span, SpanContext, SpanKind, TimeInput } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { SpanLimits, SpanProcessor } from '@opentelemetry/sdk-trace';
import { otel } from './otel.js';

const { addHrTimes, millisToHrTime } = otel('@opentelemetry/core');

/** The SDK tracer's parts every span of it shares (lean-tracer.ts reads them from the tracer). */
export interface LeanSpanTracer {
  readonly _resource: Resource;
  readonly instrumentationScope: InstrumentationScope;
  readonly _spanProcessor: SpanProcessor;
  readonly _spanLimits: SpanLimits;
}

/**
 * Starts a sampled span: what the SDK constructor takes, as arguments (an options object per span was
 * 0.14 KB allocated per span), the attributes already clean and `links` sanitised and bounded.
 */
export type LeanSpanFactory = (
  tracer: LeanSpanTracer, context: Context, spanContext: SpanContext, name: string, kind: SpanKind, links: Link[],
  parentSpanContext: SpanContext | undefined, attributes: Attributes, droppedAttributesCount: number, recordEndMetrics: (() => void) | undefined,
) => Span;

/** The SDK span's fields (@opentelemetry/sdk-trace 3.x SpanImpl), in the order its class declares them. */
interface SpanFields {
  _spanContext: SpanContext;
  kind: SpanKind;
  parentSpanContext: SpanContext | undefined;
  attributes: Attributes;
  links: Link[];
  events: unknown[];
  startTime: HrTime;
  resource: Resource;
  instrumentationScope: InstrumentationScope;
  _droppedAttributesCount: number;
  _droppedEventsCount: number;
  _droppedLinksCount: number;
  _attributesCount: number;
  name: string;
  status: { code: number; message?: string };
  endTime: HrTime;
  _ended: boolean;
  _duration: HrTime;
  _spanProcessor: SpanProcessor;
  _spanLimits: SpanLimits;
  _recordEndMetrics: (() => void) | undefined;
  _performanceStartTime: number;
  _performanceOffset: number;
  _startTimeProvided: boolean;
}

const TIME_ORIGIN = performance.timeOrigin;
/** How often the wall-clock offset is read again (a clock step shows within this). */
const OFFSET_REFRESH_MS = 1000;
let offset = 0;
let offsetUntil = -Infinity;

/** Date.now() minus the monotonic clock's epoch time, at `perf` (re-read once a second). */
function wallOffset(perf: number): number {
  if (perf >= offsetUntil) {
    offset = Date.now() - (perf + TIME_ORIGIN);
    offsetUntil = perf + OFFSET_REFRESH_MS;
  }
  return offset;
}

// What an open span reports as its end time and duration, as the SDK's initialisers set them; never
// mutated (end() assigns new arrays), so shared.
const UNENDED = Object.freeze([0, 0]) as unknown as HrTime;
const NO_DURATION = Object.freeze([-1, -1]) as unknown as HrTime;

function countKeys(attributes: Attributes): number {
  let n = 0;
  for (const key in attributes) if (Object.prototype.hasOwnProperty.call(attributes, key)) n++;
  return n;
}

type LeanSpanConstructor = new (
  tracer: LeanSpanTracer, spanContext: SpanContext, name: string, kind: SpanKind, links: Link[], parentSpanContext: SpanContext | undefined,
  attributes: Attributes, droppedAttributesCount: number, recordEndMetrics: (() => void) | undefined, perf: number,
) => SpanFields & Span;

const factories = new WeakMap<object, LeanSpanFactory | null>();

/**
 * The lean constructor for spans of `SpanImpl`, checked against `sample` (a span the SDK constructed):
 * undefined when a span built here would not have exactly the sample's own fields, in its order (another
 * SDK version), so callers keep constructing through the SDK.
 */
export function leanSpanFactory(SpanImpl: new (...args: never[]) => Span, sample: Span): LeanSpanFactory | undefined {
  let factory = factories.get(SpanImpl);
  if (factory === undefined) {
    // Learnt inside an instrumentation's startSpan call (pg's, redis'…): a surprise here costs the lean
    // path, never the app's call.
    try {
      factory = buildFactory(SpanImpl, sample);
    } catch {
      factory = null;
    }
    factories.set(SpanImpl, factory);
  }
  return factory ?? undefined;
}

function buildFactory(SpanImpl: new (...args: never[]) => Span, sample: Span): LeanSpanFactory | null {
  const sdkEnd = (SpanImpl.prototype as Span).end;
  // The fields as the SDK constructor sets them (links taken as given: the caller sanitised and bounded
  // them), assigned in the constructor's own body: V8 sizes the object's in-object fields from the
  // assignments it sees there (set from a helper, they went to a backing store grown per field: 0.56 KB
  // allocated per span in bench/alloc.mjs).
  const LeanSpan = function LeanSpan(
    this: SpanFields, tracer: LeanSpanTracer, spanContext: SpanContext, name: string, kind: SpanKind, links: Link[],
    parentSpanContext: SpanContext | undefined, attributes: Attributes, droppedAttributesCount: number, recordEndMetrics: (() => void) | undefined,
    perf: number,
  ): void {
    const perfOffset = wallOffset(perf);
    this._spanContext = spanContext;
    this.kind = kind;
    this.parentSpanContext = parentSpanContext;
    this.attributes = attributes;
    this.links = links;
    this.events = [];
    this.startTime = millisToHrTime(TIME_ORIGIN + perf + perfOffset);
    this.resource = tracer._resource;
    this.instrumentationScope = tracer.instrumentationScope;
    this._droppedAttributesCount = droppedAttributesCount;
    this._droppedEventsCount = 0;
    this._droppedLinksCount = 0;
    this._attributesCount = countKeys(attributes);
    this.name = name;
    this.status = { code: 0 };
    this.endTime = UNENDED;
    this._ended = false;
    this._duration = NO_DURATION;
    this._spanProcessor = tracer._spanProcessor;
    this._spanLimits = tracer._spanLimits;
    this._recordEndMetrics = recordEndMetrics;
    this._performanceStartTime = perf;
    this._performanceOffset = perfOffset;
    this._startTimeProvided = false;
  } as unknown as LeanSpanConstructor;
  LeanSpan.prototype = Object.create(SpanImpl.prototype as object, {
    constructor: { value: SpanImpl, writable: true, configurable: true },
    end: {
      value: function end(this: SpanFields & Span, endTime?: TimeInput): void {
        if (endTime !== undefined || this._ended || this._startTimeProvided || this._droppedEventsCount > 0 || this._droppedLinksCount > 0) {
          sdkEnd.call(this, endTime);
          return;
        }
        // The SDK's end for this case: start + monotonic duration; its duration check cannot fire here.
        const duration = millisToHrTime(performance.now() - this._performanceStartTime);
        this.endTime = addHrTimes(this.startTime, duration);
        this._duration = duration;
        this._spanProcessor.onEnding?.(this as never);
        this._recordEndMetrics?.();
        this._ended = true;
        this._spanProcessor.onEnd(this as never);
      },
      writable: true,
      configurable: true,
    },
  });
  const sampled = sample as unknown as SpanFields;
  const probeTracer: LeanSpanTracer = {
    _resource: sampled.resource, instrumentationScope: sampled.instrumentationScope, _spanProcessor: sampled._spanProcessor, _spanLimits: sampled._spanLimits,
  };
  // Nothing is started: no processor sees the probe.
  const probe = new LeanSpan(probeTracer, sampled._spanContext, sampled.name, sampled.kind, [], undefined, {}, 0, undefined, performance.now());
  if (!sameOwnKeys(probe, sample)) return null;
  return (tracer, context, spanContext, name, kind, links, parentSpanContext, attributes, dropped, recordEndMetrics) => {
    const span = new LeanSpan(tracer, spanContext, name, kind, links, parentSpanContext, attributes, dropped, recordEndMetrics, performance.now());
    tracer._spanProcessor.onStart(span as never, context);
    return span;
  };
}

function sameOwnKeys(a: object, b: object): boolean {
  const x = Reflect.ownKeys(a);
  const y = Reflect.ownKeys(b);
  return x.length === y.length && x.every((k, i) => k === y[i]);
}
