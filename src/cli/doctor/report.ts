// The status snapshot the preload writes to $OBS_DOCTOR_REPORT (contract shared with register.ts/start.ts).
import type { ApiView } from '../../sdk/app-api.js';

export interface DoctorReport {
  obsVersion: string;
  node: string;
  active: boolean;
  disabledReason?: string;
  esmHook: 'registered' | 'failed' | 'skipped';
  entry?: { path: string; moduleSystem: 'esm' | 'cjs' };
  config: Record<string, unknown>;
  exporters: Array<{
    signal: 'traces' | 'metrics' | 'logs';
    exporter: 'otlp' | 'console' | 'prometheus' | 'none';
    protocol?: string;
    endpoint?: string;
  }>;
  instrumentations: Array<{
    name: string;
    package: string;
    modules: string[];
    installedVersion?: string;
    supported?: boolean;
    enabled: boolean;
    patched: boolean;
    loadedBeforePreload: boolean;
  }>;
  warnings: string[];
  /** TCP addresses the app listens on, in listen order (empty until it listens). */
  listening: Array<{ host: string; port: number; tls?: boolean }>;
  /** The API copy our globals went through, and what each of the app's copies hands it (probed at report time). */
  api?: { registrar: { dir: string; version: string }; app: ApiView[] };
}

/** Accepts only what looks like a report, so a half-written or foreign file reads as "no report". */
export function parseReport(text: string): DoctorReport | undefined {
  try {
    const value = JSON.parse(text) as Partial<DoctorReport>;
    if (typeof value !== 'object' || value === null || typeof value.active !== 'boolean') return undefined;
    return {
      obsVersion: String(value.obsVersion ?? 'unknown'),
      node: String(value.node ?? ''),
      active: value.active,
      disabledReason: value.disabledReason,
      esmHook: value.esmHook ?? 'skipped',
      entry: value.entry,
      config: value.config ?? {},
      exporters: Array.isArray(value.exporters) ? value.exporters : [],
      instrumentations: Array.isArray(value.instrumentations) ? value.instrumentations : [],
      warnings: Array.isArray(value.warnings) ? value.warnings : [],
      listening: Array.isArray(value.listening) ? value.listening : [],
      api: value.api && Array.isArray(value.api.app) ? value.api : undefined,
    };
  } catch {
    return undefined;
  }
}
