// The status snapshot the preload writes to $OBS_DOCTOR_REPORT (contract shared with register.ts/start.ts).
import type { InstrumentationStatus, ObsStatus } from '../../lifecycle/obs-state.js';
import type { ListenAddress } from '../../admin/app-listening.js';

/**
 * The status the preload writes (ObsStatus as snapshot() serializes it, src/lifecycle/obs-state.ts);
 * `listening` is always there once parsed, and the doctor adds whether each version is supported.
 */
export interface DoctorReport extends Omit<ObsStatus, 'patchProbes' | 'apiProbe' | 'listening' | 'instrumentations'> {
  instrumentations: Array<InstrumentationStatus & { supported?: boolean }>;
  /** TCP addresses the app listens on, in listen order (empty until it listens). */
  listening: ListenAddress[];
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
