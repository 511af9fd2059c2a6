// The start-up line: shown on a terminal (a pseudo-terminal from util-linux `script`) with the service
// name, where telemetry goes and what was patched; absent when stderr is a pipe or at OTEL_LOG_LEVEL=none.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fixturesDir } from './support/fixtures-dir.js';
import { runFixtureToExit } from './support/spawn.js';
import { fixture } from './support/fixtures-dir.js';

// util-linux `script` gives the child a pseudo-terminal; without it the terminal cases cannot run.
const noScript = spawnSync('script', ['--version']).error !== undefined && 'util-linux script is not installed';

const ENV = { OTEL_SERVICE_NAME: 'tty-demo', OTEL_TRACES_EXPORTER: 'console', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };

/** Runs the fixture under the preload with a pseudo-terminal for stdin, stdout and stderr; returns all it printed. */
function underTty(extra: Record<string, string> = {}): Promise<string> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('OTEL_') && !k.startsWith('OBS_') && k !== 'NODE_TEST_CONTEXT') env[k] = v;
  Object.assign(env, ENV, extra);
  const cmd = `'${process.execPath}' --import @org/obs/register tty-app.mjs`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: fixturesDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const cap = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('close', () => {
      clearTimeout(cap);
      resolve(out.replace(/\r/g, ''));
    });
  });
}

test('start-up line on a terminal: service, destination and patched libraries, once', { skip: noScript }, async () => {
  const out = await underTty();
  const lines = out.split('\n').filter((l) => l.startsWith('@org/obs: on for service'));
  assert.equal(lines.length, 1, out);
  assert.match(lines[0], /^@org\/obs: on for service "tty-demo": traces → console; patched: [^;]*\bhttp\b[^;]*\bexpress\b/);
  assert.match(lines[0], /not loaded yet: [^;]*\bpg\b/);
  assert.match(out, /listening on \d+/);
});

test('start-up line: absent at OTEL_LOG_LEVEL=none on a terminal', { skip: noScript }, async () => {
  const out = await underTty({ OTEL_LOG_LEVEL: 'none' });
  assert.match(out, /listening on \d+/);
  assert.doesNotMatch(out, /@org\/obs/);
});

test('start-up line: absent when stderr is not a terminal', async () => {
  const res = await runFixtureToExit(fixture('tty-app.mjs'), { env: ENV, cwd: fixturesDir, timeoutMs: 30_000 });
  assert.match(res.stdout, /listening on \d+/);
  assert.doesNotMatch(res.stderr, /on for service/);
});
