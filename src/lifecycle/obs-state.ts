// What the preload did, kept on a process-wide symbol so a second copy, `obs doctor` and tests can
// see it; written to OBS_DOCTOR_REPORT when asked.
import { renameSync, writeFileSync } from 'node:fs';
import type { ApiView } from '../sdk/app-api.js';
import type { ListenAddress } from '../admin/app-listening.js';

export const STATE_KEY = Symbol.for('@org/obs');

export interface InstrumentationStatus {
  name: string;
  package: string;
  modules: string[];
  installedVersion?: string;
  enabled: boolean;
  patched: boolean;
  loadedBeforePreload: boolean;
  error?: string;
}

export interface ExporterStatus {
  signal: 'traces' | 'metrics' | 'logs';
  /** 'otlp', 'console', 'prometheus' or 'none' (OTEL_*_EXPORTER). */
  exporter: string;
  protocol?: string;
  endpoint?: string;
}

export interface ObsStatus {
  obsVersion: string;
  node: string;
  active: boolean;
  disabledReason?: string;
  esmHook: 'registered' | 'failed' | 'skipped';
  entry?: { path: string; moduleSystem: 'esm' | 'cjs' };
  config: Record<string, unknown>;
  exporters: ExporterStatus[];
  instrumentations: InstrumentationStatus[];
  warnings: string[];
  /** The @opentelemetry/api copy our globals went through, and what each copy the app resolves hands it. */
  /** TCP addresses the app's own servers listen on (recorded for `obs doctor` only), in listen order. */
  listening?: ListenAddress[];
  api?: { registrar: { dir: string; version: string }; app: ApiView[] };
  /** Probes of the patch state, run when a report is written (modules load after the preload). */
  patchProbes?: Record<string, () => boolean>;
  /** Probes of the app's API copies, run likewise. */
  apiProbe?: () => ApiView[];
}

export interface ObsState {
  status: ObsStatus;
  shutdown?: () => Promise<void>;
}

export function getState(): ObsState | undefined {
  return (globalThis as Record<symbol, ObsState | undefined>)[STATE_KEY];
}

export function setState(state: ObsState): void {
  Object.defineProperty(globalThis, STATE_KEY, { value: state, enumerable: false, configurable: true, writable: true });
}

/** A serializable snapshot, with patch states evaluated now. */
export function snapshot(status: ObsStatus): Omit<ObsStatus, 'patchProbes' | 'apiProbe'> {
  const { patchProbes, apiProbe, ...rest } = status;
  if (apiProbe && rest.api) {
    try {
      rest.api.app = apiProbe();
    } catch {
      rest.api.app = [];
    }
  }
  for (const i of rest.instrumentations) {
    const probe = patchProbes?.[i.name];
    if (probe) {
      try {
        i.patched = probe();
      } catch {
        i.patched = false;
      }
    }
  }
  return rest;
}

export function writeReport(path: string, status: ObsStatus): void {
  try {
    // Written aside and renamed: the doctor polls this file and must never read half of it.
    const aside = `${path}.${process.pid}.tmp`;
    writeFileSync(aside, JSON.stringify(snapshot(status), null, 2));
    renameSync(aside, path);
  } catch {
    // doctor will say the report is missing; never disturb the app for it
  }
}

