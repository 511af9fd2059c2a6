// Starts our server span without the SDK Tracer.startSpan's attribute-cleaning passes: the same sampler,
// id generator, limits, resource, scope and span processor as the SDK tracer (read from it), the SDK's
// own span class, and our request attributes checked in one typeof pass and used as they are (we built
// them for this span alone, so not even the lean tracer's copy is needed: sdk/lean-tracer.ts).
//
// Why: `npm run bench -- --cpu-prof obs --endpoint /hello` (2026-12-05, Node 24.22, shared 2-core box)
// put Tracer.startSpan at 602 ms of 7680 ms busy, 271 ms of it cleanAttributes (run twice over the
// same set: once without limits, once with), for attributes we build ourselves from strings and numbers.
//
// The span class is learnt from the first span the tracer starts (that request takes the tracer's own
// path). Anything unexpected (not the SDK's tracer, a tracer without the fields we read, a span of
// another class) keeps every request on tracer.startSpan.
import type { Attributes, Context, Span, Tracer } from '@opentelemetry/api';
import { otel } from '../../sdk/otel.js';
import { sdkTracer, spanMakerOf, startSdkSpan, type SpanMaker } from '../../sdk/lean-tracer.js';
import { primitiveAttributes } from '../../sdk/lean-attributes.js';

const api = otel('@opentelemetry/api');

export type StartServerSpan = (name: string, attributes: Attributes, parent: Context) => Span;

/** A span starter for `tracer`: the light path once the SDK span class is known, tracer.startSpan until then. */
export function serverSpanStarter(tracer: Tracer): StartServerSpan {
  const sdk = sdkTracer(tracer);
  const kind = api.SpanKind.SERVER;
  let maker: SpanMaker | undefined;

  function viaTracer(name: string, attributes: Attributes, parent: Context): Span {
    const span = tracer.startSpan(name, { kind, attributes }, parent);
    if (sdk && maker === undefined) maker = spanMakerOf(sdk, span);
    return span;
  }

  return (name, attributes, parent) => {
    if (sdk === undefined || maker === undefined) return viaTracer(name, attributes, parent);
    // Attributes past the limits (or of other types) are cleaned after sampling, as the SDK does.
    const clean = primitiveAttributes(attributes, sdk._spanLimits.attributeCountLimit, sdk._spanLimits.attributeValueLengthLimit, 'same');
    return startSdkSpan(sdk, maker, name, kind, clean ?? attributes, parent, undefined, clean === undefined);
  };
}
