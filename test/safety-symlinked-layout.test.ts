// A pnpm-style layout: the app's node_modules/@opentelemetry/api and @org/obs are symlinks into a store
// (here, this repo). Seen from the app the API is at a path of its own, yet it is the copy we resolve,
// not a second one; under --require that misreading pinned "older copies" through the CommonJS bundle's
// resolver, which threw on the API's exports and the preload did not start (0.2.0 before this fix).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startReceiver } from './support/receiver.js';
import { runFixtureToExit } from './support/spawn.js';

const repoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const apiDir = realpathSync(path.join(repoDir, 'node_modules', '@opentelemetry', 'api'));

const APP = `const api = require('@opentelemetry/api');
const span = api.trace.getTracer('app').startSpan('manual-in-linked-layout');
console.log('recording ' + span.isRecording());
span.end();
`;

for (const flag of ['--require', '--import'] as const) {
  test(`symlinked node_modules (pnpm layout), ${flag}: the preload starts and the app's API copy reaches our tracer`, async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'obs-linked-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    mkdirSync(path.join(dir, 'node_modules', '@opentelemetry'), { recursive: true });
    mkdirSync(path.join(dir, 'node_modules', '@org'), { recursive: true });
    symlinkSync(apiDir, path.join(dir, 'node_modules', '@opentelemetry', 'api'), 'dir');
    symlinkSync(repoDir, path.join(dir, 'node_modules', '@org', 'obs'), 'dir');
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'linked-app', private: true }));
    writeFileSync(path.join(dir, 'app.cjs'), APP);
    const receiver = await startReceiver(t);
    const run = await runFixtureToExit(path.join(dir, 'app.cjs'), {
      cwd: dir, preloadSpecifier: '@org/obs/register', preloadFlag: flag, env: { ...receiver.envFor(), OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' }, timeoutMs: 60_000,
    });
    assert.doesNotMatch(run.stderr, /failed to start/, run.stderr);
    assert.match(run.stdout, /recording true/);
    await receiver.waitForSpan((s) => s.name === 'manual-in-linked-layout', { timeoutMs: 30_000 });
  });
}
