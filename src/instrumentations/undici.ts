// fetch() / undici client spans (Node's global fetch is undici, observed through diagnostics_channel).
import type { InstrumentationSpec } from './types.js';
import { undiciRequestIdHook } from './http-hooks.js';
import { otel } from '../sdk/otel.js';

export const undici: InstrumentationSpec = {
  name: 'undici',
  package: '@opentelemetry/instrumentation-undici',
  modules: [],
  create({ config }) {
    const { UndiciInstrumentation } = otel('@opentelemetry/instrumentation-undici');
    // The request id of the request being handled travels on outgoing fetch calls too.
    return new UndiciInstrumentation({ requestHook: undiciRequestIdHook(config.signals) });
  },
};
