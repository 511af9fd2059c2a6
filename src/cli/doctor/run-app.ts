// `obs doctor -- <command>`: starts the user's command with the preload added through NODE_OPTIONS and
// OBS_DOCTOR_REPORT set, waits for the preload's status snapshot, lets the caller use the running app
// (the proof request), then stops the app.
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

/** What the caller may do with the app while it runs. */
export interface RunningApp {
  /** The latest report of the app itself (a launcher's is ignored), if any. */
  read(): DoctorReport | undefined;
  exited(): boolean;
  /** When the app was started (Date.now()), so the caller's waits share the --wait budget. */
  readonly startedAt: number;
}

const LAUNCHER = /[\\/]node_modules[\\/](npm|pnpm|yarn|corepack)[\\/]|[\\/](npm|npx)-cli\.js$|[\\/]bin[\\/](npm|npx|pnpm|yarn|corepack)(\.c?js)?$/;

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
  /** Runs once the first report is in and the app still runs; the app is stopped after it settles. */
  during?: (app: RunningApp) => Promise<void>;
}): Promise<AppRun> {
  const startedAt = Date.now();
  const dir = mkdtempSync(path.join(tmpdir(), 'obs-doctor-'));
  const reportFile = path.join(dir, 'report.json');
  const nodeOptions = [opts.env.NODE_OPTIONS ?? '', `--import=${opts.importSpecifier}`].join(' ').trim();
  const [cmd, ...args] = opts.command as [string, ...string[]];
  // Its own process group, so `npm start` and the like are stopped with the app they launched.
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    env: { ...opts.env, NODE_OPTIONS: nodeOptions, OBS_DOCTOR_REPORT: reportFile },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
      // already gone
    }
  };
  const killOnExit = () => signalGroup('SIGKILL');
  process.once('exit', killOnExit);
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

  // `obs doctor -- npm start`: NODE_OPTIONS reaches npm itself too, whose preload reports first;
  // only the app's own report counts.
  const read = () => {
    try {
      const report = parseReport(readFileSync(reportFile, 'utf8'));
      return report && LAUNCHER.test(report.entry?.path ?? '') ? undefined : report;
    } catch {
      return undefined;
    }
  };
  let report: DoctorReport | undefined;
  const deadline = startedAt + opts.waitMs;
  while (!exited && Date.now() < deadline && !(report = read())) await sleep(100);
  if (report && !exited && opts.during) {
    try {
      await opts.during({ read, exited: () => exited, startedAt });
    } catch {
      // the caller reports its own failures; the app must be stopped whatever happened
    }
  }
  if (report && !exited) {
    await Promise.race([sleep(opts.settleMs), exitedPromise]);
  }
  const exitedEarly = exited;
  if (!exited) {
    signalGroup('SIGTERM');
    const killTimer = setTimeout(() => signalGroup('SIGKILL'), 3000);
    await exitedPromise;
    clearTimeout(killTimer);
  }
  // Whatever the command left behind (a launcher's child) must not outlive the check, nor keep
  // our pipes, and so this process, open.
  signalGroup('SIGKILL');
  process.removeListener('exit', killOnExit);
  child.stdout.destroy();
  child.stderr.destroy();
  // The exit-time snapshot (best effort) is the most complete one; fall back to the first.
  report = read() ?? report;
  rmSync(dir, { recursive: true, force: true });
  return { report, exitedEarly, exitCode, output: tail(output, 15), spawnError };
}
