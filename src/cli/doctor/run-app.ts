// `obs doctor -- <command>`: starts the user's command with the preload added through NODE_OPTIONS and
// OBS_DOCTOR_REPORT set, waits for the preload's status snapshot, then stops the app.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseReport, type DoctorReport } from './report.js';

export interface AppRun {
  readonly report?: DoctorReport;
  /** The app ended by itself before we stopped it (a crash, or a script that simply finished). */
  readonly exitedEarly: boolean;
  readonly exitCode: number | null;
  readonly output: string;
  readonly spawnError?: string;
}

const tail = (text: string, lines: number) => text.trimEnd().split('\n').slice(-lines).join('\n');

export async function runApp(opts: {
  command: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Specifier given to --import: '@org/obs/register' when the app can resolve it, else a file URL. */
  importSpecifier: string;
  /** How long the app may take to produce its first report. */
  waitMs: number;
  /** Extra time after the first report, so modules the app imports a moment later are seen too. */
  settleMs: number;
}): Promise<AppRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'obs-doctor-'));
  const reportFile = path.join(dir, 'report.json');
  const nodeOptions = [opts.env.NODE_OPTIONS ?? '', `--import=${opts.importSpecifier}`].join(' ').trim();
  const [cmd, ...args] = opts.command as [string, ...string[]];
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    env: { ...opts.env, NODE_OPTIONS: nodeOptions, OBS_DOCTOR_REPORT: reportFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  let exitCode: number | null = null;
  let exited = false;
  let spawnError: string | undefined;
  const exitedPromise = new Promise<void>((resolve) => {
    child.on('error', (err) => {
      spawnError = err.message;
      exited = true;
      resolve();
    });
    child.on('exit', (code) => {
      exitCode = code;
      exited = true;
      resolve();
    });
  });

  const read = () => {
    try {
      return parseReport(readFileSync(reportFile, 'utf8'));
    } catch {
      return undefined;
    }
  };
  let report: DoctorReport | undefined;
  const deadline = Date.now() + opts.waitMs;
  while (!exited && Date.now() < deadline && !(report = read())) await sleep(100);
  if (report && !exited) {
    await Promise.race([sleep(opts.settleMs), exitedPromise]);
  }
  const exitedEarly = exited;
  if (!exited) {
    child.kill('SIGTERM');
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exitedPromise;
    clearTimeout(killTimer);
  }
  // The exit-time snapshot (best effort) is the most complete one; fall back to the first.
  report = read() ?? report;
  rmSync(dir, { recursive: true, force: true });
  return { report, exitedEarly, exitCode, output: tail(output, 15), spawnError };
}
