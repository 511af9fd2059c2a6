// Drives the native stack from tests: its CLI (stack/stack.mjs, spawned with this very node), and the query APIs
// of Prometheus, Jaeger and the logs store on the ports stack/configs.mjs gives them.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './fixtures-dir.js';

export const stackCli = path.join(repoRoot, 'stack', 'stack.mjs');
export const PROM = 'http://127.0.0.1:9090';
export const AM = 'http://127.0.0.1:9093';
export const JAEGER = 'http://127.0.0.1:16686';
export const LOGS = 'http://127.0.0.1:9428';
export const OTELCOL_METRICS = 'http://127.0.0.1:8888/metrics';

/** The cached binaries' folder; throws with the build command when the cache is empty. */
export function stackBin(): string {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'stack', 'build.mjs'), '--print-bin'], { encoding: 'utf8' });
  const bin = r.stdout.trim();
  if (!existsSync(path.join(bin, 'build.json'))) throw new Error(`no stack binaries in ${bin}: run "node stack/build.mjs" first`);
  return bin;
}

/** Runs `node stack/stack.mjs ...args` to completion (async: the test's own stand-in servers must keep answering). */
export function runStack(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [stackCli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function getJson(url: string, init?: RequestInit): Promise<any> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

/** An instant PromQL query's result vector. */
export async function promQuery(query: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const body = await getJson(`${PROM}/api/v1/query?query=${encodeURIComponent(query)}`);
  return body.data.result;
}

export interface ActiveAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing' | 'inactive';
}

/** Prometheus's active (pending or firing) alerts. */
export async function activeAlerts(): Promise<ActiveAlert[]> {
  const body = await getJson(`${PROM}/api/v1/alerts`);
  return body.data.alerts;
}

/** Every metric name Prometheus has stored. */
export async function storedNames(): Promise<Set<string>> {
  const body = await getJson(`${PROM}/api/v1/label/__name__/values`);
  return new Set(body.data as string[]);
}

/** Polls until check() returns a truthy value; throws describe() on timeout. */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs: number, describe: () => string | Promise<string>, intervalMs = 1000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch {
      // Not there yet (a backend still starting, a series not yet written).
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${await describe()}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Sends `count` requests, `concurrency` at a time, ignoring their outcome. */
export async function drive(url: string, count: number, concurrency: number, init?: RequestInit): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      try {
        const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
        await res.arrayBuffer();
      } catch {
        // Counted by the service's telemetry, not here.
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** About `perSecond` requests a second for `seconds` (URLs from next()), sent in tenth-of-a-second batches, outcomes ignored. */
export async function driveFor(next: () => string, perSecond: number, seconds: number): Promise<void> {
  const inflight: Array<Promise<void>> = [];
  const start = Date.now();
  let sent = 0;
  while (Date.now() - start < seconds * 1000) {
    // Catch up to the schedule (timers run late on a loaded machine).
    const due = Math.floor(((Date.now() - start) / 1000) * perSecond);
    for (; sent < due; sent++) {
      inflight.push(fetch(next(), { signal: AbortSignal.timeout(30_000) }).then((r) => r.arrayBuffer()).then(() => undefined, () => undefined));
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await Promise.all(inflight);
}
