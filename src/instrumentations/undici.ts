// fetch() / undici client spans (Node's global fetch is undici, observed through diagnostics_channel).
import { createRequire } from 'node:module';
import type { InstrumentationSpec } from './types.js';

const require = createRequire(import.meta.url);

export const undici: InstrumentationSpec = {
  name: 'undici',
  package: '@opentelemetry/instrumentation-undici',
  modules: [],
  create() {
    const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
    return new UndiciInstrumentation();
  },
};
