// OTEL_PROPAGATORS → one composite propagator; b3 is loaded only when named.
import type { TextMapPropagator } from '@opentelemetry/api';
import { otel } from './otel.js';

const { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } = otel('@opentelemetry/core');

export function buildPropagator(names: readonly string[]): TextMapPropagator | undefined {
  if (names.includes('none')) return undefined;
  const list: TextMapPropagator[] = [];
  for (const name of names) {
    if (name === 'tracecontext') list.push(new W3CTraceContextPropagator());
    else if (name === 'baggage') list.push(new W3CBaggagePropagator());
    else if (name === 'b3' || name === 'b3multi') {
      const { B3Propagator, B3InjectEncoding } = otel('@opentelemetry/propagator-b3');
      list.push(new B3Propagator({ injectEncoding: name === 'b3' ? B3InjectEncoding.SINGLE_HEADER : B3InjectEncoding.MULTI_HEADER }));
    }
  }
  return new CompositePropagator({ propagators: list });
}
