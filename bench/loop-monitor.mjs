// Benchmark fixture helper: an event-loop block watcher inside the app, switched on by env
// BENCH_LOOP_MONITOR=1. It loads only node: built-ins (never anything of ours), ticks every 1 ms and
// counts how late each tick ran: a tick late by more than 20 ms means something held the loop
// (the contract: the preload never blocks it over 20 ms, first export included).
import { performance } from 'node:perf_hooks';

const BLOCK_MS = 20;
const state = { on: false, maxMs: 0, over20: 0, ticks: 0, since: 0 };

/** Starts watching (call when the app is listening: start-up itself is timed elsewhere). */
export function startLoopMonitor() {
  if (process.env.BENCH_LOOP_MONITOR !== '1' || state.on) return;
  state.on = true;
  state.since = performance.now();
  let last = state.since;
  setInterval(() => {
    const now = performance.now();
    const lateMs = now - last - 1;
    last = now;
    state.ticks++;
    if (lateMs > state.maxMs) state.maxMs = lateMs;
    if (lateMs > BLOCK_MS) state.over20++;
  }, 1).unref();
}

/** What /stats reports: null when the monitor is off. */
export function loopStats() {
  if (!state.on) return null;
  return { maxMs: state.maxMs, over20: state.over20, ticks: state.ticks, watchedMs: performance.now() - state.since };
}
