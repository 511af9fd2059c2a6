// node-redis (redis 2.6-3 directly, redis 4-6 through @redis/client): command spans, also outside a parent span.
import type { InstrumentationSpec } from './types.js';
import { redisStatementSerializer } from './redis-statement.js';
import { countCacheReply } from '../app-signals/cache-metrics.js';
import { registerDependency } from '../host/app-clients.js';
import { otel } from '../sdk/otel.js';

/**
 * /readyz checks the app's clients (OBS_READY_CHECKS=redis): node-redis 4+ commands all pass through the
 * v4-v5 part's _traceClientCommand with the client as `this` argument. Internal: if it is gone, the
 * check says no client was seen. node-redis 2-3 clients are not checked.
 */
function knowClients(instrumentation: object): void {
  const v4 = (instrumentation as { instrumentationV4_V5?: { _traceClientCommand?: (...args: unknown[]) => unknown } }).instrumentationV4_V5;
  const original = v4?._traceClientCommand;
  if (!v4 || typeof original !== 'function') return;
  v4._traceClientCommand = function (this: unknown, ...args: unknown[]) {
    const client = args[1] as { ping?: unknown } | undefined;
    // A MULTI batch passes through here too: only a client that can PING is one to check.
    if (client && typeof client.ping === 'function' && 'isReady' in client) registerDependency('redis', client);
    return original.apply(this, args);
  };
}

export const redis: InstrumentationSpec = {
  name: 'redis',
  package: '@opentelemetry/instrumentation-redis',
  modules: ['redis', '@redis/client', '@node-redis/client'],
  create({ config }) {
    const { RedisInstrumentation } = otel('@opentelemetry/instrumentation-redis');
    const instrumentation = new RedisInstrumentation({
      requireParentSpan: false,
      dbStatementSerializer: redisStatementSerializer(config.dbStatement),
      // cache.lookups hit/miss counts from read replies (src/app-signals/cache-metrics.ts).
      responseHook: (_span, cmdName, cmdArgs, response) => countCacheReply(cmdName, cmdArgs, response),
    });
    if (config.signals.readyChecks.includes('redis')) knowClients(instrumentation);
    return instrumentation;
  },
};
