// The start-up bundle (scripts/bundle.mjs) and the compile cache: what the preload loads before the
// app's first line, through --import and --require, and that the cache is written, can be turned
// off and never disturbs the app when it cannot be written.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fixture, repoRoot } from './support/fixtures-dir.js';
import { runFixtureToExit } from './support/spawn.js';

const APP = fixture('startup-modules.cjs');
// NODE_COMPILE_CACHE of the test's own environment would take precedence over ours: removed.
const ENV = { NODE_COMPILE_CACHE: undefined, OTEL_SERVICE_NAME: 'bundle', OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' };
// What may be in require.cache from node_modules before the app: import-in-the-middle (the ESM hook and
// its helper, loaded from disk) and the entries src/sdk/shared-package.ts and src/export/shared-sdk.ts
// make for bundled packages (the API copies, core, sdk-metrics, resources: one file each).
const ALLOWED = /node_modules\/(@opentelemetry\/(api|api-logs|core|sdk-metrics|resources)|import-in-the-middle|module-details-from-path)\//;

async function loadedBeforeFirstLine(preloadFlag: '--import' | '--require', env: Record<string, string | undefined> = {}): Promise<string[]> {
  const result = await runFixtureToExit(APP, { preloadFlag, env: { ...ENV, ...env } });
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout.split('\n')[0]) as string[];
}

for (const flag of ['--import', '--require'] as const) {
  test(`${flag}: node:crypto is not loaded before the app's first line (5-10 ms of start-up; ids need it later)`, async () => {
    const result = await runFixtureToExit(APP, { preloadFlag: flag, env: { ...ENV, OTEL_TRACES_EXPORTER: 'otlp', OTEL_METRICS_EXPORTER: 'otlp', OTEL_LOGS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1', OBS_SHUTDOWN_TIMEOUT: '200' } });
    const builtins = JSON.parse(result.stdout.split('\n')[1]) as string[];
    assert.ok(builtins.includes('internal/modules/cjs/loader'), 'the list is read');
    assert.deepEqual(builtins.filter((m) => m === 'crypto' || m.startsWith('internal/crypto/')), []);
  });

  test(`${flag}: before the app's first line, none of our dist/src files and no SDK package beside the API copies is loaded`, async () => {
    const files = await loadedBeforeFirstLine(flag);
    const ours = files.filter((f) => f.startsWith(path.join(repoRoot, 'dist') + path.sep));
    // The entry itself is one file; nothing of dist/src/ is loaded beside it.
    assert.deepEqual(ours.filter((f) => f.includes(`${path.sep}dist${path.sep}src${path.sep}`)), []);
    const modules = files.filter((f) => f.includes(`${path.sep}node_modules${path.sep}`));
    assert.deepEqual(modules.filter((f) => !ALLOWED.test(f)), []);
    // The API copy the probes and the resolution hook reason about is the one in node_modules: the
    // bundled copy stands in require.cache for its entry file, and none of its other 50 files is loaded.
    assert.ok(modules.some((f) => f.endsWith('/node_modules/@opentelemetry/api/dist/index.cjs')), files.join('\n'));
    assert.deepEqual(modules.filter((f) => /\/node_modules\/@opentelemetry\/(api|api-logs|core|sdk-metrics|resources)\//.test(f) && !f.endsWith('/index.cjs') && !f.endsWith('/build/src/index.js')), []);
  });
}

test('compile cache: written under the temporary folder, not with OBS_COMPILE_CACHE=0, and an unwritable folder changes nothing for the app', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'obs-ccache-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const on = mkdtempSync(path.join(dir, 'on-'));
  const off = mkdtempSync(path.join(dir, 'off-'));
  await loadedBeforeFirstLine('--import', { TMPDIR: on });
  assert.ok(readdirSync(path.join(on, 'node-compile-cache')).length > 0);
  await loadedBeforeFirstLine('--import', { TMPDIR: off, OBS_COMPILE_CACHE: '0' });
  assert.equal(existsSync(path.join(off, 'node-compile-cache')), false);
  // A "folder" below a plain file cannot be created: Node reports a failure status, the app sees nothing.
  const file = path.join(dir, 'file');
  writeFileSync(file, '');
  for (const flag of ['--import', '--require'] as const) {
    const result = await runFixtureToExit(APP, { preloadFlag: flag, env: { ...ENV, TMPDIR: path.join(file, 'below') } });
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
  }
});

test('service.instance.id without node:crypto: UUID v4 shape (version 4, variant 10), 20,000 draws all distinct', async () => {
  const { randomUuidV4 } = await import('../src/sdk/resource.js');
  const seen = new Set<string>();
  for (let i = 0; i < 20_000; i++) {
    const id = randomUuidV4();
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    seen.add(id);
  }
  assert.equal(seen.size, 20_000);
});
