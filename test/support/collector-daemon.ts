// Starts Debian's real prometheus / prometheus-alertmanager on a loopback ephemeral port for a test, and stops it after.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { freePort } from './free-port.js';
export { freePort };

/** Polls an async check until it returns a truthy value or the deadline passes (then throws with describe()). */
export async function pollUntil<T>(
  check: () => Promise<T | undefined | null | false>,
  options: { timeoutMs: number; intervalMs?: number; describe: () => string },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    let value: T | undefined | null | false = undefined;
    try {
      value = await check();
    } catch {
      value = undefined;
    }
    if (value) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${options.timeoutMs} ms: ${options.describe()}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
  }
}

export interface Daemon {
  url: string;
  dir: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

interface AfterHook {
  after(fn: () => unknown): void;
}

/**
 * Spawns `bin` with args built from (port, scratch dir), waits for GET /-/ready, and registers cleanup on `t`.
 * The scratch dir (data, generated config) is removed on stop.
 */
export async function startDaemon(
  t: AfterHook,
  bin: string,
  args: (port: number, dir: string) => string[],
  options: { readyTimeoutMs?: number; prefix?: string; prepare?: (dir: string) => void } = {},
): Promise<Daemon> {
  const dir = mkdtempSync(path.join(tmpdir(), options.prefix ?? 'obs-daemon-'));
  options.prepare?.(dir);
  const port = await freePort();
  const child = spawn(bin, args(port, dir), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  t.after(stop);
  const url = `http://127.0.0.1:${port}`;
  try {
    await pollUntil(
      async () => {
        if (child.exitCode !== null) throw new Error('exited');
        const res = await fetch(`${url}/-/ready`);
        return res.ok;
      },
      { timeoutMs: options.readyTimeoutMs ?? 30_000, describe: () => `${path.basename(bin)} not ready on ${url}; exit=${child.exitCode}; output:\n${out.slice(-3000)}` },
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, dir, child, output: () => out, stop };
}
