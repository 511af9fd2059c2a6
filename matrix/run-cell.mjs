// Runs one matrix cell: the fixture app under the preload, one request, then waits for its telemetry.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { cellDir } from './fixture.mjs';
import { complete, judge, judgeRequireEsm } from './checks.mjs';
import { startReceiver } from './receiver.mjs';

const START_TIMEOUT_MS = 30_000;
const TELEMETRY_TIMEOUT_MS = 20_000;
const EXIT_TIMEOUT_MS = 10_000;

function get(url) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
  });
}

/** The child's environment: the machine's, minus anything that would steer the preload elsewhere. */
function childEnv(cell, receiverEnv) {
  /** @type {NodeJS.ProcessEnv} */
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(OTEL_|OBS_|NODE_OPTIONS$|MATRIX_)/.test(k)) env[k] = v;
  }
  Object.assign(env, receiverEnv, {
    OTEL_SERVICE_NAME: `matrix-${cell.id}`,
    MATRIX_PG_URL: process.env.MATRIX_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    MATRIX_REDIS_URL: process.env.MATRIX_REDIS_URL ?? 'redis://127.0.0.1:6379',
  });
  if (cell.start === 'NODE_OPTIONS') env.NODE_OPTIONS = '--import @org/obs/register';
  if (cell.start === 'require' && cell.module === 'esm') {
    // Judged on its stderr as a user sees it: the default export intervals, not the receiver's 300 ms
    // ones (whose first metric export, loading the exporter on a busy machine, can time out with a line).
    for (const k of ['OTEL_METRIC_EXPORT_INTERVAL', 'OTEL_BSP_SCHEDULE_DELAY', 'OTEL_BLRP_SCHEDULE_DELAY']) delete env[k];
  }
  return env;
}

const lastLines = (text, n = 6) => text.trim().split('\n').slice(-n).join('\n');

/** Starts the app and resolves its port, or rejects with what it printed. */
function waitForPort(child, output) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('app did not print its port in time')), START_TIMEOUT_MS);
    const onData = () => {
      const m = /MATRIX_LISTENING (\d+)/.exec(output.stdout);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`app exited (${code ?? signal}) before listening`));
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`could not start ${child.spawnfile}: ${err.message}`));
    });
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.pid === undefined) {
      resolve({ ok: false, reason: 'the app never started' });
      return;
    }
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve({ ok: true, detail: `exited ${child.exitCode ?? child.signalCode} before SIGTERM` });
      return;
    }
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ ok: false, reason: `still running ${EXIT_TIMEOUT_MS / 1000}s after SIGTERM (something keeps it alive)` });
    }, EXIT_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code === 0 ? { ok: true } : { ok: false, reason: `exit ${code ?? signal} after SIGTERM` });
    });
    child.kill('SIGTERM');
  });
}

/** @returns {Promise<{ verdicts: object, stderr: string, received: object }>} */
export async function runCell(cell, { nodeBin, entry, root }) {
  const receiver = await startReceiver({ root });
  const output = { stdout: '', stderr: '' };
  const args = cell.start === 'import' ? ['--import', '@org/obs/register', entry]
    : cell.start === 'require' ? ['--require', '@org/obs/register', entry]
    : [entry];
  // An ESM app under --require is judged on its one stderr line and its answer, not on telemetry.
  const requireEsm = cell.start === 'require' && cell.module === 'esm';
  const child = spawn(nodeBin, args, { cwd: cellDir(cell), env: childEnv(cell, receiver.env), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => (output.stdout += d));
  child.stderr.on('data', (d) => (output.stderr += d));
  /** @type {{ failure: string | undefined, exit: any }} */
  const run = { failure: undefined, exit: undefined };
  try {
    const port = await waitForPort(child, output);
    const res = await get(`http://127.0.0.1:${port}/users/42`);
    if (res.status !== 200) throw new Error(`GET /users/42 answered ${res.status}: ${res.body.slice(0, 200)}`);
    const deadline = Date.now() + TELEMETRY_TIMEOUT_MS;
    if (requireEsm) await sleep(1_000);
    else while (!complete(receiver.received(), cell.stack) && Date.now() < deadline) await sleep(100);
  } catch (err) {
    run.failure = `${err.message}${output.stderr.trim() ? `; stderr: ${lastLines(output.stderr, 3)}` : ''}`;
  }
  run.exit = await stop(child);
  const received = receiver.received();
  await receiver.stop();
  const verdicts = requireEsm ? judgeRequireEsm(run, output.stderr) : judge(received, cell.stack, run);
  return { verdicts, stderr: lastLines(output.stderr, 20), received: summarize(received) };
}

/** What arrived, by name: enough to debug a red cell from latest.json without re-running it. */
function summarize(received) {
  const byId = new Map(received.spans.map((s) => [s.spanId, s]));
  // Each span as its path from the root ("SERVER GET /users/:id › INTERNAL request handler › CLIENT ...").
  const path = (span) => {
    const names = [];
    for (let s = span, hops = 0; s && hops < 32; s = byId.get(s.parentSpanId), hops++) names.unshift(`${s.kind} ${s.name}`);
    return names.join(' › ');
  };
  return {
    spans: received.spans.map(path).sort(),
    metrics: [...new Set(received.metrics.map((m) => m.name))].sort(),
    logs: received.logs.length,
  };
}
