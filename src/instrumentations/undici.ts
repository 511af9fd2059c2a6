// fetch() / undici client spans (Node's global fetch is undici, observed through diagnostics_channel).
import { createRequire } from 'node:module';
import type { InstrumentationSpec } from './types.js';
import { undiciRequestIdHook } from './http-hooks.js';

const require = createRequire(import.meta.url);

export const undici: InstrumentationSpec = {
  name: 'undici',
  package: '@opentelemetry/instrumentation-undici',
  modules: [],
  create({ config }) {
    const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
    // The request id of the request being handled travels on outgoing fetch calls too.
    return new UndiciInstrumentation({ requestHook: undiciRequestIdHook(config.signals) });
  },
};
