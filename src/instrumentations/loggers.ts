// pino, winston and bunyan: trace_id/span_id (and request_id, user_id while handling a request) injected
// into each record, and each record sent over OTLP.
import { createRequire } from 'node:module';
import type { InstrumentationSpec } from './types.js';
import { addLogContext } from '../app-signals/log-context.js';

const require = createRequire(import.meta.url);

export const pino: InstrumentationSpec = {
  name: 'pino',
  package: '@opentelemetry/instrumentation-pino',
  modules: ['pino'],
  create() {
    const { PinoInstrumentation } = require('@opentelemetry/instrumentation-pino') as typeof import('@opentelemetry/instrumentation-pino');
    return new PinoInstrumentation({ logHook: (_span, record) => addLogContext(record) });
  },
};

export const winston: InstrumentationSpec = {
  name: 'winston',
  package: '@opentelemetry/instrumentation-winston',
  modules: ['winston'],
  create() {
    // Log sending needs @opentelemetry/winston-transport, which we depend on, so records are exported too.
    const { WinstonInstrumentation } = require('@opentelemetry/instrumentation-winston') as typeof import('@opentelemetry/instrumentation-winston');
    return new WinstonInstrumentation({ logHook: (_span, record) => addLogContext(record) });
  },
};

export const bunyan: InstrumentationSpec = {
  name: 'bunyan',
  package: '@opentelemetry/instrumentation-bunyan',
  modules: ['bunyan'],
  create() {
    const { BunyanInstrumentation } = require('@opentelemetry/instrumentation-bunyan') as typeof import('@opentelemetry/instrumentation-bunyan');
    return new BunyanInstrumentation({ logHook: (_span, record) => addLogContext(record) });
  },
};
