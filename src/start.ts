// Builds resource, providers, exporters and instrumentations from a Config, and registers them
// globally. Idempotent per process; any failure is reported in one line and leaves the app alone.
import { createRequire } from 'node:module';
import type { DiagLogger } from '@opentelemetry/api';
import type { TracerProvider, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import type { LoggerProvider, LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { Config } from './config.js';
import { describe, enabled, log, setLogLevel, setLogScrubber } from './diag.js';
import { buildResource } from './resource.js';
import { buildSampler } from './sampler.js';
import { buildPropagator } from './propagators.js';
import { logExporters, metricExporters, spanExporters, warmUpExporters, type ExportHooks } from './export/exporters.js';
import { createRedactor } from './redact/redactor.js';
import { countLogQueueDrops, countSpanQueueDrops } from './export/queue-drops.js';
import { releaseExportSockets } from './export/own-sockets.js';
import { guardLogEmit } from './export/log-depth.js';
import { startPrometheusEndpoint, type PrometheusEndpoint } from './prometheus/endpoint.js';
import { selectInstrumentations, type Selection } from './instrumentations/index.js';
import { installedVersion } from './installed.js';
import { appDir, appPackage } from './app-package.js';
import { getState, setState, writeReport, type InstrumentationStatus, type ObsStatus } from './status.js';
import { maskedConfig } from './masked-config.js';
import { installShutdown } from './shutdown.js';
import { installCrashCapture } from './crash.js';
import { installExitFlush } from './exit-flush.js';
import { flushExports } from './export/guarded-exporter.js';
import { startSignals } from './signals.js';
import { OBS_VERSION } from './version.js';
import { appApiCopies, blindCopyMessage, ownApiCopy, probeApiCopy, registrarCopy, type ApiModule } from './sdk/app-api.js';
import { registerGlobals } from './sdk/globals.js';
import { pinOlderApiCopies } from './sdk/api-resolution.js';
import { watchListening } from './listening.js';
import { announceOnTty } from './startup-line.js';
import { ObsContextManager } from './sdk/context-manager.js';

// OpenTelemetry's packages are CommonJS: require() loads them without the ESM loader's per-module
// export scanning, which measured about twice as slow on the start-up path.
const require = createRequire(import.meta.url);
const { DiagLogLevel } = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
const { setGlobalErrorHandler } = require('@opentelemetry/core') as typeof import('@opentelemetry/core');
const { TracerProvider: TracerProviderImpl, BatchSpanProcessor } = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
const { MeterProvider: MeterProviderImpl, PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
const { BatchLogRecordProcessor, LoggerProvider: LoggerProviderImpl } = require('@opentelemetry/sdk-logs') as typeof import('@opentelemetry/sdk-logs');

export interface Started {
  readonly tracerProvider?: TracerProvider;
  readonly meterProvider?: MeterProvider;
  readonly loggerProvider?: LoggerProvider;
  readonly prometheus?: PrometheusEndpoint;
  readonly status: ObsStatus;
  shutdown(): Promise<void>;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v)?.slice(0, 300) ?? String(v);
  } catch {
    return String(v);
  }
}

const DUPLICATE_REGISTRATION = /Attempted duplicate registration of API: (\w+)/;

/** An app that starts its own SDK besides the preload: ours stays (see docs/signals.md, "One SDK per process"). */
function secondSdkMessage(api: string): string {
  return `the app registered its own OpenTelemetry ${api} global after @org/obs; ours stays and the app's is ignored `
    + '(one SDK per process): remove the SDK start from the app, or run it without --import @org/obs/register';
}

/**
 * OTel's own diagnostics go through our single stderr voice; its info chatter stays out at the default
 * level. Registered through the registrar copy: the first global registered stamps its API version.
 */
function routeDiag(api: ApiModule): void {
  // The SDK passes details as extra arguments; keep them, on one line.
  const line = (m: string, args: unknown[]): string =>
    [m, ...args.map((a) => (a instanceof Error ? describe(a) : typeof a === 'string' ? a : safeJson(a)))].join(' ');
  const logger: DiagLogger = {
    error: (m, ...a) => {
      const duplicate = DUPLICATE_REGISTRATION.exec(m);
      if (duplicate) log.warn(secondSdkMessage(duplicate[1]));
      else log.error(line(m, a));
    },
    warn: (m, ...a) => log.warn(line(m, a)),
    info: (m, ...a) => log.debug(line(m, a)),
    debug: (m, ...a) => log.debug(line(m, a)),
    verbose: (m, ...a) => log.debug(line(m, a)),
  };
  api.diag.setLogger(logger, { logLevel: enabled('debug') ? DiagLogLevel.DEBUG : DiagLogLevel.WARN, suppressOverrideMessage: true });
  // The SDK's default handler prints whole JSON-encoded errors; ours says one rate-limited line.
  setGlobalErrorHandler((err) => log.warn(describe(err)));
}

/** Modules already in the CommonJS cache were loaded before we could patch them. */
function loadedEarly(modules: readonly string[]): boolean {
  const keys = Object.keys(require.cache);
  return modules.some((m) => keys.some((k) => k.includes(`/node_modules/${m}/`)));
}

/**
 * Whether the instrumentation has patched a module yet. InstrumentationBase keeps its module
 * definitions in `_modules` and records each patched module's exports there; the public
 * getModuleDefinitions() builds fresh definitions, so it cannot tell. Instrumentations built on
 * diagnostics channels (undici, fastify, runtime) have none and count as patched once enabled.
 */
function isPatched(inst: Instrumentation): boolean {
  const defs = (inst as unknown as { _modules?: { moduleExports?: unknown }[] })._modules;
  if (!Array.isArray(defs) || defs.length === 0) return true;
  return defs.some((d) => d.moduleExports !== undefined);
}

function moduleSystem(entry: string): 'esm' | 'cjs' {
  if (entry.endsWith('.mjs') || entry.endsWith('.mts')) return 'esm';
  if (entry.endsWith('.cjs') || entry.endsWith('.cts')) return 'cjs';
  return appPackage().type === 'module' ? 'esm' : 'cjs';
}

export function start(config: Config, warnings: readonly string[], esmHook: ObsStatus['esmHook'], preselected?: Selection): Started | undefined {
  const existing = getState();
  if (existing) {
    log.debug('already started in this process; ignoring the second load');
    return undefined;
  }
  setLogLevel(config.logLevel);
  // Our stderr lines carry endpoints, error texts and SDK diagnostics: the same rules as exported data.
  const redactor = createRedactor({ extraSecretKeys: config.redactKeys, keepQueryKeys: config.keepQueryKeys, dbStatement: config.dbStatement });
  setLogScrubber((line) => redactor.text(line));
  for (const w of warnings) log.warn(w);

  const entry = process.argv[1];
  const status: ObsStatus = {
    obsVersion: OBS_VERSION,
    node: process.version,
    active: false,
    esmHook,
    entry: entry ? { path: entry, moduleSystem: moduleSystem(entry) } : undefined,
    config: maskedConfig(config),
    exporters: [],
    instrumentations: [],
    warnings: [...warnings],
    patchProbes: {},
  };
  setState({ status });
  if (config.disabled) {
    status.disabledReason = 'OTEL_SDK_DISABLED';
    log.debug('OTEL_SDK_DISABLED is set: nothing is patched, nothing is sent');
    if (config.doctorReport) writeReport(config.doctorReport, status);
    return undefined;
  }

  const dirs = [appDir(), process.cwd()];
  const ownApi = ownApiCopy();
  const appApis = appApiCopies(dirs);
  const registrar = registrarCopy(ownApi, appApis);
  if (appApis.some((c) => c.dir !== ownApi.dir)) pinOlderApiCopies(ownApi.dir, ownApi.version);
  const api = registrar.load();
  routeDiag(api);
  const resource = redactor.resource(buildResource(config));

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

  // Traces
  let tracerProvider: TracerProvider | undefined;
  const spanProcessors: SpanProcessor[] = spanExporters(config, hooks).map((exp) => countSpanQueueDrops(new BatchSpanProcessor({
    exporter: exp,
    maxQueueSize: config.bsp.maxQueueSize,
    maxExportBatchSize: config.bsp.maxExportBatchSize,
    scheduledDelayMillis: config.bsp.scheduleDelayMs,
    exportTimeoutMillis: config.bsp.exportTimeoutMs,
  }), (n) => hooks.onDrop('traces', n, 'queue_full')));
  if (spanProcessors.length > 0) {
    tracerProvider = new TracerProviderImpl({ resource, sampler: buildSampler(config.sampler), spanProcessors });
  }

  // Metrics
  let meterProvider: MeterProvider | undefined;
  let prometheus: PrometheusEndpoint | undefined;
  const readers: MetricReader[] = metricExporters(config, hooks, config.metricsTemporality).map((exporter) => new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: config.metricExportIntervalMs,
    exportTimeoutMillis: Math.min(config.metricExportTimeoutMs, config.metricExportIntervalMs),
  }));
  if (config.exporters.metrics.includes('prometheus')) {
    prometheus = startPrometheusEndpoint(config.prometheus.host, config.prometheus.port, redactor.metrics);
    readers.push(prometheus.reader);
  }
  if (readers.length > 0) {
    meterProvider = new MeterProviderImpl({ resource, readers });
    droppedCounter = meterProvider.getMeter('@org/obs').createCounter('obs.telemetry.dropped', {
      description: 'Telemetry items the preload dropped (queue full, export failed, shutdown).',
      unit: '{item}',
    });
  }

  // Logs
  let loggerProvider: LoggerProvider | undefined;
  const logProcessors: LogRecordProcessor[] = logExporters(config, hooks).map((exporter) => countLogQueueDrops(new BatchLogRecordProcessor({
    exporter,
    maxQueueSize: config.blrp.maxQueueSize,
    maxExportBatchSize: config.blrp.maxExportBatchSize,
    scheduledDelayMillis: config.blrp.scheduleDelayMs,
    exportTimeoutMillis: config.blrp.exportTimeoutMs,
  }), (n) => hooks.onDrop('logs', n, 'queue_full')));
  if (logProcessors.length > 0) {
    loggerProvider = new LoggerProviderImpl({ resource, processors: [redactor.logProcessor, ...logProcessors] });
    guardLogEmit(loggerProvider);
  }

  for (const signal of ['traces', 'metrics', 'logs'] as const) {
    for (const kind of config.exporters[signal]) {
      status.exporters.push(kind === 'otlp'
        ? { signal, exporter: kind, protocol: config.otlp[signal].protocol, endpoint: redactor.text(config.otlp[signal].endpoint) }
        : kind === 'prometheus'
          ? { signal, exporter: kind, endpoint: `http://${config.prometheus.host}:${config.prometheus.port}/metrics` }
          : { signal, exporter: kind });
    }
  }

  // One ALS store that is the OTel context, no per-request emitter binding (sdk/context-manager.ts);
  // OBS_HTTP_SERVER=otel keeps upstream's server side, and with it upstream's manager.
  const obsContext = config.httpServer === 'obs' ? new ObsContextManager().enable() : undefined;
  // Every global in one block, through the newest API copy in the process (see sdk/app-api.ts).
  const registered = registerGlobals(api, {
    contextManager: obsContext ?? new AsyncLocalStorageContextManager().enable(),
    propagator: buildPropagator(config.propagators),
    tracerProvider,
    meterProvider,
    loggerProvider,
  });
  if (registered.refused.length > 0) {
    // Nothing of ours may outlive the failure: an open exporter or metrics port would hold the app.
    void Promise.allSettled([tracerProvider?.shutdown(), meterProvider?.shutdown(), loggerProvider?.shutdown(), prometheus?.close()]);
    throw new Error(`another OpenTelemetry SDK registered its ${registered.refused.join(', ')} first`);
  }
  status.api = { registrar: { dir: registrar.dir, version: registrar.version }, app: [] };
  const ours = { tracing: tracerProvider !== undefined, meterProvider, loggerProvider };
  status.apiProbe = () => appApis.map((copy) => probeApiCopy(copy, ownApi.load(), ours));
  // Off the start-up path: loading the app's copy costs a module load the app pays for itself later.
  setTimeout(() => {
    try {
      for (const view of status.apiProbe?.() ?? []) {
        const msg = blindCopyMessage(view, registrar);
        if (msg) {
          log.warn(msg);
          status.warnings.push(msg);
        }
      }
    } catch (err) {
      log.debug(`could not probe the app's @opentelemetry/api (${describe(err)})`);
    }
  }, 200).unref();

  // Instrumentations: built with the stability opt-in in the environment they read it from, which is
  // then restored so the app's own environment is left as it was.
  const selection = preselected ?? selectInstrumentations(config, dirs);
  for (const w of selection.warnings) {
    log.warn(w);
    status.warnings.push(w);
  }
  const savedOptIn = process.env.OTEL_SEMCONV_STABILITY_OPT_IN;
  process.env.OTEL_SEMCONV_STABILITY_OPT_IN = config.semconvOptIn;
  const instances: Instrumentation[] = [];
  try {
    for (const spec of selection.specs) {
      const row: InstrumentationStatus = {
        name: spec.name,
        package: spec.package,
        modules: [...spec.modules],
        installedVersion: spec.modules.map((m) => installedVersion(m, dirs)).find((v) => v !== undefined),
        enabled: false,
        patched: false,
        loadedBeforePreload: loadedEarly(spec.modules),
      };
      status.instrumentations.push(row);
      if (row.loadedBeforePreload) {
        const msg = `${spec.modules.join('/')} was loaded before @org/obs; it stays uninstrumented. Start with node --import @org/obs/register (not a later import)`;
        log.warn(msg);
        status.warnings.push(msg);
      }
      try {
        const created = spec.create({ config, contextEntry: obsContext });
        const list = Array.isArray(created) ? created : [created];
        instances.push(...list);
        row.enabled = true;
        status.patchProbes![spec.name] = () => list.some(isPatched);
      } catch (err) {
        row.error = describe(err);
        log.warn(`instrumentation ${spec.name} could not be loaded (${describe(err)}); the rest runs`);
      }
    }
  } finally {
    if (savedOptIn === undefined) delete process.env.OTEL_SEMCONV_STABILITY_OPT_IN;
    else process.env.OTEL_SEMCONV_STABILITY_OPT_IN = savedOptIn;
  }
  for (const inst of instances) {
    if (tracerProvider) inst.setTracerProvider(tracerProvider);
    if (meterProvider) inst.setMeterProvider(meterProvider);
    if (loggerProvider) (inst as { setLoggerProvider?: (p: LoggerProvider) => void }).setLoggerProvider?.(loggerProvider);
  }
  status.active = true;
  // Health probes (on the Prometheus port and/or OBS_HEALTH_PORT) and the console bridge.
  const signals = startSignals(config, { prometheus, logs: loggerProvider !== undefined });

  const shutdown = async (): Promise<void> => {
    signals.close();
    for (const inst of instances) {
      try {
        inst.disable();
      } catch {
        // an instrumentation that cannot unpatch must not stop the others from flushing
      }
    }
    await Promise.allSettled([tracerProvider?.shutdown(), meterProvider?.shutdown(), loggerProvider?.shutdown(), prometheus?.close()]);
  };
  const flush = async (): Promise<void> => {
    await Promise.allSettled([tracerProvider?.forceFlush(), meterProvider?.forceFlush(), loggerProvider?.forceFlush()]);
    // Our exporters acknowledge batches on receipt: the flush is done when they have delivered them.
    await flushExports();
  };
  installShutdown({ flush, shutdown, timeoutMs: config.shutdownTimeoutMs });
  warmUpExporters(config);
  installExitFlush({ processors: [...spanProcessors, ...logProcessors], timeoutMs: config.shutdownTimeoutMs });
  installCrashCapture({ config, resource, tracerProvider, meterProvider, loggerProvider, redactAttributes: redactor.attributes, redactText: redactor.text });
  setState({ status, shutdown });
  announceOnTty(status, String(resource.attributes['service.name'] ?? 'unknown_service'));

  if (config.doctorReport) {
    const path = config.doctorReport;
    // The doctor sends its proof request once the app listens: each listen is reported at once.
    const listening = watchListening(() => {
      status.listening = listening.addresses();
      writeReport(path, status);
    });
    status.listening = [];
    setTimeout(() => writeReport(path, status), 1000).unref();
    process.once('exit', () => writeReport(path, status));
  }
  return { tracerProvider, meterProvider, loggerProvider, prometheus, status, shutdown };
}
