// The composition root: builds every part from a Config (providers, instrumentations, admin sockets,
// app signals), registers all OTel globals in one block, then installs the lifecycle. Idempotent per
// process; on any error what was built is shut down, one line says why, and the app runs untouched.
import type { TracerProvider } from '@opentelemetry/sdk-trace';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { Resource } from '@opentelemetry/resources';
import type { Config } from './config/config.js';
import { maskedConfig } from './config/masked-config.js';
import { errorLine, log, setLogLevel, setLogScrubber } from './log.js';
import { createRedactor, type Redactor } from './redact/redactor.js';
import { appDir, appPackage } from './host/app-package.js';
import { moduleSystemOf } from './host/module-system.js';
import { OBS_VERSION } from './host/obs-version.js';
import { resolveApiCopies, watchApiCopies } from './sdk/api-copies.js';
import { bridgeOtelDiag } from './sdk/diag-bridge.js';
import { buildResource } from './sdk/resource.js';
import { buildProviders, type Providers } from './sdk/providers.js';
import { buildPropagator } from './sdk/propagators.js';
import { createContextManager, registerGlobals } from './sdk/globals.js';
import { withCells } from './sdk/metric-cells/producer.js';
import { exporterRows } from './export/exporter-rows.js';
import { warmUpExporters } from './export/exporters.js';
import { selectInstrumentations, type Selection } from './instrumentations/index.js';
import { loadInstrumentations } from './instrumentations/load.js';
import { installConsoleBridge } from './app-signals/console-bridge.js';
import { startPrometheusEndpoint, type PrometheusEndpoint } from './admin/prometheus/endpoint.js';
import { startAdmin } from './admin/start-admin.js';
import { installCrashCapture } from './crash/uncaught.js';
import { installExitFlush } from './crash/exit-flush.js';
import { installShutdown } from './lifecycle/shutdown.js';
import { getState, setState, writeReport, type ObsStatus } from './lifecycle/obs-state.js';
import { writeDoctorReports } from './lifecycle/doctor-report.js';
import { announceOnTty } from './lifecycle/startup-line.js';

export interface Started {
  readonly tracerProvider?: TracerProvider;
  readonly meterProvider?: MeterProvider;
  readonly loggerProvider?: LoggerProvider;
  readonly prometheus?: PrometheusEndpoint;
  readonly status: ObsStatus;
  shutdown(): Promise<void>;
}

export function start(config: Config, warnings: readonly string[], esmHook: ObsStatus['esmHook'], preselected?: Selection): Started | undefined {
  if (getState()) {
    log.debug('already started in this process; ignoring the second load');
    return undefined;
  }
  const redactor = openVoice(config, warnings);
  const status = newStatus(config, warnings, esmHook);
  setState({ status });
  if (config.disabled) return startDisabled(config, status);
  const built: { shutdown(): unknown }[] = [];
  try {
    const dirs = [appDir(), process.cwd()];
    const copies = resolveApiCopies(dirs);
    const diag = bridgeOtelDiag(copies.api);
    const resource = redactor.resource(buildResource(config));
    const prometheus = config.exporters.metrics.includes('prometheus')
      ? startPrometheusEndpoint(config.prometheus.host, config.prometheus.port, redactor.metrics, withCells) : undefined;
    if (prometheus) built.push({ shutdown: () => prometheus.close() });
    const providers = buildProviders(config, resource, redactor, prometheus ? [prometheus.reader] : []);
    built.push(providers);
    status.exporters.push(...exporterRows(config, redactor.text));

    // Every global in one block, through the newest API copy in the process (see sdk/app-api.ts).
    const contextManager = createContextManager(config.httpServer);
    const registered = registerGlobals(copies.api, { contextManager, propagator: buildPropagator(config.propagators), ...providers });
    if (registered.refused.length > 0) throw new Error(`another OpenTelemetry SDK registered its ${registered.refused.join(', ')} first`);
    built.push({ shutdown: () => registered.unregister() });
    diag.oursRegistered();
    watchApiCopies(copies, { tracing: providers.tracerProvider !== undefined, ...providers }, status);

    // Instrumentations patch modules as they are built: only once the globals are ours.
    const instrumentations = loadInstrumentations(config, preselected ?? selectInstrumentations(config, dirs), dirs, status, contextManager);
    built.push({ shutdown: () => instrumentations.disable() });
    instrumentations.attach(providers);
    status.active = true;
    const admin = startAdmin(config, prometheus);
    const closeConsoleBridge = config.signals.consoleCapture && providers.loggerProvider ? installConsoleBridge() : undefined;
    const shutdown = async (): Promise<void> => {
      admin.close();
      closeConsoleBridge?.();
      instrumentations.disable();
      await Promise.allSettled([providers.shutdown(), prometheus?.close()]);
    };
    installLifecycle(config, status, { providers, resource, redactor, shutdown });
    return { ...providers, prometheus, status, shutdown };
  } catch (err) {
    // Nothing of ours may outlive the failure: an open exporter or metrics port would hold the app.
    // Undone in reverse: instrumentations unpatched, globals unregistered, then the providers and port closed.
    void Promise.allSettled(built.reverse().map(async (part) => part.shutdown()));
    status.active = false;
    log.error(`failed to start (${errorLine(err)}); the app runs uninstrumented`);
    return { status, shutdown: async () => undefined };
  }
}

/** Our stderr lines carry endpoints, error texts and SDK diagnostics: the same rules as exported data. */
function openVoice(config: Config, warnings: readonly string[]): Redactor {
  setLogLevel(config.logLevel);
  const redactor = createRedactor({ extraSecretKeys: config.redactKeys, keepQueryKeys: config.keepQueryKeys, dbStatement: config.dbStatement, urlPath: config.urlPath });
  setLogScrubber((line) => redactor.text(line));
  for (const w of warnings) log.warn(w);
  return redactor;
}

function newStatus(config: Config, warnings: readonly string[], esmHook: ObsStatus['esmHook']): ObsStatus {
  const entry = process.argv[1];
  return {
    obsVersion: OBS_VERSION,
    node: process.version,
    active: false,
    esmHook,
    entry: entry ? { path: entry, moduleSystem: moduleSystemOf(entry, appPackage().type) } : undefined,
    config: maskedConfig(config),
    exporters: [],
    instrumentations: [],
    warnings: [...warnings],
    patchProbes: {},
  };
}

function startDisabled(config: Config, status: ObsStatus): undefined {
  status.disabledReason = 'OTEL_SDK_DISABLED';
  log.debug('OTEL_SDK_DISABLED is set: nothing is patched, nothing is sent');
  if (config.doctorReport) writeReport(config.doctorReport, status);
  return undefined;
}

interface Parts {
  readonly providers: Providers;
  readonly resource: Resource;
  readonly redactor: Redactor;
  shutdown(): Promise<void>;
}

/** Signals, exit paths and crash capture: from here on the process's way out flushes our telemetry. */
function installLifecycle(config: Config, status: ObsStatus, { providers, resource, redactor, shutdown }: Parts): void {
  installShutdown({ ...providers, shutdown, timeoutMs: config.shutdownTimeoutMs });
  warmUpExporters(config);
  installExitFlush({ processors: providers.processors, timeoutMs: config.shutdownTimeoutMs });
  installCrashCapture({ ...providers, config, resource, redactAttributes: redactor.attributes, redactText: redactor.text });
  setState({ status, shutdown });
  announceOnTty(status, String(resource.attributes['service.name'] ?? 'unknown_service'));
  if (config.doctorReport) writeDoctorReports(config.doctorReport, status);
}
