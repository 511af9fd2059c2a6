// Node runtime metrics: event-loop delay and utilization, GC duration, heap spaces.
import type { InstrumentationSpec } from './types.js';
import { otel } from '../sdk/otel.js';

export const runtime: InstrumentationSpec = {
  name: 'runtime-node',
  package: '@opentelemetry/instrumentation-runtime-node',
  modules: [],
  create() {
    const { RuntimeNodeInstrumentation } = otel('@opentelemetry/instrumentation-runtime-node');
    return new RuntimeNodeInstrumentation();
  },
};
