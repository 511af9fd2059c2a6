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

/**
 * One literal require() per package, so the start-up bundle (scripts/bundle.mjs) sees and bundles each
 * one (a require of a computed name stays a run-time load from node_modules, outside the bundle: a
 * second copy of the SDK beside the bundled one). Each thunk runs on first ask only.
 */
const LOADERS: { readonly [K in keyof OtelPackages]: () => OtelPackages[K] } = {
  '@opentelemetry/api': () => require('@opentelemetry/api') as OtelPackages['@opentelemetry/api'],
  '@opentelemetry/api-logs': () => require('@opentelemetry/api-logs') as OtelPackages['@opentelemetry/api-logs'],
  '@opentelemetry/context-async-hooks': () => require('@opentelemetry/context-async-hooks') as OtelPackages['@opentelemetry/context-async-hooks'],
  '@opentelemetry/core': () => require('@opentelemetry/core') as OtelPackages['@opentelemetry/core'],
  '@opentelemetry/exporter-prometheus': () => require('@opentelemetry/exporter-prometheus') as OtelPackages['@opentelemetry/exporter-prometheus'],
  '@opentelemetry/instrumentation': () => require('@opentelemetry/instrumentation') as OtelPackages['@opentelemetry/instrumentation'],
  '@opentelemetry/instrumentation-bunyan': () => require('@opentelemetry/instrumentation-bunyan') as OtelPackages['@opentelemetry/instrumentation-bunyan'],
  '@opentelemetry/instrumentation-express': () => require('@opentelemetry/instrumentation-express') as OtelPackages['@opentelemetry/instrumentation-express'],
  '@opentelemetry/instrumentation-http': () => require('@opentelemetry/instrumentation-http') as OtelPackages['@opentelemetry/instrumentation-http'],
  '@opentelemetry/instrumentation-ioredis': () => require('@opentelemetry/instrumentation-ioredis') as OtelPackages['@opentelemetry/instrumentation-ioredis'],
  '@opentelemetry/instrumentation-koa': () => require('@opentelemetry/instrumentation-koa') as OtelPackages['@opentelemetry/instrumentation-koa'],
  '@opentelemetry/instrumentation-pg': () => require('@opentelemetry/instrumentation-pg') as OtelPackages['@opentelemetry/instrumentation-pg'],
  '@opentelemetry/instrumentation-pino': () => require('@opentelemetry/instrumentation-pino') as OtelPackages['@opentelemetry/instrumentation-pino'],
  '@opentelemetry/instrumentation-redis': () => require('@opentelemetry/instrumentation-redis') as OtelPackages['@opentelemetry/instrumentation-redis'],
  '@opentelemetry/instrumentation-runtime-node': () => require('@opentelemetry/instrumentation-runtime-node') as OtelPackages['@opentelemetry/instrumentation-runtime-node'],
  '@opentelemetry/instrumentation-undici': () => require('@opentelemetry/instrumentation-undici') as OtelPackages['@opentelemetry/instrumentation-undici'],
  '@opentelemetry/instrumentation-winston': () => require('@opentelemetry/instrumentation-winston') as OtelPackages['@opentelemetry/instrumentation-winston'],
  '@opentelemetry/propagator-b3': () => require('@opentelemetry/propagator-b3') as OtelPackages['@opentelemetry/propagator-b3'],
  '@opentelemetry/resources': () => require('@opentelemetry/resources') as OtelPackages['@opentelemetry/resources'],
  '@opentelemetry/sdk-logs': () => require('@opentelemetry/sdk-logs') as OtelPackages['@opentelemetry/sdk-logs'],
  '@opentelemetry/sdk-metrics': () => require('@opentelemetry/sdk-metrics') as OtelPackages['@opentelemetry/sdk-metrics'],
  '@opentelemetry/sdk-trace': () => require('@opentelemetry/sdk-trace') as OtelPackages['@opentelemetry/sdk-trace'],
};

export function otel<K extends keyof OtelPackages>(name: K): OtelPackages[K] {
  return LOADERS[name]();
}

/** A package chosen at run time (an exporter by protocol, a cloud detector by name); the caller types it. */
export function otelPackage(name: string): unknown {
  return require(name);
}
