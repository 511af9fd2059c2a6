// The environment of the doctor's proof run only: every exporter of the app points at the doctor's
// in-process OTLP receiver (same protocols as configured), traces and logs are exported whatever
// OTEL_*_EXPORTER says, every trace is sampled, and batches leave within 100 ms. The user's real
// endpoints are still probed separately (checks-exporters.ts).
import type { Config, Signal } from '../../config/config.js';
import type { OtlpReceiver } from '../receiver/index.js';

const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];

export function proofEnv(receiver: OtlpReceiver, config: Config): Record<string, string> {
  const env: Record<string, string> = {};
  for (const signal of SIGNALS) {
    const { protocol } = config.otlp[signal];
    const key = signal.toUpperCase();
    env[`OTEL_EXPORTER_OTLP_${key}_ENDPOINT`] = protocol === 'grpc' ? receiver.grpcUrl : `${receiver.httpUrl}/v1/${signal}`;
    env[`OTEL_EXPORTER_OTLP_${key}_PROTOCOL`] = protocol;
  }
  return {
    ...env,
    // The proof needs the request's spans and logs; metrics keep the user's exporters (a Prometheus port).
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'otlp',
    // A ratio sampler could drop the one request; the doctor's traceparent is sampled.
    OTEL_TRACES_SAMPLER: 'parentbased_always_on',
    OTEL_TRACES_SAMPLER_ARG: '',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_BLRP_SCHEDULE_DELAY: '100',
  };
}

/**
 * A test for "this exporter endpoint is the doctor's receiver" (then the user's own is probed instead).
 * Made while the receiver runs: its ports are gone once it stops.
 */
export function proofEndpointTest(receiver: OtlpReceiver): (endpoint?: string) => boolean {
  const origins = new Set([new URL(receiver.grpcUrl).origin, new URL(receiver.httpUrl).origin]);
  return (endpoint) => {
    try {
      return origins.has(new URL(endpoint ?? '').origin);
    } catch {
      return false;
    }
  };
}
