// pino, winston and bunyan: trace_id/span_id (and request_id, user_id while handling a request) injected
// into each record, and each record sent over OTLP.
import type { InstrumentationSpec } from './types.js';
import { addLogContext } from '../app-signals/log-context.js';
import { otel } from '../sdk/otel.js';

export const pino: InstrumentationSpec = {
  name: 'pino',
  package: '@opentelemetry/instrumentation-pino',
  modules: ['pino'],
  create() {
    const { PinoInstrumentation } = otel('@opentelemetry/instrumentation-pino');
    return new PinoInstrumentation({ logHook: (_span, record) => addLogContext(record) });
  },
};

export const winston: InstrumentationSpec = {
  name: 'winston',
  package: '@opentelemetry/instrumentation-winston',
  modules: ['winston'],
  create() {
    // Log sending needs @opentelemetry/winston-transport, which we depend on, so records are exported too.
    const { WinstonInstrumentation } = otel('@opentelemetry/instrumentation-winston');
    return new WinstonInstrumentation({ logHook: (_span, record) => addLogContext(record) });
  },
};

export const bunyan: InstrumentationSpec = {
  name: 'bunyan',
  package: '@opentelemetry/instrumentation-bunyan',
  modules: ['bunyan'],
  create() {
    const { BunyanInstrumentation } = otel('@opentelemetry/instrumentation-bunyan');
    return new BunyanInstrumentation({ logHook: (_span, record) => addLogContext(record) });
  },
};
