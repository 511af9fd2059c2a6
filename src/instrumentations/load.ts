// Builds the selected instrumentations (each one's package loads only now), records in the status what
// each did, and later hands them the providers. A failing instrumentation is reported and skipped.
import { createRequire } from 'node:module';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { TracerProvider } from '@opentelemetry/sdk-trace';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { Config } from '../config/config.js';
import type { Selection } from './index.js';
import type { InstrumentationContext } from './types.js';
import { installedVersion } from '../host/installed-packages.js';
import type { InstrumentationStatus, ObsStatus } from '../lifecycle/obs-state.js';
import { errorLine, log } from '../log.js';
import { cellMeterProvider } from '../sdk/metric-cells/cell-meter.js';

const require = createRequire(import.meta.url);

export interface LoadedInstrumentations {
  /** Hands every instrumentation the providers it emits through. */
  attach(providers: { tracerProvider?: TracerProvider; meterProvider?: MeterProvider; loggerProvider?: LoggerProvider }): void;
  /** Unpatches what can be unpatched; one that cannot does not stop the others. */
  disable(): void;
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

function warn(status: ObsStatus, msg: string): void {
  log.warn(msg);
  status.warnings.push(msg);
}

/**
 * Built with the stability opt-in in the environment they read it from, which is then restored so the
 * app's own environment is left as it was.
 */
/** `contextManager`: handed to instrumentations that start a request's context from a channel when it can (ours has enterWith). */
export function loadInstrumentations(
  config: Config, selection: Selection, dirs: readonly string[], status: ObsStatus, contextManager?: Partial<NonNullable<InstrumentationContext['contextEntry']>>,
): LoadedInstrumentations {
  for (const w of selection.warnings) warn(status, w);
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
        warn(status, `${spec.modules.join('/')} was loaded before @org/obs; it stays uninstrumented. Start with node --import @org/obs/register (not a later import)`);
      }
      try {
        const created = spec.create({ config, contextEntry: contextManager?.enterWith ? (contextManager as NonNullable<InstrumentationContext['contextEntry']>) : undefined });
        const list = Array.isArray(created) ? created : [created];
        instances.push(...list);
        row.enabled = true;
        (status.patchProbes ??= {})[spec.name] = () => list.some(isPatched);
      } catch (err) {
        row.error = errorLine(err);
        log.warn(`instrumentation ${spec.name} could not be loaded (${errorLine(err)}); the rest runs`);
      }
    }
  } finally {
    if (savedOptIn === undefined) delete process.env.OTEL_SEMCONV_STABILITY_OPT_IN;
    else process.env.OTEL_SEMCONV_STABILITY_OPT_IN = savedOptIn;
  }
  return {
    attach: ({ tracerProvider, meterProvider, loggerProvider }) => {
      // Their synchronous instruments record into metric cells (sdk/metric-cells/cell-meter.ts).
      const meters = meterProvider && cellMeterProvider(meterProvider);
      for (const inst of instances) {
        if (tracerProvider) inst.setTracerProvider(tracerProvider);
        if (meters) inst.setMeterProvider(meters);
        if (loggerProvider) (inst as { setLoggerProvider?: (p: LoggerProvider) => void }).setLoggerProvider?.(loggerProvider);
      }
    },
    disable: () => {
      for (const inst of instances) {
        try {
          inst.disable();
        } catch {
          // an instrumentation that cannot unpatch must not stop the others from flushing
        }
      }
    },
  };
}
