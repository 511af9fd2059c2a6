// Every OpenTelemetry provider global, registered in one block through one API copy (app-api.ts says which),
// plus the @opentelemetry/api-logs global that libraries still on the pre-1.10 logs API read
// (@opentelemetry/winston-transport 0.34, apps that import api-logs). All or nothing: a refused
// registration (another SDK got there first) undoes the ones made before it.
import type { ContextManager, MeterProvider, TextMapPropagator, TracerProvider, LoggerProvider } from '@opentelemetry/api';
import type { ApiModule } from './app-api.js';
import { otel } from './otel.js';
import { ObsContextManager } from './context-manager.js';
import type { Config } from '../config/config.js';

export interface GlobalParts {
  readonly contextManager: ContextManager;
  readonly propagator?: TextMapPropagator;
  readonly tracerProvider?: TracerProvider;
  readonly meterProvider?: MeterProvider;
  readonly loggerProvider?: LoggerProvider;
}

export interface Registered {
  /** The globals another registration already held; empty when all of ours are in place. */
  readonly refused: string[];
  unregister(): void;
}

export function registerGlobals(api: ApiModule, parts: GlobalParts): Registered {
  const undo: Array<() => void> = [];
  const refused: string[] = [];
  const unregister = (): void => {
    for (const u of undo.splice(0).reverse()) {
      try {
        u();
      } catch {
        // undoing one global must not stop the others
      }
    }
  };
  const step = (name: string, ok: boolean, disable: () => void): void => {
    if (ok) undo.push(disable);
    else refused.push(name);
  };
  step('context', api.context.setGlobalContextManager(parts.contextManager), () => api.context.disable());
  if (parts.propagator) step('propagation', api.propagation.setGlobalPropagator(parts.propagator), () => api.propagation.disable());
  if (parts.tracerProvider) step('trace', api.trace.setGlobalTracerProvider(parts.tracerProvider), () => api.trace.disable());
  if (parts.meterProvider) step('metrics', api.metrics.setGlobalMeterProvider(parts.meterProvider), () => api.metrics.disable());
  if (parts.loggerProvider) {
    const provider = parts.loggerProvider;
    // A registrar older than 1.10 has no logs API; api-logs below still serves the app then.
    if (api.logs) step('logs', api.logs.setGlobalLoggerProvider(provider), () => api.logs.disable());
    const legacy = otel('@opentelemetry/api-logs').logs;
    step('api-logs', legacy.setGlobalLoggerProvider(provider) === provider, () => legacy.disable());
  }
  if (refused.length > 0) unregister();
  return { refused, unregister };
}

/**
 * The context manager every upstream instrumentation's context lives in: one AsyncLocalStorage. Ours
 * (sdk/context-manager.ts) binds no emitter per request; OBS_HTTP_SERVER=otel keeps upstream's server
 * side, and with it upstream's manager.
 */
export function createContextManager(httpServer: Config['httpServer']): ContextManager & Partial<Pick<ObsContextManager, 'enterWith'>> {
  if (httpServer === 'obs') return new ObsContextManager().enable();
  const { AsyncLocalStorageContextManager } = otel('@opentelemetry/context-async-hooks');
  return new AsyncLocalStorageContextManager().enable();
}
