// node-redis (redis 2-3, and @redis/client for redis 4 and 5): command spans, also outside a parent span.
import { createRequire } from 'node:module';
import type { InstrumentationSpec } from './types.js';
import { redisStatementSerializer } from './redis-statement.js';
import { countCacheReply } from '../cache-metrics.js';

const require = createRequire(import.meta.url);

export const redis: InstrumentationSpec = {
  name: 'redis',
  package: '@opentelemetry/instrumentation-redis',
  modules: ['redis', '@redis/client', '@node-redis/client'],
  create({ config }) {
    const { RedisInstrumentation } = require('@opentelemetry/instrumentation-redis') as typeof import('@opentelemetry/instrumentation-redis');
    return new RedisInstrumentation({
      requireParentSpan: false,
      dbStatementSerializer: redisStatementSerializer(config.dbStatement),
      // cache.lookups hit/miss counts from read replies (src/cache-metrics.ts).
      responseHook: (_span, cmdName, cmdArgs, response) => countCacheReply(cmdName, cmdArgs, response),
    });
  },
};
