// Builds each signal's exporters from the config. OTLP exporters are guarded and loaded on first
// export; the module for a protocol is required only if that protocol is used.
import type { AggregationTemporality as Temporality, InstrumentType as Instrument, PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { SpanExporter, ReadableSpan } from '@opentelemetry/sdk-trace';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { Config, OtlpProtocol, Signal } from '../config/config.js';
import { GuardedExporter, closeExportGate, openExportGate, type ExporterLike } from './guarded-exporter.js';
import { capture } from '../crash/outbox.js';
import { serialize, type SignalItems } from './serialize.js';
import { grpcRetryDelay } from './grpc-retry.js';
import { unrefRetryTimers } from './unref-retries.js';
import { dropGrpcDeadline } from './grpc-deadline.js';
import { warmUp } from './warm-up.js';
import { routeExporterBuiltinImports } from './builtin-imports.js';
import { shareBundledSdk } from './shared-sdk.js';
import { capLogDepth } from './log-depth.js';
import { capSpanNames } from './span-names.js';
import { redactUrl } from '../redact/url.js';
import { otel, otelPackage } from '../sdk/otel.js';
import { createTraceExporter } from './otlp-trace-writer/exporter.js';
import { EncodedSpans, traceRequestBody, type SpanBatch } from './otlp-trace-writer/serializer.js';
import { SpanPackJob } from './otlp-trace-writer/pack-job.js';
import { log } from '../log.js';

const { AggregationTemporality, InstrumentType } = otel('@opentelemetry/sdk-metrics');

const PACKAGES: Record<Signal, Record<OtlpProtocol, string>> = {
  traces: {
    grpc: '@opentelemetry/exporter-trace-otlp-grpc',
    'http/protobuf': '@opentelemetry/exporter-trace-otlp-proto',
    'http/json': '@opentelemetry/exporter-trace-otlp-http',
  },
  metrics: {
    grpc: '@opentelemetry/exporter-metrics-otlp-grpc',
    'http/protobuf': '@opentelemetry/exporter-metrics-otlp-proto',
    'http/json': '@opentelemetry/exporter-metrics-otlp-http',
  },
  logs: {
    grpc: '@opentelemetry/exporter-logs-otlp-grpc',
    'http/protobuf': '@opentelemetry/exporter-logs-otlp-proto',
    'http/json': '@opentelemetry/exporter-logs-otlp-http',
  },
};
const CLASS: Record<Signal, string> = { traces: 'OTLPTraceExporter', metrics: 'OTLPMetricExporter', logs: 'OTLPLogExporter' };

export interface ExportHooks {
  readonly onDrop: (signal: Signal, count: number, reason: string) => void;
  readonly redactSpans: (spans: ReadableSpan[]) => void;
  /** Log records need none here: they are redacted as they are emitted (src/redact/redactor.ts); their depth is capped (log-depth.ts). */
  readonly redactMetrics: (metrics: ResourceMetrics) => void;
}

/** Whether this signal's OTLP requests are encoded by our one-pass span writer (OBS_OTLP_WRITER). */
function ownTraceWriter(config: Config, signal: Signal): boolean {
  return signal === 'traces' && config.otlp.traces.protocol !== 'http/json' && config.otlpTraceWriter === 'obs';
}

function otlp<T>(config: Config, signal: Signal, extra: object = {}): () => ExporterLike<T> {
  const { protocol, endpoint } = config.otlp[signal];
  return () => {
    let exporter: ExporterLike<T>;
    if (ownTraceWriter(config, signal) && protocol !== 'http/json') {
      // Upstream's transport for this protocol, our one-pass span encoder (src/export/otlp-trace-writer/).
      exporter = createTraceExporter<ExporterLike<T>>(protocol, { url: endpoint, ...extra });
      log.debug(`traces: OTLP ${protocol} exporter encodes with the one-pass span writer (OBS_OTLP_WRITER=upstream: the SDK's serializer)`);
    } else {
      const mod = otelPackage(PACKAGES[signal][protocol]) as Record<string, new (o: object) => ExporterLike<T>>;
      exporter = new mod[CLASS[signal]]({ url: endpoint, ...extra });
    }
    // Nothing of the exporter may hold a finished app open: retry waits unref'd, gRPC calls without
    // grpc-js's ref'd deadline timer (the guard's unref'd attempt timeout bounds them instead).
    unrefRetryTimers(exporter);
    if (protocol === 'grpc') dropGrpcDeadline(exporter);
    return exporter;
  };
}

/** The OTLP exporters' default timeout (OTEL_EXPORTER_OTLP_TIMEOUT's default), as gRPC's deadline was. */
const OTLP_TIMEOUT_MS = 10_000;

/** Our deadline for one gRPC attempt (see grpc-deadline.ts); HTTP keeps the exporter's own (unref'd) socket timeout. */
function attemptTimeout(config: Config, signal: Signal): number | undefined {
  return config.otlp[signal].protocol === 'grpc' ? OTLP_TIMEOUT_MS : undefined;
}

/** Where a batch goes when a crash is being captured: serialized for this signal's OTLP endpoint. */
function capturer<S extends Signal>(config: Config, signal: S): (items: SignalItems[S] | EncodedSpans) => void {
  const { protocol, endpoint } = config.otlp[signal];
  return (items) => {
    // The same encoder as the exporter's, so the exit and crash paths send what the exporter would have;
    // a packed batch is its request already.
    const body = ownTraceWriter(config, signal) ? traceRequestBody(items as SpanBatch) : serialize(signal, protocol, items as SignalItems[S]);
    if (body && body.length > 0) capture({ signal, protocol, endpoint, body: Buffer.from(body).toString('base64') });
  };
}

/** The HTTP exporters retry 429/502/503/504 themselves, honouring Retry-After; gRPC's do not retry at all. */
function retryPolicy(config: Config, signal: Signal): typeof grpcRetryDelay | undefined {
  return config.otlp[signal].protocol === 'grpc' ? grpcRetryDelay : undefined;
}

/** Retries end with the processor's export timeout (after it the processor moves on), and within the OTLP exporter timeout's 10 s. */
function retryBudget(processorTimeoutMs: number): number {
  return Math.min(processorTimeoutMs, 10_000);
}

/** How failure lines name the endpoint: credentials and query values masked (the diag scrubber repeats this). */
function target(config: Config, signal: Signal): string {
  return `${redactUrl(config.otlp[signal].endpoint, new Set())} (${config.otlp[signal].protocol})`;
}

export function spanExporters(config: Config, hooks: ExportHooks): SpanExporter[] {
  const out: SpanExporter[] = [];
  for (const kind of config.exporters.traces) {
    if (kind === 'console') {
      const { ConsoleSpanExporter } = otel('@opentelemetry/sdk-trace');
      out.push(new ConsoleSpanExporter());
    } else if (kind === 'otlp') {
      out.push(new GuardedExporter<SpanBatch>({
        signal: 'traces', target: target(config, 'traces'), create: otlp(config, 'traces'),
        size: (s) => s.length, maxWaitingItems: config.bsp.maxQueueSize,
        transform: (spans) => {
          if (spans instanceof EncodedSpans) return;
          hooks.redactSpans(spans);
          capSpanNames(spans);
        },
        // Under our writer a taken batch waits and travels as its encoded request, not as span objects,
        // redacted and encoded a slice per task.
        pack: ownTraceWriter(config, 'traces')
          ? (spans) => (spans instanceof EncodedSpans ? { step: () => spans } : new SpanPackJob(spans, (slice) => {
            hooks.redactSpans(slice);
            capSpanNames(slice);
          }))
          : undefined,
        onDrop: (n, why) => hooks.onDrop('traces', n, why), capture: capturer(config, 'traces'),
        retryDelay: retryPolicy(config, 'traces'), retryBudgetMs: retryBudget(config.bsp.exportTimeoutMs),
        attemptTimeoutMs: attemptTimeout(config, 'traces'),
      }));
    }
  }
  return out;
}

export function logExporters(config: Config, hooks: ExportHooks): LogRecordExporter[] {
  const out: LogRecordExporter[] = [];
  for (const kind of config.exporters.logs) {
    if (kind === 'console') {
      const { ConsoleLogRecordExporter } = otel('@opentelemetry/sdk-logs');
      out.push(new ConsoleLogRecordExporter());
    } else if (kind === 'otlp') {
      out.push(new GuardedExporter<ReadableLogRecord[]>({
        signal: 'logs', target: target(config, 'logs'), create: otlp(config, 'logs'),
        size: (l) => l.length, maxWaitingItems: config.blrp.maxQueueSize, transform: capLogDepth,
        onDrop: (n, why) => hooks.onDrop('logs', n, why), capture: capturer(config, 'logs'),
        retryDelay: retryPolicy(config, 'logs'), retryBudgetMs: retryBudget(config.blrp.exportTimeoutMs),
        attemptTimeoutMs: attemptTimeout(config, 'logs'),
      }));
    }
  }
  return out;
}

/** OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE, answered without loading the real exporter. */
function temporalitySelector(preference: string): (t: Instrument) => Temporality {
  const p = preference.toLowerCase();
  if (p === 'delta') {
    return (t) => (t === InstrumentType.UP_DOWN_COUNTER || t === InstrumentType.OBSERVABLE_UP_DOWN_COUNTER
      ? AggregationTemporality.CUMULATIVE : AggregationTemporality.DELTA);
  }
  if (p === 'lowmemory') {
    return (t) => (t === InstrumentType.COUNTER || t === InstrumentType.HISTOGRAM
      ? AggregationTemporality.DELTA : AggregationTemporality.CUMULATIVE);
  }
  return () => AggregationTemporality.CUMULATIVE;
}

class GuardedMetricExporter extends GuardedExporter<ResourceMetrics> implements PushMetricExporter {
  selectAggregationTemporality: (t: Instrument) => Temporality;
  constructor(options: ConstructorParameters<typeof GuardedExporter<ResourceMetrics>>[0], preference: string) {
    super(options);
    this.selectAggregationTemporality = temporalitySelector(preference);
  }
}

function metricPoints(m: ResourceMetrics): number {
  let n = 0;
  for (const s of m.scopeMetrics) for (const metric of s.metrics) n += metric.dataPoints.length;
  return n;
}

export function metricExporters(config: Config, hooks: ExportHooks, temporalityPreference: string): PushMetricExporter[] {
  const out: PushMetricExporter[] = [];
  for (const kind of config.exporters.metrics) {
    if (kind === 'console') {
      const { ConsoleMetricExporter } = otel('@opentelemetry/sdk-metrics');
      out.push(new ConsoleMetricExporter());
    } else if (kind === 'otlp') {
      out.push(new GuardedMetricExporter({
        signal: 'metrics', target: target(config, 'metrics'), create: otlp(config, 'metrics'),
        size: metricPoints, maxWaitingItems: 0, onDrop: (n, why) => hooks.onDrop('metrics', n, why),
        transform: hooks.redactMetrics,
        capture: capturer(config, 'metrics'), retryDelay: retryPolicy(config, 'metrics'),
        retryBudgetMs: retryBudget(Math.min(config.metricExportTimeoutMs, config.metricExportIntervalMs)),
        attemptTimeoutMs: attemptTimeout(config, 'metrics'),
      }, temporalityPreference));
    }
  }
  return out;
}

/**
 * Loads the OTLP exporter packages this config uses in small steps on idle ticks, then creates the
 * exporters, so the first export does no synchronous module loading (docs/safety.md, "No stalls").
 */
export function warmUpExporters(config: Config): void {
  const packages = new Set<string>();
  for (const signal of ['traces', 'metrics', 'logs'] as const) {
    if (config.exporters[signal].includes('otlp')) packages.add(PACKAGES[signal][config.otlp[signal].protocol]);
  }
  if (packages.size === 0) return;
  shareBundledSdk();
  routeExporterBuiltinImports();
  const warming = warmUp([...packages], import.meta.url, () => openExportGate());
  closeExportGate(() => {
    warming.cancel();
    openExportGate(true);
  });
}
