// Builds the selected instrumentations (each one's package loads only then: Node's now, a library's at
// its first load), records in the status what each did, and hands them the providers. A failing
// instrumentation is reported and skipped.
import { createRequire } from 'node:module';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { TracerProvider } from '@opentelemetry/sdk-trace';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { Config } from '../config/config.js';
import type { Selection } from './index.js';
import { installedVersion } from '../host/installed-packages.js';
import type { InstrumentationStatus, ObsStatus } from '../lifecycle/obs-state.js';
import { errorLine, log } from '../log.js';
import { cellMeterProvider } from '../sdk/metric-cells/cell-meter.js';
import { otel } from '../sdk/otel.js';
import { buildOnFirstLoad } from './build-on-load.js';
import type { InstrumentationContext, InstrumentationSpec } from './types.js';

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

/** Runs `fn` with the stability opt-in in the environment instrumentations read it from, then restores the app's. */
function withOptIn<T>(config: Config, fn: () => T): T {
  const saved = process.env.OTEL_SEMCONV_STABILITY_OPT_IN;
  process.env.OTEL_SEMCONV_STABILITY_OPT_IN = config.semconvOptIn;
  try {
    return fn();
  } finally {
    if (saved === undefined) delete process.env.OTEL_SEMCONV_STABILITY_OPT_IN;
    else process.env.OTEL_SEMCONV_STABILITY_OPT_IN = saved;
  }
}

/**
 * Instrumentations of Node itself are built now; a library's when the app first resolves a module it
 * patches (build-on-load.ts), so a start pays for the libraries the app uses, not for all installed.
 * `contextManager`: handed to instrumentations that start a request's context from a channel when it
 * can (ours has enterWith).
 */
export function loadInstrumentations(
  config: Config, selection: Selection, dirs: readonly string[], status: ObsStatus, contextManager?: Partial<NonNullable<InstrumentationContext['contextEntry']>>,
): LoadedInstrumentations {
  for (const w of selection.warnings) warn(status, w);
  const instances: Instrumentation[] = [];
  let attached: ((list: readonly Instrumentation[]) => void) | undefined;
  const ctx: InstrumentationContext = { config, contextEntry: contextManager?.enterWith ? (contextManager as NonNullable<InstrumentationContext['contextEntry']>) : undefined };
  const build = (spec: InstrumentationSpec, row: InstrumentationStatus): void => {
    try {
      const created = withOptIn(config, () => spec.create(ctx));
      const list = Array.isArray(created) ? created : [created];
      instances.push(...list);
      (status.patchProbes ??= {})[spec.name] = () => list.some(isPatched);
      attached?.(list);
    } catch (err) {
      row.enabled = false;
      row.error = errorLine(err);
      log.warn(`instrumentation ${spec.name} could not be loaded (${errorLine(err)}); the rest runs`);
    }
  };
  const later = new Map<string, { spec: InstrumentationSpec; row: InstrumentationStatus }>();
  for (const spec of selection.specs) {
    const row: InstrumentationStatus = {
      name: spec.name,
      package: spec.package,
      modules: [...spec.modules],
      installedVersion: spec.modules.map((m) => installedVersion(m, dirs)).find((v) => v !== undefined),
      enabled: true,
      patched: false,
      loadedBeforePreload: loadedEarly(spec.modules),
    };
    status.instrumentations.push(row);
    if (row.loadedBeforePreload) {
      warn(status, `${spec.modules.join('/')} was loaded before @org/obs; it stays uninstrumented. Start with node --import @org/obs/register (not a later import)`);
    }
    if (spec.modules.length === 0) build(spec, row);
    else later.set(spec.name, { spec, row });
  }
  // The first module of a library may only be built for while require-in-the-middle's hook already
  // wraps require() (it is installed by the first InstrumentationBase built, and a hook installed
  // during a require would miss that require): without one built now, all are built now, as before.
  const { InstrumentationBase } = otel('@opentelemetry/instrumentation');
  const canWait = instances.some((i) => i instanceof InstrumentationBase);
  const trigger = canWait && later.size > 0
    ? buildOnFirstLoad(new Map([...later].map(([name, { spec }]) => [name, spec.modules])), (name) => {
      const entry = later.get(name);
      if (entry) build(entry.spec, entry.row);
    })
    : undefined;
  if (!trigger) for (const { spec, row } of later.values()) build(spec, row);
  return {
    attach: ({ tracerProvider, meterProvider, loggerProvider }) => {
      // Their synchronous instruments record into metric cells (sdk/metric-cells/cell-meter.ts).
      const meters = meterProvider && cellMeterProvider(meterProvider);
      attached = (list) => {
        for (const inst of list) {
          if (tracerProvider) inst.setTracerProvider(tracerProvider);
          if (meters) inst.setMeterProvider(meters);
          if (loggerProvider) (inst as { setLoggerProvider?: (p: LoggerProvider) => void }).setLoggerProvider?.(loggerProvider);
        }
      };
      attached(instances);
    },
    disable: () => {
      trigger?.stop();
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
