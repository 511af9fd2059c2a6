// End-to-end guardrails of the preload: quiet when healthy, OTEL_SDK_DISABLED, loaded twice, worker
// threads, a bad variable value. The fixtures end on their own, so what was sent before exit is final.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { fixture, fixturesDir, repoRoot } from './support/fixtures-dir.js';
import { startReceiver, type OtlpReceiver } from './support/receiver.js';
import { runFixture, runFixtureToExit, type FixtureResult, type RunFixtureOptions } from './support/spawn.js';

const APP = fixture('e2e-basic', 'app.mjs');
const WORKER_APP = fixture('e2e-worker', 'main.mjs');
const REGISTER_PATH = path.join(repoRoot, 'dist', 'register.js');
const WAIT = { timeoutMs: 20_000 };

/** Runs a fixture from the fixtures folder (so `--import @org/obs/register` self-resolves) to its end. */
async function run(receiver: OtlpReceiver, file: string, extra: Partial<RunFixtureOptions> = {}): Promise<FixtureResult> {
  const result = await runFixtureToExit(file, {
    cwd: fixturesDir,
    timeoutMs: 60_000,
    ...extra,
    // Metrics reach the receiver through the exit flush; a long interval keeps periodic exports out of the way.
    env: { ...receiver.envFor(), OTEL_METRIC_EXPORT_INTERVAL: '5000', ...extra.env },
  });
  assert.equal(result.timedOut, false, `fixture did not end by itself\n${result.stderr}`);
  return result;
}

/** Every distinct service.instance.id the receiver saw, over all signals: one per SDK. */
function instanceIds(receiver: OtlpReceiver): Set<unknown> {
  return new Set([...receiver.spans, ...receiver.metrics, ...receiver.logs].map((i) => i.resource['service.instance.id']));
}

function serverSpans(receiver: OtlpReceiver, urlPath: string): number {
  return receiver.spans.filter((s) => s.kind === 'SERVER' && s.attributes['url.path'] === urlPath).length;
}

test('healthy run at the default log level: all three signals exported before a natural exit, exit code kept, nothing on stderr', async (t) => {
  const receiver = await startReceiver(t);
  const result = await run(receiver, APP, { env: { EXIT_CODE: '3' } });
  assert.equal(result.code, 3);
  assert.equal(result.stderr, '');
  assert.match(result.stdout, /"status":200,"body":"hello"/);
  const server = await receiver.waitForSpan((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/hello', WAIT);
  const client = await receiver.waitForSpan((s) => s.kind === 'CLIENT' && s.attributes['url.path'] === '/hello', WAIT);
  assert.equal(server.parentSpanId, client.spanId);
  await receiver.waitForMetric('http.server.request.duration', WAIT);
  const record = await receiver.waitForLog((l) => l.body === 'hello served', WAIT);
  assert.equal(record.traceId, server.traceId);
  assert.equal(server.resource['service.name'], 'e2e-basic-greeter');
  assert.equal(server.resource['service.version'], '0.9.0');
  assert.equal(server.resource['deployment.environment.name'], undefined, 'no NODE_ENV, no environment attribute');
});

test('OTEL_SDK_DISABLED=true: the app runs and exits as without us, nothing is patched or sent, nothing on stderr', async (t) => {
  const receiver = await startReceiver(t);
  const result = await run(receiver, APP, { env: { OTEL_SDK_DISABLED: 'true', EXIT_CODE: '3' } });
  assert.equal(result.code, 3);
  assert.equal(result.stderr, '');
  assert.match(result.stdout, /"status":200,"body":"hello"/);
  const line = result.stdout.split('\n').find((l) => l.includes('hello served'));
  assert.ok(line);
  assert.equal((JSON.parse(line) as { trace_id?: string }).trace_id, undefined, 'pino was not patched');
  const stats = receiver.stats();
  assert.deepEqual([stats.traces.requests, stats.metrics.requests, stats.logs.requests], [0, 0, 0]);
});

test('loaded twice as the same file (--import @org/obs/register plus NODE_OPTIONS=--import <dist/register.js>): one SDK, no duplicate spans, nothing on stderr', async (t) => {
  // Both specifiers resolve to one module URL, which Node evaluates once: nothing is even loaded twice.
  const receiver = await startReceiver(t);
  const result = await run(receiver, APP, { env: { NODE_OPTIONS: `--import ${REGISTER_PATH}` } });
  assert.equal(result.code, 0);
  assert.equal(result.stderr, '');
  await receiver.waitForLog((l) => l.body === 'hello served', WAIT);
  await receiver.waitForSpan((s) => s.kind === 'CLIENT' && s.attributes['url.path'] === '/hello', WAIT);
  assert.equal(serverSpans(receiver, '/hello'), 1);
  assert.equal(receiver.logs.filter((l) => l.body === 'hello served').length, 1);
  assert.equal(instanceIds(receiver).size, 1);
});

test('loaded twice as two copies of the module: one SDK, no duplicate spans, exactly one line on stderr', async (t) => {
  // A query string makes Node evaluate register.js a second time, as a second installed copy would be.
  const receiver = await startReceiver(t);
  const second = `${pathToFileURL(REGISTER_PATH).href}?copy=2`;
  const result = await run(receiver, APP, { env: { NODE_OPTIONS: `--import ${second}` } });
  assert.equal(result.code, 0);
  const lines = result.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0], /^@org\/obs: loaded twice/);
  await receiver.waitForLog((l) => l.body === 'hello served', WAIT);
  await receiver.waitForSpan((s) => s.kind === 'CLIENT' && s.attributes['url.path'] === '/hello', WAIT);
  assert.equal(serverSpans(receiver, '/hello'), 1);
  assert.equal(instanceIds(receiver).size, 1);
});

test('worker thread: the preload it inherits starts no second SDK; the main thread still traces the request the worker makes', async (t) => {
  const receiver = await startReceiver(t);
  const result = await run(receiver, WORKER_APP);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  assert.match(result.stdout, /"worker":"pong"/);
  await receiver.waitForSpan((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/from-worker', WAIT);
  await receiver.waitForMetric('http.server.request.duration', WAIT);
  assert.equal(instanceIds(receiver).size, 1, 'one SDK: one service.instance.id over all signals');
  // The worker has no SDK, so its fetch is not a CLIENT span of a second, parallel pipeline.
  assert.equal(receiver.spans.filter((s) => s.kind === 'CLIENT').length, 0);
  assert.equal(serverSpans(receiver, '/from-worker'), 1);
});

test('a bad variable value (OTEL_BSP_MAX_QUEUE_SIZE=abc): exactly one warning naming it and the default, the app runs and exports', async (t) => {
  const receiver = await startReceiver(t);
  const result = await run(receiver, APP, { env: { OTEL_BSP_MAX_QUEUE_SIZE: 'abc' } });
  assert.equal(result.code, 0);
  const lines = result.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0], /^@org\/obs: OTEL_BSP_MAX_QUEUE_SIZE="abc" .*using 2048$/);
  assert.match(result.stdout, /"status":200,"body":"hello"/);
  await receiver.waitForSpan((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/hello', WAIT);
  await receiver.waitForLog((l) => l.body === 'hello served', WAIT);
});

// Pins d874009: getModuleDefinitions() re-runs init(), so the patch state must come from the live definitions.
test('OBS_DOCTOR_REPORT: the status file lists pg, redis, ioredis, express and pino as patched once the app loaded them, and the app\'s listening ports, not ours', async (t) => {
  const receiver = await startReceiver(t);
  const report = path.join(os.tmpdir(), `obs-e2e-report-${process.pid}-${Date.now()}.json`);
  t.after(() => rmSync(report, { force: true }));
  const proc = await runFixture(fixture('e2e-esm', 'server.mjs'), {
    cwd: fixturesDir,
    env: { ...receiver.envFor(), OTEL_METRIC_EXPORT_INTERVAL: '5000', OBS_DOCTOR_REPORT: report, OTEL_METRICS_EXPORTER: 'otlp,prometheus', OTEL_EXPORTER_PROMETHEUS_PORT: '0' },
    waitForStdout: /listening on (\d+)/, readyTimeoutMs: 30_000, t,
  });
  proc.kill('SIGTERM');
  assert.equal((await proc.exited).code, 0);
  const status = JSON.parse(readFileSync(report, 'utf8')) as {
    active: boolean; esmHook: string; instrumentations: { name: string; patched: boolean }[]; listening: { host: string; port: number }[];
  };
  assert.equal(status.active, true);
  // In listen order (obs doctor sends its proof request to the first); the Prometheus endpoint is ours, not listed.
  assert.equal(status.listening.length, 2, JSON.stringify(status.listening));
  assert.deepEqual(status.listening[1], { host: '127.0.0.1', port: Number(proc.ready?.[1]) });
  assert.equal(status.esmHook, 'registered');
  const patched = new Set(status.instrumentations.filter((i) => i.patched).map((i) => i.name));
  for (const name of ['pg', 'redis', 'ioredis', 'express', 'pino']) assert.ok(patched.has(name), `${name} patched: ${JSON.stringify(status.instrumentations)}`);
});

test('started through NODE_OPTIONS="--import @org/obs/register" alone: instrumented as with the flag, nothing on stderr', async (t) => {
  const receiver = await startReceiver(t);
  const result = await run(receiver, APP, { preload: false, env: { NODE_OPTIONS: '--import @org/obs/register' } });
  assert.equal(result.code, 0);
  assert.equal(result.stderr, '');
  const server = await receiver.waitForSpan((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/hello', WAIT);
  const record = await receiver.waitForLog((l) => l.body === 'hello served', WAIT);
  assert.equal(record.traceId, server.traceId);
});

test('a module loaded before the preload (node --require pg --import @org/obs/register): one warning naming it, the app runs', async (t) => {
  const receiver = await startReceiver(t);
  const result = await run(receiver, APP, { nodeArgs: ['--require', 'pg'] });
  assert.equal(result.code, 0);
  const lines = result.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0], /^@org\/obs: pg\/pg-pool was loaded before @org\/obs/);
  await receiver.waitForSpan((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/hello', WAIT);
});

/** An installed Node older than 22.15 to try the preload on (this machine kind's system Node is 20). */
function olderNode(): string | undefined {
  for (const bin of ['/usr/bin/node', '/usr/local/bin/node']) {
    try {
      const v = execFileSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
      const [major, minor] = v.split('.').map(Number);
      if (major < 22 || (major === 22 && minor < 15)) return bin;
    } catch {
      // not installed here
    }
  }
  return undefined;
}

const OLD_NODE = olderNode();
for (const flag of ['--import', '--require'] as const) {
  test(`Node older than 22.15 with ${flag} @org/obs/register: one line, the app runs untouched with its exit code and output`, { skip: !OLD_NODE && 'no Node older than 22.15 installed' }, async (t) => {
    const receiver = await startReceiver(t);
    const plain = await runFixtureToExit(APP, { cwd: fixturesDir, preload: false, nodeBinary: OLD_NODE, timeoutMs: 60_000 });
    const result = await run(receiver, APP, { nodeBinary: OLD_NODE, preloadFlag: flag, preloadSpecifier: '@org/obs/register' });
    assert.equal(result.code, plain.code);
    // The app's pino lines differ only in time and pid: without us, no trace_id is added to them.
    // Sorted: pino's stream and console.log are two writers, whose order the app does not fix (a
    // loaded CI box once printed the fetch result before the log line).
    const shape = (out: string) => out.replace(/"time":\d+,"pid":\d+/g, '').split('\n').sort().join('\n');
    assert.equal(shape(result.stdout), shape(plain.stdout));
    const lines = result.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0], /^@org\/obs: Node v\d+\.\d+\.\d+ is not supported \(@org\/obs 0\.2 needs 22\.15 or newer/);
    assert.equal(receiver.spans.length, 0);
  });
}
