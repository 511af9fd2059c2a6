// Span names have the same length bound as labels: a name built by the app from raw input (a path,
// a query, a generated key) is cut before export, so one span cannot carry kilobytes into every
// backend's span-name index. HTTP server spans are already `METHOD route` with the bounded route.
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

export const MAX_SPAN_NAME_LENGTH = 128;

/** Cuts over-long names in place (the SDK's ended spans keep `name` as a plain field). */
export function capSpanNames(spans: ReadableSpan[]): void {
  for (const span of spans) {
    const name = span.name;
    if (typeof name === 'string' && name.length > MAX_SPAN_NAME_LENGTH) {
      (span as { name: string }).name = `${name.slice(0, MAX_SPAN_NAME_LENGTH - 1)}…`;
    }
  }
}
