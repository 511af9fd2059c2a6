// Starts the fixture app under one configuration and times spawn → listening.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const LISTENING = /BENCH_LISTENING (\d+)/;

/**
 * Spawns `node <execArgv> <appPath>`; `ready` resolves once the app prints its listening line.
 * `stdout: 'pipe'` keeps the app's stdout readable on `child.stdout` (V8's trace flags print there).
 * @param {{ execArgv: string[], env: Record<string, string>, cwd: string, appPath: string, node?: string, timeoutMs?: number, stdout?: 'ignore' | 'pipe' }} opts
 */
export function startApp({ execArgv, env, cwd, appPath, node = process.execPath, timeoutMs = 60_000, stdout = 'ignore' }) {
  const started = performance.now();
  const child = spawn(node, [...execArgv, appPath], {
    cwd,
    env: { ...process.env, ...env },
    // stdout carries the app's pino lines: discarded by default, as a service's logs would be shipped elsewhere.
    stdio: ['ignore', stdout, 'pipe'],
  });
  let stderr = '';
  let done = false;
  /** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} */
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  /** @type {Promise<{ port: number, startupMs: number }>} */
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app not listening after ${timeoutMs} ms; stderr:\n${stderr}`)), timeoutMs);
    // Piped above, so never null.
    const stderrStream = /** @type {import('node:stream').Readable} */ (child.stderr);
    stderrStream.setEncoding('utf8');
    stderrStream.on('data', (chunk) => {
      if (stderr.length < 64_000) stderr += chunk;
      const match = LISTENING.exec(stderr);
      if (match && !done) {
        done = true;
        clearTimeout(timer);
        resolve({ port: Number(match[1]), startupMs: performance.now() - started });
      }
    });
    // `exited` never rejects.
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`app exited (code ${code}, signal ${signal}) before listening; stderr:\n${stderr}`));
    });
  });
  return {
    child,
    ready,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Runs `node <execArgv> <module>` to completion: { exitMs: wall time spawn → exit, firstLineMs:
 *  spawn → the module's first line (it prints its wall clock), cjsFiles: CommonJS files loaded by
 *  then (their paths go to the file named by env BENCH_LIST_MODULES, when set) }. Asynchronous on purpose: the sink
 *  lives in this process and must keep answering the preload's exports meanwhile.
 * @param {{ execArgv: string[], env: Record<string, string>, cwd: string, modulePath: string, node?: string, timeoutMs?: number }} opts
 * @returns {Promise<{ exitMs: number, firstLineMs: number, cjsFiles: number }>}
 */
export function timeEmptyModule({ execArgv, env, cwd, modulePath, node = process.execPath, timeoutMs = 60_000 }) {
  const startedAt = performance.timeOrigin + performance.now();
  const started = performance.now();
  const child = spawn(node, [...execArgv, modulePath], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    if (stderr.length < 16_000) stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const exitMs = performance.now() - started;
      const match = /BENCH_FIRST_LINE ([\d.]+) (\d+)/.exec(stderr);
      const firstLineMs = match ? Number(match[1]) - startedAt : NaN;
      const cjsFiles = match ? Number(match[2]) : NaN;
      if (code === 0) resolve({ exitMs, firstLineMs, cjsFiles });
      else reject(new Error(`empty module run failed (code ${code}, signal ${signal}): ${stderr}`));
    });
  });
}
