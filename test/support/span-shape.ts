// What an exporter would write of a finished span, ids and times aside: the comparison the light span
// starts (span-start.ts, lean-tracer.ts) are held to against the SDK's own Tracer.startSpan.
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

export function spanShape(span: ReadableSpan) {
  return {
    name: span.name, kind: span.kind, attributes: span.attributes, droppedAttributesCount: span.droppedAttributesCount,
    parent: span.parentSpanContext, flags: span.spanContext().traceFlags, traceState: span.spanContext().traceState?.serialize(),
    resource: span.resource, scope: span.instrumentationScope, status: span.status, events: span.events, links: span.links,
    class: span.constructor,
  };
}
