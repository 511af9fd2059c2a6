// Benchmark fixture helper: an event-loop block watcher inside the app, switched on by env
// BENCH_LOOP_MONITOR=1. It loads only node: built-ins (never anything of ours), ticks every 1 ms and
// counts how late each tick ran: a tick late by more than 20 ms means something held the loop
// (the contract: the preload never blocks it over 20 ms, first export included).
// A late tick on a busy machine can also mean the process was not scheduled at all; where Node has
// process.threadCpuUsage (24+), the main thread's own CPU time during the gap bounds the block, so
// "on-CPU" figures count only time the loop was really running something.
import { performance } from 'node:perf_hooks';

const BLOCK_MS = 20;
const state = { on: false, maxMs: 0, over20: 0, cpuMaxMs: NaN, cpuOver20: NaN, ticks: 0, since: 0 };

/** Main-thread CPU time in ms, or undefined where Node lacks process.threadCpuUsage. */
function threadCpuMs() {
  if (typeof process.threadCpuUsage !== 'function') return undefined;
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
}

/** Starts watching (call when the app is listening: start-up itself is timed elsewhere). */
export function startLoopMonitor() {
  if (process.env.BENCH_LOOP_MONITOR !== '1' || state.on) return;
  state.on = true;
  state.since = performance.now();
  let last = state.since;
  let lastCpu = threadCpuMs();
  if (lastCpu !== undefined) {
    state.cpuMaxMs = 0;
    state.cpuOver20 = 0;
  }
  setInterval(() => {
    const now = performance.now();
    const lateMs = now - last - 1;
    last = now;
    state.ticks++;
    if (lateMs > state.maxMs) state.maxMs = lateMs;
    if (lateMs > BLOCK_MS) state.over20++;
    if (lastCpu === undefined) return;
    const cpu = /** @type {number} */ (threadCpuMs());
    const onCpuMs = Math.min(lateMs, cpu - lastCpu);
    lastCpu = cpu;
    if (onCpuMs > state.cpuMaxMs) state.cpuMaxMs = onCpuMs;
    if (onCpuMs > BLOCK_MS) state.cpuOver20++;
  }, 1).unref();
}

/**
 * What /stats reports since the start or the last reset: null when the monitor is off.
 * @param {boolean} reset start a new window after reading (the harness reads one per phase)
 */
export function loopStats(reset) {
  if (!state.on) return null;
  const { maxMs, over20, cpuMaxMs, cpuOver20, ticks } = state;
  const now = performance.now();
  const figures = { maxMs, over20, cpuMaxMs: Number.isNaN(cpuMaxMs) ? null : cpuMaxMs, cpuOver20: Number.isNaN(cpuOver20) ? null : cpuOver20, ticks, watchedMs: now - state.since };
  if (reset) {
    Object.assign(state, { maxMs: 0, over20: 0, ticks: 0, since: now });
    if (!Number.isNaN(cpuMaxMs)) Object.assign(state, { cpuMaxMs: 0, cpuOver20: 0 });
  }
  return figures;
}
