// The one place our code loads OpenTelemetry's packages: they are CommonJS, and require() loads them
// without the ESM loader's per-module export scanning, which measured about twice as slow on the
// start-up path. Each package loads when first asked for (an instrumentation's only when it is built);
// call otel() at module scope or at build time, never per request.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface OtelPackages {
  '@opentelemetry/api': typeof import('@opentelemetry/api');
  '@opentelemetry/api-logs': typeof import('@opentelemetry/api-logs');
  '@opentelemetry/context-async-hooks': typeof import('@opentelemetry/context-async-hooks');
  '@opentelemetry/core': typeof import('@opentelemetry/core');
  '@opentelemetry/exporter-prometheus': typeof import('@opentelemetry/exporter-prometheus');
  '@opentelemetry/instrumentation': typeof import('@opentelemetry/instrumentation');
  '@opentelemetry/instrumentation-bunyan': typeof import('@opentelemetry/instrumentation-bunyan');
  '@opentelemetry/instrumentation-express': typeof import('@opentelemetry/instrumentation-express');
  '@opentelemetry/instrumentation-http': typeof import('@opentelemetry/instrumentation-http');
  '@opentelemetry/instrumentation-ioredis': typeof import('@opentelemetry/instrumentation-ioredis');
  '@opentelemetry/instrumentation-koa': typeof import('@opentelemetry/instrumentation-koa');
  '@opentelemetry/instrumentation-pg': typeof import('@opentelemetry/instrumentation-pg');
  '@opentelemetry/instrumentation-pino': typeof import('@opentelemetry/instrumentation-pino');
  '@opentelemetry/instrumentation-redis': typeof import('@opentelemetry/instrumentation-redis');
  '@opentelemetry/instrumentation-runtime-node': typeof import('@opentelemetry/instrumentation-runtime-node');
  '@opentelemetry/instrumentation-undici': typeof import('@opentelemetry/instrumentation-undici');
  '@opentelemetry/instrumentation-winston': typeof import('@opentelemetry/instrumentation-winston');
  '@opentelemetry/propagator-b3': typeof import('@opentelemetry/propagator-b3');
  '@opentelemetry/resources': typeof import('@opentelemetry/resources');
  '@opentelemetry/sdk-logs': typeof import('@opentelemetry/sdk-logs');
  '@opentelemetry/sdk-metrics': typeof import('@opentelemetry/sdk-metrics');
  '@opentelemetry/sdk-trace': typeof import('@opentelemetry/sdk-trace');
}

export function otel<K extends keyof OtelPackages>(name: K): OtelPackages[K] {
  return require(name) as OtelPackages[K];
}

/** A package chosen at run time (an exporter by protocol, a cloud detector by name); the caller types it. */
export function otelPackage(name: string): unknown {
  return require(name);
}
