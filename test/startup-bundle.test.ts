// The start-up bundle (scripts/bundle.mjs) and the compile cache: what the preload loads before the
// app's first line, through --import and --require, and that the cache is written, can be turned
// off and never disturbs the app when it cannot be written.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { Script } from 'node:vm';
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

/** The bundle's code-cache files under a TMPDIR's node-compile-cache (one folder per Node version and flags). */
function codeCacheFiles(tmp: string): string[] {
  const root = path.join(tmp, 'node-compile-cache');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((v) => readdirSync(path.join(root, v)).filter((f) => f.startsWith('obs-startup-')).map((f) => path.join(root, v, f)));
}

test('bundle code cache: the first active start writes it with the functions start-up compiled, later starts read it, a damaged one is replaced, a disabled start writes none', async (t) => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'obs-codecache-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  await loadedBeforeFirstLine('--import', { TMPDIR: tmp, OTEL_SDK_DISABLED: 'true' });
  assert.deepEqual(codeCacheFiles(tmp), [], 'a start that did nothing would stand in for a real one');

  // The fixture exits at once: the cache is written at exit, named by the bundle's hash.
  await loadedBeforeFirstLine('--import', { TMPDIR: tmp });
  const files = codeCacheFiles(tmp);
  assert.equal(files.length, 1, files.join('\n'));
  const file = files[0] as string;
  assert.match(path.basename(file), /^obs-startup-[0-9a-f]{16}\.v8$/);
  const written = readFileSync(file);
  // What Node's own compile cache holds of the bundle: the code compiled before it runs.
  const { wrapBundle } = await import('../src/lifecycle/startup-code-cache.js');
  const topLevelOnly = new Script(wrapBundle(readFileSync(path.join(repoRoot, 'dist', 'register-bundle.cjs'), 'utf8'))).createCachedData();
  assert.ok(written.length > 2 * topLevelOnly.length, `cache ${written.length} B against ${topLevelOnly.length} B of top-level code`);

  // Read by the next start, through either entry (one bundle), and left as it is.
  const before = statSync(file).mtimeMs;
  for (const flag of ['--require', '--import'] as const) {
    const result = await runFixtureToExit(APP, { preloadFlag: flag, env: { ...ENV, TMPDIR: tmp } });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
  }
  assert.equal(statSync(file).mtimeMs, before, 'an accepted cache is not written again');
  assert.deepEqual(readdirSync(path.dirname(file)).filter((f) => f.endsWith('.tmp')), []);

  // Damaged (same length, so only V8's own checks can tell): rejected, the app runs as before, replaced.
  const garbage = Buffer.alloc(written.length, 7);
  writeFileSync(file, garbage);
  const result = await runFixtureToExit(APP, { preloadFlag: '--import', env: { ...ENV, TMPDIR: tmp } });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  assert.equal(JSON.parse(result.stdout.split('\n')[0] as string).length > 0, true, 'the preload ran before the app');
  assert.notDeepEqual(readFileSync(file), garbage);
});

test('with --enable-source-maps the bundle loads through require() (Node maps its stack frames only then) and the ESM hook still registers through its own import()', async () => {
  for (const flag of ['--import', '--require'] as const) {
    const result = await runFixtureToExit(APP, { preloadFlag: flag, env: { ...ENV, NODE_OPTIONS: '--enable-source-maps' } });
    assert.equal(result.code, 0, result.stderr);
    // An ESM hook that failed to register says so on stderr.
    assert.equal(result.stderr, '');
    const files = JSON.parse(result.stdout.split('\n')[0] as string) as string[];
    assert.ok(files.includes(path.join(repoRoot, 'dist', 'register-bundle.cjs')), files.join('\n'));
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
