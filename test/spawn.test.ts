// Tests of test/support/spawn.ts: how fixtures are started, fed env and args, awaited and killed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fixture, fixturesDir, repoRoot } from './support/fixtures-dir.js';
import { startReceiver } from './support/receiver.js';
import { runFixture, runFixtureToExit } from './support/spawn.js';

test('spawn: runFixture without the preload passes args and env, drops inherited OTEL_* and collects output and exit code', async (t) => {
  process.env.OTEL_LEAKED_FROM_RUNNER = 'x';
  t.after(() => delete process.env.OTEL_LEAKED_FROM_RUNNER);
  const result = await runFixtureToExit(fixture('spawn-echo.mjs'), {
    preload: false, args: ['exit', '3'], env: { ECHO_VALUE: 'hello', OTEL_SERVICE_NAME: 'svc' },
  });
  assert.equal(result.code, 3);
  assert.equal(result.timedOut, false);
  const report = JSON.parse(result.stdout) as { args: string[]; echo: string; otelKeys: string[]; execArgv: string[] };
  assert.deepEqual(report.args, ['exit', '3']);
  assert.equal(report.echo, 'hello');
  assert.deepEqual(report.otelKeys, ['OTEL_SERVICE_NAME']);
  assert.deepEqual(report.execArgv, []);
  assert.match(result.stderr, /to stderr/);
});

test('spawn: waitForStdout resolves once the fixture is ready, and kill() ends it', async (t) => {
  const proc = await runFixture(fixture('spawn-echo.mjs'), { preload: false, args: ['idle'], waitForStdout: /"ready":true/, t });
  assert.ok(proc.ready);
  proc.kill('SIGTERM');
  assert.deepEqual(await proc.exited, { code: null, signal: 'SIGTERM', timedOut: false });
  await assert.rejects(proc.waitForOutput(/never printed/), /process exited/);
});

test('spawn: timeoutMs kills a fixture that outlives it', async () => {
  const proc = await runFixture(fixture('spawn-echo.mjs'), { preload: false, args: ['idle'], timeoutMs: 300 });
  const exit = await proc.exited;
  assert.equal(exit.timedOut, true);
  assert.equal(exit.signal, 'SIGKILL');
});

test('spawn: the preload is passed as --import @org/obs/register, which self-resolves to dist/register.js from the fixtures folder', async (t) => {
  // Only the command line is pinned here; what the preload does is for the end-to-end tests.
  const receiver = await startReceiver(t);
  const proc = await runFixture(fixture('spawn-echo.mjs'), { args: ['idle'], env: receiver.envFor(), t });
  assert.deepEqual(proc.child.spawnargs.slice(1, 3), ['--import', '@org/obs/register']);
  proc.kill('SIGKILL');
  await proc.exited;
  const resolved = execFileSync(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('@org/obs/register'))"], {
    cwd: fixturesDir, encoding: 'utf8',
  }).trim();
  assert.equal(resolved, `file://${repoRoot}/dist/register.js`);
});
