// Public API: what the preload started, and a way to flush and stop it. No side effects on import.
import { getState, snapshot, type ObsStatus } from './lifecycle/obs-state.js';

export type { Config, ConfigResult, Signal, OtlpProtocol, DbStatementMode } from './config/config.js';
export { readConfig } from './config/config.js';

/** The preload's status in this process, or undefined when it is not loaded. */
export function status(): Omit<ObsStatus, 'patchProbes' | 'apiProbe'> | undefined {
  const state = getState();
  return state ? snapshot(state.status) : undefined;
}

/** Flushes and stops all telemetry (for apps that manage their own exit). */
export async function shutdown(): Promise<void> {
  await getState()?.shutdown?.();
}
