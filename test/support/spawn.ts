// Spawns fixture apps the way a user runs them (`node --import @org/obs/register app.mjs`) and makes
// sure none outlives the test process.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './fixtures-dir.js';

export interface RunFixtureOptions {
  /** Added to a clean copy of process.env (inherited OTEL_* / OBS_* removed); undefined deletes a variable. */
  env?: Record<string, string | undefined>;
  /** Arguments after the fixture path. */
  args?: string[];
  /** Node flags before `--import` (e.g. `--enable-source-maps`). */
  nodeArgs?: string[];
  /** Safety cap: the process is SIGKILLed after this long (default 60 s). `exited` then reports timedOut. */
  timeoutMs?: number;
  /** Default: the fixture's folder (inside the repo, so `@org/obs` resolves by self-reference). */
  cwd?: string;
  /** Another node binary (Node 22/24 matrix); default: the one running the tests. */
  nodeBinary?: string;
  /** false: plain `node fixture` without the preload. */
  preload?: boolean;
  /** Override the `--import` specifier (default `@org/obs/register`, or dist/register.js by URL outside the repo). */
  preloadSpecifier?: string;
  /** How the preload is loaded: `--import` (default) or `--require` (the CommonJS entry). */
  preloadFlag?: '--import' | '--require';
  /** Resolve runFixture only once stdout matches (e.g. /listening on (\d+)/). */
  waitForStdout?: RegExp;
  /** How long to wait for `waitForStdout` (default 15 s). */
  readyTimeoutMs?: number;
  /** Keep OTEL_* / OBS_* variables of the test process (default false: fixtures see only what you pass). */
  inheritOtelEnv?: boolean;
  /** A node:test context: the process is killed when the test ends. */
  t?: { after(fn: () => unknown): void };
}

export interface FixtureExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

export interface FixtureProcess {
  child: ChildProcess;
  /** Everything written so far (live). */
  readonly stdout: string;
  readonly stderr: string;
  /** The match of `waitForStdout`, when given. */
  ready?: RegExpMatchArray;
  exited: Promise<FixtureExit>;
  kill(signal?: NodeJS.Signals): void;
  /** Resolves with the first match of `re` in the output so far or to come; rejects if the process exits first. */
  waitForOutput(re: RegExp, options?: { stream?: 'stdout' | 'stderr'; timeoutMs?: number }): Promise<RegExpMatchArray>;
}

export interface FixtureResult extends FixtureExit {
  stdout: string;
  stderr: string;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Kills every fixture process still running (also done automatically when the test process exits). */
export function killAllFixtures(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

function cleanEnv(extra: Record<string, string | undefined>, inheritOtel: boolean): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // NODE_TEST_CONTEXT would make a child that uses node:test report to our runner instead of stdout.
    if (k === 'NODE_TEST_CONTEXT') continue;
    if (!inheritOtel && (k.startsWith('OTEL_') || k.startsWith('OBS_'))) continue;
    env[k] = v;
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

function preloadSpecifier(cwd: string): string {
  const rel = path.relative(repoRoot, cwd);
  const inside = rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  return inside ? '@org/obs/register' : pathToFileURL(path.join(repoRoot, 'dist', 'register.js')).href;
}

/** Starts a fixture; see RunFixtureOptions. Resolves at once, or when `waitForStdout` matches. */
export async function runFixture(fixturePath: string, options: RunFixtureOptions = {}): Promise<FixtureProcess> {
  const cwd = options.cwd ?? path.dirname(fixturePath);
  const argv = [...(options.nodeArgs ?? [])];
  if (options.preload !== false) {
    const flag = options.preloadFlag ?? '--import';
    // --require takes a path, not a URL; through the package's self-reference it resolves register.cjs.
    const specifier = options.preloadSpecifier ?? (flag === '--require' ? '@org/obs/register' : preloadSpecifier(cwd));
    argv.push(flag, specifier);
  }
  argv.push(fixturePath, ...(options.args ?? []));

  const child = spawn(options.nodeBinary ?? process.execPath, argv, {
    cwd,
    env: cleanEnv(options.env ?? {}, options.inheritOtelEnv === true),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', killAllFixtures);
  }
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));

  let timedOut = false;
  const cap = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 60_000);
  cap.unref();
  const exited = new Promise<FixtureExit>((resolve) => {
    child.once('error', (err) => {
      stderr += `\n[spawn error] ${err.message}\n`;
      clearTimeout(cap);
      live.delete(child);
      resolve({ code: null, signal: null, timedOut });
    });
    child.once('close', (code, signal) => {
      clearTimeout(cap);
      live.delete(child);
      resolve({ code, signal, timedOut });
    });
  });
  let done = false;
  void exited.then(() => (done = true));

  const proc: FixtureProcess = {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (!done) child.kill(signal);
    },
    waitForOutput(re, { stream, timeoutMs = 15_000 } = {}) {
      const text = (): string => (stream === 'stderr' ? stderr : stream === 'stdout' ? stdout : `${stdout}\n${stderr}`);
      return new Promise<RegExpMatchArray>((resolve, reject) => {
        const check = (): boolean => {
          const m = text().match(re);
          if (m) finish(() => resolve(m));
          return m !== null;
        };
        const fail = (why: string): void =>
          finish(() => reject(new Error(`${why} waiting for ${re} in ${path.basename(fixturePath)}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`)));
        const onData = (): void => void check();
        const timer = setTimeout(() => fail(`timed out after ${timeoutMs} ms`), timeoutMs);
        const finish = (then: () => void): void => {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          child.stderr?.off('data', onData);
          then();
        };
        if (check()) return;
        // Listeners added after ours above, so the output strings are already updated when we look.
        child.stdout?.on('data', onData);
        child.stderr?.on('data', onData);
        void exited.then((e) => {
          if (!check()) fail(`process exited (code ${e.code}, signal ${e.signal})`);
        });
      });
    },
  };
  options.t?.after(async () => {
    proc.kill('SIGKILL');
    await exited;
  });
  if (options.waitForStdout) {
    try {
      proc.ready = await proc.waitForOutput(options.waitForStdout, { stream: 'stdout', timeoutMs: options.readyTimeoutMs });
    } catch (err) {
      proc.kill('SIGKILL');
      throw err;
    }
  }
  return proc;
}

/** Runs a fixture to completion and returns its exit and full output. */
export async function runFixtureToExit(fixturePath: string, options: RunFixtureOptions = {}): Promise<FixtureResult> {
  const proc = await runFixture(fixturePath, options);
  const exit = await proc.exited;
  return { ...exit, stdout: proc.stdout, stderr: proc.stderr };
}
