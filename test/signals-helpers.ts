// Shared by the signals-*.test.ts files: start a fixture under the preload against a receiver, and read
// cumulative counters the way Prometheus would (the latest point of each series).
import { isDeepStrictEqual } from 'node:util';
import { fixture, fixturesDir } from './support/fixtures-dir.js';
import { startReceiver, type OtlpReceiver } from './support/receiver.js';
import { runFixture, type FixtureProcess } from './support/spawn.js';

type After = { after(fn: () => unknown): void };

export interface RunningApp {
  receiver: OtlpReceiver;
  proc: FixtureProcess;
  base: string;
}

export const WAIT = { timeoutMs: 20_000 };

export async function startApp(t: After, file: string, env: Record<string, string | undefined> = {}): Promise<RunningApp> {
  const receiver = await startReceiver(t);
  const proc = await runFixture(fixture(...file.split('/')), {
    env: { ...receiver.envFor(), OTEL_METRIC_EXPORT_INTERVAL: '500', ...env },
    // From the fixtures folder: @org/obs resolves by self-reference while the app keeps its own package.json.
    cwd: fixturesDir,
    waitForStdout: /listening on (\d+)/,
    readyTimeoutMs: 30_000,
    t,
  });
  return { receiver, proc, base: `http://127.0.0.1:${proc.ready![1]}` };
}

type Attrs = Record<string, unknown>;

/** The latest value of every series of a counter: attributes → value. */
export function latestSeries(receiver: OtlpReceiver, name: string): Map<string, { attributes: Attrs; value: number }> {
  const latest = new Map<string, { attributes: Attrs; value: number; time: bigint }>();
  for (const p of receiver.metrics) {
    if (p.name !== name) continue;
    const key = JSON.stringify(Object.entries(p.attributes).sort(([a], [b]) => a.localeCompare(b)));
    const time = BigInt(p.timeUnixNano);
    const prev = latest.get(key);
    const value = p.type === 'histogram' ? Number(p.count) : Number(p.value);
    if (!prev || time >= prev.time) latest.set(key, { attributes: p.attributes, value, time });
  }
  return new Map([...latest].map(([k, v]) => [k, { attributes: v.attributes, value: v.value }]));
}

/** Sum of the latest values of the series whose attributes include `match`. */
export function total(receiver: OtlpReceiver, name: string, match: Attrs = {}): number {
  let sum = 0;
  for (const { attributes, value } of latestSeries(receiver, name).values()) {
    if (Object.entries(match).every(([k, v]) => attributes[k] === v)) sum += value;
  }
  return sum;
}

/** Waits until `fn` (a snapshot of totals) deep-equals `want`, and returns the last snapshot either way. */
export async function settle<T>(fn: () => T, want: T, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = fn();
  while (!isDeepStrictEqual(last, want) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    last = fn();
  }
  return last;
}
