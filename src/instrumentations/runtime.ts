// Node runtime metrics: event-loop delay and utilization, GC duration, heap spaces.
import { createRequire } from 'node:module';
import type { InstrumentationSpec } from './types.js';

const require = createRequire(import.meta.url);

export const runtime: InstrumentationSpec = {
  name: 'runtime-node',
  package: '@opentelemetry/instrumentation-runtime-node',
  modules: [],
  create() {
    const { RuntimeNodeInstrumentation } = require('@opentelemetry/instrumentation-runtime-node') as typeof import('@opentelemetry/instrumentation-runtime-node');
    return new RuntimeNodeInstrumentation();
  },
};
