// Our own meter: the one way every @org/obs metric (obs.telemetry.dropped, process.uncaught_errors,
// http.server.errors, auth.attempts, cache.lookups) is created, so they share one instrumentation scope.
import type { Meter, MeterProvider } from '@opentelemetry/api';
import { OBS_VERSION } from '../host/obs-version.js';
import { otel } from './otel.js';

export const OWN_SCOPE = { name: '@org/obs', version: OBS_VERSION } as const;

/**
 * From the provider start() built; without one, from the global provider (the app-signal counters,
 * created on their first use, which comes after start() registered ours).
 */
export function ownMeter(provider?: MeterProvider): Meter {
  return (provider ?? otel('@opentelemetry/api').metrics.getMeterProvider()).getMeter(OWN_SCOPE.name, OWN_SCOPE.version);
}
