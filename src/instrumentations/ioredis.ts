// ioredis: command spans, also for commands outside any parent span (workers, timers), unlike upstream's default.
import type { InstrumentationSpec } from './types.js';
import { redisStatementSerializer } from './redis-statement.js';
import { countCacheReply } from '../app-signals/cache-metrics.js';
import { registerDependency } from '../host/app-clients.js';
import { otel } from '../sdk/otel.js';

type SendCommand = (this: unknown, cmd?: unknown, ...rest: unknown[]) => unknown;
interface TracesSendCommand {
  _traceSendCommand(original: SendCommand, moduleVersion?: string): SendCommand;
}

/**
 * ioredis sends a command queued before `ready` (first use, after a reconnect) through sendCommand
 * a second time, and upstream traces each call: the right span plus an orphan root span, and two
 * cache counts (open-telemetry/opentelemetry-js-contrib#288). The same Command object comes back, so
 * the first call traces it and a repeat goes straight to ioredis; the first span still ends on the
 * reply. Relies on the instrumentation's _traceSendCommand (0.72); without it nothing changes.
 */
function traceEachCommandOnce(instrumentation: object, onClient?: (client: unknown) => void): void {
  const inst = instrumentation as Partial<TracesSendCommand>;
  const trace = inst._traceSendCommand;
  if (typeof trace !== 'function') return;
  inst._traceSendCommand = function (this: TracesSendCommand, original, moduleVersion) {
    const traced = trace.call(this, original, moduleVersion);
    const seen = new WeakSet<object>();
    return function (this: unknown, cmd?: unknown, ...rest: unknown[]) {
      onClient?.(this);
      if (typeof cmd === 'object' && cmd !== null) {
        if (seen.has(cmd)) return original.call(this, cmd, ...rest);
        seen.add(cmd);
      }
      return traced.call(this, cmd, ...rest);
    };
  };
}

export const ioredis: InstrumentationSpec = {
  name: 'ioredis',
  package: '@opentelemetry/instrumentation-ioredis',
  modules: ['ioredis'],
  create({ config }) {
    const { IORedisInstrumentation } = otel('@opentelemetry/instrumentation-ioredis');
    // Built disabled so the dedupe is in place before the module is patched.
    const instrumentation = new IORedisInstrumentation({
      enabled: false,
      requireParentSpan: false,
      dbStatementSerializer: redisStatementSerializer(config.dbStatement),
      // cache.lookups hit/miss counts from read replies (src/app-signals/cache-metrics.ts).
      responseHook: (_span, cmdName, cmdArgs, response) => countCacheReply(cmdName, cmdArgs, response),
    });
    // /readyz checks the app's clients with OBS_READY_CHECKS=redis (src/admin/ready-checks.ts).
    traceEachCommandOnce(instrumentation, config.signals.readyChecks.includes('redis') ? (c) => registerDependency('redis', c) : undefined);
    instrumentation.enable();
    return instrumentation;
  },
};
