// OTEL_TRACES_SAMPLER (+ _ARG, already validated into a ratio) → a Sampler.
import type { Sampler } from '@opentelemetry/sdk-trace';
import type { Config } from '../config/config.js';
import { otel } from './otel.js';

const {
  AlwaysOffSampler, AlwaysOnSampler, ParentBasedSampler, SamplingDecision, TraceIdRatioBasedSampler,
} = otel('@opentelemetry/sdk-trace');
const { trace } = otel('@opentelemetry/api');

/**
 * Redis clients talk to the server on their own when they connect (connect, HELLO, CLIENT SETINFO, INFO,
 * SELECT, AUTH). With ioredis' parent-span requirement lifted so worker commands are traced, those would
 * each become a one-span trace; outside a request they are noise, so they are not recorded.
 */
const REDIS_HANDSHAKE = new Set(['connect', 'redis-connect', 'hello', 'client', 'info', 'select', 'auth', 'cluster', 'command', 'readonly']);

function withoutRedisHandshakes(inner: Sampler): Sampler {
  return {
    shouldSample(ctx, traceId, spanName, spanKind, attributes, links) {
      if (REDIS_HANDSHAKE.has(spanName.toLowerCase()) && !trace.getSpanContext(ctx)) {
        const system = attributes['db.system.name'] ?? attributes['db.system'];
        if (system === 'redis' || spanName === 'redis-connect') return { decision: SamplingDecision.NOT_RECORD };
      }
      return inner.shouldSample(ctx, traceId, spanName, spanKind, attributes, links);
    },
    toString: () => `WithoutRedisHandshakes{${inner.toString()}}`,
  };
}

export function buildSampler(config: Config['sampler']): Sampler {
  return withoutRedisHandshakes(baseSampler(config));
}

function baseSampler({ name, ratio }: Config['sampler']): Sampler {
  switch (name) {
    case 'always_on': return new AlwaysOnSampler();
    case 'always_off': return new AlwaysOffSampler();
    case 'traceidratio': return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_off': return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio': return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    default: return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}
