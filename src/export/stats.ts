// Live counters of each guarded exporter, on a process-wide symbol so tests, `obs doctor` and a
// debugging user can see queue depths, drops and retries without a metric pipeline that works.
export interface ExportStats {
  readonly signal: string;
  inFlight: number;
  /** Highest number of exports in flight at once, ever (the guard keeps it at 1). */
  maxInFlight: number;
  waitingItems: number;
  /** Batches waiting behind the export in flight (metrics: at most one collection). */
  waitingBatches: number;
  readonly maxWaitingItems: number;
  exports: number;
  failures: number;
  retries: number;
  dropped: Record<string, number>;
}

export const EXPORT_STATS_KEY = Symbol.for('@org/obs.export-stats');

function registry(): ExportStats[] {
  const g = globalThis as Record<symbol, ExportStats[] | undefined>;
  let list = g[EXPORT_STATS_KEY];
  if (!list) {
    list = [];
    Object.defineProperty(globalThis, EXPORT_STATS_KEY, { value: list, enumerable: false });
  }
  return list;
}

export function registerStats(signal: string, maxWaitingItems: number): ExportStats {
  const stats: ExportStats = { signal, inFlight: 0, maxInFlight: 0, waitingItems: 0, waitingBatches: 0, maxWaitingItems, exports: 0, failures: 0, retries: 0, dropped: {} };
  registry().push(stats);
  return stats;
}

/** A copy of every exporter's counters. */
export function exportStats(): ExportStats[] {
  return registry().map((s) => ({ ...s, dropped: { ...s.dropped } }));
}
