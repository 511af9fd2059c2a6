// ioredis: command spans, also for commands outside any parent span (workers, timers), unlike upstream's default.
import { createRequire } from 'node:module';
import type { InstrumentationSpec } from './types.js';
import { redisStatementSerializer } from './redis-statement.js';
import { countCacheReply } from '../cache-metrics.js';

const require = createRequire(import.meta.url);

export const ioredis: InstrumentationSpec = {
  name: 'ioredis',
  package: '@opentelemetry/instrumentation-ioredis',
  modules: ['ioredis'],
  create({ config }) {
    const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
    return new IORedisInstrumentation({
      requireParentSpan: false,
      dbStatementSerializer: redisStatementSerializer(config.dbStatement),
      // cache.lookups hit/miss counts from read replies (src/cache-metrics.ts).
      responseHook: (_span, cmdName, cmdArgs, response) => countCacheReply(cmdName, cmdArgs, response),
    });
  },
};
