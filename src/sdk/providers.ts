// The three SDK providers (trace, meter, logger) with their batch processors, periodic readers and our
// guarded exporters, built from a Config. Nothing is registered globally here: start.ts does that in
// one block once every part is built.
import type { Resource } from '@opentelemetry/resources';
import type { TracerProvider, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { LoggerProvider, LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { Config } from '../config/config.js';
import type { Redactor } from '../redact/redactor.js';
import { logExporters, metricExporters, spanExporters, type ExportHooks } from '../export/exporters.js';
import { countLogQueueDrops, countSpanQueueDrops } from '../export/queue-drops.js';
import { releaseExportSockets } from '../export/own-sockets.js';
import { withCells } from './metric-cells/producer.js';
import { installLeanTracer } from './lean-tracer.js';
import { PooledIdGenerator } from './pooled-ids.js';
import { guardLogEmit } from '../export/log-depth.js';
import { abandonExports, abandonExportsOnFailure, flushExports } from '../export/guarded-exporter.js';
import { buildSampler } from './sampler.js';
import { ownMeter } from './own-meter.js';
import { log } from '../log.js';
import { otel } from './otel.js';
import { installLeanAttributes } from './lean-attributes.js';

const { TracerProvider: TracerProviderImpl, BatchSpanProcessor } = otel('@opentelemetry/sdk-trace');
const { MeterProvider: MeterProviderImpl, PeriodicExportingMetricReader } = otel('@opentelemetry/sdk-metrics');
const { BatchLogRecordProcessor, LoggerProvider: LoggerProviderImpl } = otel('@opentelemetry/sdk-logs');

export interface Providers {
  readonly tracerProvider?: TracerProvider;
  readonly meterProvider?: MeterProvider;
  readonly loggerProvider?: LoggerProvider;
  /** The batch processors whose queues the exit flush sends synchronously. */
  readonly processors: readonly (SpanProcessor | LogRecordProcessor)[];
  /** Flushes every provider, then waits until our exporters have delivered what they acknowledged. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
  /** Our guarded exporters' way out when the exit deadline nears (lifecycle/shutdown.ts calls them). */
  abandonExports(): void;
  abandonExportsOnFailure(windowMs: number): void;
}

/** `extraReaders`: readers built elsewhere (the Prometheus endpoint's, an admin socket). */
export function buildProviders(config: Config, resource: Resource, redactor: Redactor, extraReaders: readonly MetricReader[]): Providers {
  // Before the first span: the SDK's attribute checks without a WeakSet per value (sdk/lean-attributes.ts).
  installLeanAttributes();
  // Drops are counted once the meter exists; before that they are only summed.
  let droppedCounter: { add(n: number, attrs: Record<string, string>): void } | undefined;
  const hooks: ExportHooks = {
    onDrop: (signal, n, reason) => {
      droppedCounter?.add(n, { signal, reason });
      log.warn(`dropped ${signal} because ${reason.replace(/_/g, ' ')}`);
    },
    redactSpans: redactor.spans,
    redactMetrics: redactor.metrics,
  };
  // A hanging collector must not keep a finished app alive through our connections (docs/safety.md, "Exits").
  const otlpEndpoints = (['traces', 'metrics', 'logs'] as const).filter((s) => config.exporters[s].includes('otlp')).map((s) => config.otlp[s].endpoint);
  releaseExportSockets(otlpEndpoints);

  const spanProcessors: SpanProcessor[] = spanExporters(config, hooks).map((exporter) => countSpanQueueDrops(new BatchSpanProcessor({
    exporter,
    maxQueueSize: config.bsp.maxQueueSize,
    maxExportBatchSize: config.bsp.maxExportBatchSize,
    scheduledDelayMillis: config.bsp.scheduleDelayMs,
    exportTimeoutMillis: config.bsp.exportTimeoutMs,
  }), (n) => hooks.onDrop('traces', n, 'queue_full')));
  const tracerProvider = spanProcessors.length > 0
    ? new TracerProviderImpl({ resource, sampler: buildSampler(config.sampler), spanProcessors, idGenerator: new PooledIdGenerator() })
    : undefined;
  // Every span our tracers start skips what the SDK allocates for nothing on a common span (sdk/lean-tracer.ts).
  if (tracerProvider) installLeanTracer(tracerProvider);

  // Every reader also exports our metric cells (sdk/metric-cells), with its own temporality.
  const readers: MetricReader[] = metricExporters(config, hooks, config.metricsTemporality).map((exporter) => withCells((metricProducers) => new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: config.metricExportIntervalMs,
    exportTimeoutMillis: Math.min(config.metricExportTimeoutMs, config.metricExportIntervalMs),
    metricProducers,
  })));
  readers.push(...extraReaders);
  let meterProvider: MeterProvider | undefined;
  if (readers.length > 0) {
    meterProvider = new MeterProviderImpl({ resource, readers });
    droppedCounter = ownMeter(meterProvider).createCounter('obs.telemetry.dropped', {
      description: 'Telemetry items the preload dropped (queue full, export failed, shutdown).',
      unit: '{item}',
    });
  }

  const logProcessors: LogRecordProcessor[] = logExporters(config, hooks).map((exporter) => countLogQueueDrops(new BatchLogRecordProcessor({
    exporter,
    maxQueueSize: config.blrp.maxQueueSize,
    maxExportBatchSize: config.blrp.maxExportBatchSize,
    scheduledDelayMillis: config.blrp.scheduleDelayMs,
    exportTimeoutMillis: config.blrp.exportTimeoutMs,
  }), (n) => hooks.onDrop('logs', n, 'queue_full')));
  let loggerProvider: LoggerProvider | undefined;
  if (logProcessors.length > 0) {
    loggerProvider = new LoggerProviderImpl({ resource, processors: [redactor.logProcessor, ...logProcessors] });
    guardLogEmit(loggerProvider);
  }

  return {
    tracerProvider,
    meterProvider,
    loggerProvider,
    processors: [...spanProcessors, ...logProcessors],
    flush: async () => {
      await Promise.allSettled([tracerProvider?.forceFlush(), meterProvider?.forceFlush(), loggerProvider?.forceFlush()]);
      // Our exporters acknowledge batches on receipt: the flush is done when they have delivered them.
      await flushExports();
    },
    shutdown: async () => {
      await Promise.allSettled([tracerProvider?.shutdown(), meterProvider?.shutdown(), loggerProvider?.shutdown()]);
    },
    abandonExports,
    abandonExportsOnFailure,
  };
}
