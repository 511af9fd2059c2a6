// What our own synchronous work costs the app's event loop, per kind (warm-up step, export hand-over,
// scrape rendering): the longest single task, in this thread's CPU time where Node has it, so a busy
// machine preempting the process is not counted as ours. Read by the no-stall tests and `obs doctor`.
import { performance } from 'node:perf_hooks';

export type CostKind = 'warm-up' | 'export' | 'scrape';

interface CostStats {
  /** Longest single task per kind, ms. */
  readonly maxMs: Record<string, number>;
  /** Longest single task per kind in wall-clock ms (includes preemption and synchronous I/O waits). */
  readonly maxWallMs: Record<string, number>;
  /** Tasks per kind. */
  readonly count: Record<string, number>;
  readonly clock: 'thread-cpu' | 'wall';
}

const threadCpu = (process as { threadCpuUsage?: () => { user: number; system: number } }).threadCpuUsage;
const stats: CostStats = { maxMs: {}, maxWallMs: {}, count: {}, clock: typeof threadCpu === 'function' ? 'thread-cpu' : 'wall' };
(globalThis as Record<symbol, unknown>)[Symbol.for('@org/obs.loop-cost')] = stats;

function now(): number {
  if (threadCpu) {
    const u = threadCpu.call(process);
    return (u.user + u.system) / 1000;
  }
  return performance.now();
}

/** Runs `fn` and records how long it held the thread. */
export function timed<R>(kind: CostKind, fn: () => R): R {
  const start = now();
  const wallStart = performance.now();
  try {
    return fn();
  } finally {
    const ms = now() - start;
    const wall = performance.now() - wallStart;
    if (ms > (stats.maxMs[kind] ?? 0)) stats.maxMs[kind] = Math.round(ms * 10) / 10;
    if (wall > (stats.maxWallMs[kind] ?? 0)) stats.maxWallMs[kind] = Math.round(wall * 10) / 10;
    stats.count[kind] = (stats.count[kind] ?? 0) + 1;
  }
}
