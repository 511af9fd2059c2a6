// A library's instrumentation is built when the app first resolves one of its modules
// (src/instrumentations/build-on-load.ts): once per library, before that module loads, so the first
// load is patched; end to end for a late require (CommonJS) and a late import (ES module).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { buildOnFirstLoad, packageOfUrl } from '../src/instrumentations/build-on-load.js';
import { fixture, fixturesDir } from './support/fixtures-dir.js';
import { startReceiver } from './support/receiver.js';
import { runFixtureToExit } from './support/spawn.js';

test('the package of a resolved file is the one after the last node_modules/, scoped names whole', () => {
  assert.equal(packageOfUrl('file:///app/node_modules/pg/lib/client.js'), 'pg');
  assert.equal(packageOfUrl('file:///app/node_modules/@redis/client/dist/index.js'), '@redis/client');
  assert.equal(packageOfUrl('file:///app/node_modules/pg/node_modules/pg-pool/index.js'), 'pg-pool');
  assert.equal(packageOfUrl('file:///app/node_modules/.pnpm/pg@8.13.0/node_modules/pg/lib/index.js'), 'pg');
  assert.equal(packageOfUrl('C:\\app\\node_modules\\ioredis\\built\\index.js'), 'ioredis');
  assert.equal(packageOfUrl('file:///app/src/pg/index.js'), undefined);
  assert.equal(packageOfUrl('node:http'), undefined);
});

test('built once per key at the first resolution of any of its modules, by name or by path; re-entrant requires do not build twice; stop() ends it', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'obs-build-on-load-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const name of ['lib-a', 'lib-a-helper', 'lib-b', 'other']) {
    mkdirSync(path.join(dir, 'node_modules', name), { recursive: true });
    writeFileSync(path.join(dir, 'node_modules', name, 'index.js'), `module.exports = { name: ${JSON.stringify(name)} };`);
    writeFileSync(path.join(dir, 'node_modules', name, 'deep.js'), 'module.exports = 1;');
  }
  const appRequire = createRequire(path.join(dir, 'app.js'));
  const built: string[] = [];
  const trigger = buildOnFirstLoad(new Map([['a', ['lib-a', 'lib-a-helper']], ['b', ['lib-b']]]), (key) => {
    built.push(key);
    // What building requires (a module of the same key) resolves through the hook again.
    appRequire('lib-a-helper');
  });
  assert.ok(trigger, 'Node 22.15+ has module.registerHooks');
  t.after(() => trigger.stop());
  appRequire('other');
  assert.deepEqual(built, []);
  // A file inside the package, by path: the package is read from the resolved file.
  appRequire(path.join(dir, 'node_modules', 'lib-a', 'deep.js'));
  assert.deepEqual(built, ['a']);
  appRequire('lib-a');
  appRequire('lib-a-helper');
  assert.deepEqual(built, ['a']);
  trigger.stop();
  appRequire('lib-b');
  assert.deepEqual(built, ['a'], 'nothing is built after stop()');
});

for (const file of ['app.cjs', 'app.mjs']) {
  test(`a library first loaded after start-up (${file === 'app.cjs' ? 'require' : 'import'} in a timer) is instrumented from that first load`, async (t) => {
    const receiver = await startReceiver(t);
    const result = await runFixtureToExit(fixture('late-load', file), {
      cwd: fixturesDir,
      timeoutMs: 60_000,
      env: { ...receiver.envFor(), OTEL_METRIC_EXPORT_INTERVAL: '5000' },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    await receiver.waitForSpan((s) => s.kind === 'CLIENT' && s.attributes['db.system.name'] === 'postgresql' && s.name.includes('SELECT'), { timeoutMs: 20_000 });
    await receiver.waitForSpan((s) => s.kind === 'CLIENT' && s.attributes['db.system.name'] === 'redis', { timeoutMs: 20_000 });
  });
}
