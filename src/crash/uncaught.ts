// Crash capture: an uncaught exception or unhandled rejection is recorded on the active span, sent
// as a log record and counted in process.uncaught_errors; then Node does exactly what it would have.
import type { Attributes, Exception, HrTime, SpanContext } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import type { MeterProvider, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { TracerProvider } from '@opentelemetry/sdk-trace';
import type { LoggerProvider, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { Config, Signal } from '../config/config.js';
import { beginCapture, capture, markFinalSend, takeCaptured } from './outbox.js';
import { serialize, type SignalItems } from '../export/serialize.js';
import { sendSync } from './sync-send.js';
import { otel } from '../sdk/otel.js';
import { OWN_SCOPE, ownMeter } from '../sdk/own-meter.js';

const { SpanStatusCode, trace, ValueType } = otel('@opentelemetry/api');
const { SeverityNumber } = otel('@opentelemetry/api');
const { hrTime } = otel('@opentelemetry/core');
const { AggregationTemporality, DataPointType } = otel('@opentelemetry/sdk-metrics');

export interface CrashCaptureOptions {
  readonly config: Config;
  readonly resource: Resource;
  readonly tracerProvider?: TracerProvider;
  readonly meterProvider?: MeterProvider;
  readonly loggerProvider?: LoggerProvider;
  /** The redactor's attribute and free-text scrubbers (exception messages carry secrets too). */
  readonly redactAttributes: (attrs: Attributes) => void;
  readonly redactText: (s: string) => string;
}

type Origin = 'uncaughtException' | 'unhandledRejection';

const METRIC = 'process.uncaught_errors';
const DESCRIPTION = 'Uncaught exceptions and unhandled rejections, by error type and origin.';
const SCOPE = OWN_SCOPE;

function errorType(err: unknown): string {
  if (err instanceof Error) return err.name || err.constructor?.name || 'Error';
  return err === null ? 'null' : typeof err;
}

function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  try {
    return typeof err === 'string' ? err : String(err);
  } catch {
    return '<unprintable>';
  }
}

export function installCrashCapture(options: CrashCaptureOptions): void {
  const { config, resource } = options;
  const startTime = hrTime();
  const counts = new Map<string, { attributes: Attributes; value: number }>();
  const counter = options.meterProvider ? ownMeter(options.meterProvider).createCounter(METRIC, { description: DESCRIPTION, unit: '{error}' }) : undefined;
  let handling = false;
  // Spans wait for async resource attributes (host.id) before export; settled early, the crash path stays synchronous.
  resource.waitForAsyncAttributes?.().catch(() => undefined);

  function exceptionAttributes(err: unknown, origin: Origin): Attributes {
    const attrs: Attributes = {
      'exception.type': errorType(err),
      'exception.message': errorMessage(err),
      'exception.origin': origin,
    };
    if (err instanceof Error && typeof err.stack === 'string') attrs['exception.stacktrace'] = err.stack;
    options.redactAttributes(attrs);
    return attrs;
  }

  function record(err: unknown, origin: Origin, fatal: boolean): void {
    // An error raised while we handle one (ours or the app's) is left to Node.
    if (handling) return;
    handling = true;
    try {
      const type = errorType(err);
      const span = trace.getActiveSpan();
      if (span?.isRecording()) {
        span.recordException(err instanceof Error ? err : (errorMessage(err) as Exception));
        span.setStatus({ code: SpanStatusCode.ERROR, message: options.redactText(errorMessage(err)) });
        // The span will never end by itself: the process dies before its callback returns.
        if (fatal) span.end();
      }
      const metricAttrs = { 'error.type': type, 'exception.origin': origin };
      counter?.add(1, metricAttrs);
      const key = `${type}\u0000${origin}`;
      const entry = counts.get(key) ?? { attributes: metricAttrs, value: 0 };
      entry.value++;
      counts.set(key, entry);

      const attributes = exceptionAttributes(err, origin);
      const spanContext = span?.spanContext();
      if (!fatal) {
        // The app handles it and lives on: an ERROR record through the normal pipeline.
        options.loggerProvider?.getLogger(SCOPE.name, SCOPE.version).emit({
          severityNumber: SeverityNumber.ERROR, severityText: 'ERROR',
          body: `${origin}: ${type}: ${String(attributes['exception.message'])}`, attributes,
        });
        return;
      }
      flushFatal(type, attributes, spanContext);
    } catch {
      // Crash capture must never change how the crash itself goes.
    } finally {
      handling = false;
    }
  }

  function push<S extends Signal>(signal: S, items: SignalItems[S]): void {
    if (!config.exporters[signal].includes('otlp')) return;
    const { protocol, endpoint } = config.otlp[signal];
    const body = serialize(signal, protocol, items);
    if (body && body.length > 0) capture({ signal, protocol, endpoint, body: Buffer.from(body).toString('base64') });
  }

  /** Everything must leave now, synchronously: after the monitor returns, Node prints the error and exits. */
  function flushFatal(type: string, attributes: Attributes, spanContext: SpanContext | undefined): void {
    // The 'exit' path (exit-flush.ts) must not send the same buffers a second time.
    markFinalSend();
    beginCapture();
    try {
      // The batch span processor hands its buffer to the exporter synchronously; our exporters capture it.
      options.tracerProvider?.forceFlush().catch(() => undefined);
      const now: HrTime = hrTime();
      const log: ReadableLogRecord = {
        hrTime: now, hrTimeObserved: now, severityNumber: SeverityNumber.FATAL, severityText: 'FATAL',
        body: `${String(attributes['exception.origin'])}: ${type}: ${String(attributes['exception.message'])}`,
        attributes, resource, instrumentationScope: SCOPE, spanContext, droppedAttributesCount: 0,
      };
      push('logs', [log]);
      const metrics: ResourceMetrics = {
        resource,
        scopeMetrics: [{
          scope: SCOPE,
          metrics: [{
            descriptor: { name: METRIC, description: DESCRIPTION, unit: '{error}', valueType: ValueType.INT },
            aggregationTemporality: AggregationTemporality.CUMULATIVE,
            dataPointType: DataPointType.SUM,
            isMonotonic: true,
            dataPoints: [...counts.values()].map((c) => ({ attributes: c.attributes, startTime, endTime: now, value: c.value })),
          }],
        }],
      };
      push('metrics', metrics);
    } finally {
      sendSync(takeCaptured(), config.shutdownTimeoutMs);
    }
  }

  // Called before Node decides; it is fatal exactly when nobody listens for 'uncaughtException'.
  process.on('uncaughtExceptionMonitor', (err, origin) => {
    record(err, origin as Origin, process.listenerCount('uncaughtException') === 0);
  });

  // With no 'unhandledRejection' listener Node turns a rejection into an uncaught exception (seen above).
  // A listener of ours would make rejections "handled", so we listen only while the app does too.
  const observeRejection = (reason: unknown): void => record(reason, 'unhandledRejection', false);
  let observing = false;
  const sync = (): void => {
    const others = process.listeners('unhandledRejection').filter((l) => l !== observeRejection).length;
    if (others > 0 && !observing) {
      observing = true;
      process.prependListener('unhandledRejection', observeRejection);
    } else if (others === 0 && observing) {
      observing = false;
      process.removeListener('unhandledRejection', observeRejection);
    }
  };
  process.on('newListener', (event) => {
    if (event === 'unhandledRejection') process.nextTick(sync);
  });
  process.on('removeListener', (event) => {
    if (event === 'unhandledRejection') sync();
  });
  sync();
}
