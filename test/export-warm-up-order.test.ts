// The warm-up's load order (src/export/warm-up.ts): dependencies before dependents, built-ins as steps
// of their own, and a require cycle entered by the file Node's own order enters it by, so no file is
// loaded against a half-built neighbour (grpc-js's client.js failed so, and the next step then loaded
// the whole cycle at once).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadOrder } from '../src/export/warm-up.js';

function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'obs-warm-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body);
  return dir;
}

test('a cycle is loaded through its entry, each file once and without a failure; built-ins are their own steps', async (t) => {
  const dir = fixture({
    'entry.js': "const a = require('./a');\nconst z = require('zlib');\nexports.ok = a.made instanceof a.Base && typeof z.gzipSync === 'function';\n",
    // a defines Base before it requires b; b extends Base at its top level: fine when a is entered first,
    // a TypeError when b is (a's require of b then gets b half-built, without make).
    'a.js': "exports.Base = class Base {};\nconst b = require('./b');\nexports.made = b.make();\n",
    'b.js': "globalThis.__obsWarmB = (globalThis.__obsWarmB ?? 0) + 1;\nconst a = require('./a');\nclass Sub extends a.Base {}\nexports.make = () => new Sub();\n",
    // needs b, a member of the cycle: must not be loaded before a is.
    'c.js': "const b = require('./b');\nexports.c = typeof b.make;\n",
    'entry2.js': "require('./c');\nrequire('./a');\n",
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const order = await loadOrder([path.join(dir, 'entry.js')], () => false, () => false);
  const names = order.map((f) => (f.startsWith('node:') ? f : path.basename(f)));
  assert.deepEqual(names, ['a.js', 'node:zlib', 'entry.js'], 'b.js is loaded by a.js, the file the cycle is entered by');

  const req = createRequire(path.join(dir, 'x.js'));
  for (const file of order) req(file);
  assert.equal((globalThis as { __obsWarmB?: number }).__obsWarmB, 1, 'b.js evaluated once');
  assert.equal(req(path.join(dir, 'entry.js')).ok, true);

  const second = await loadOrder([path.join(dir, 'entry2.js')], (f) => req.cache[f] !== undefined, () => false);
  assert.deepEqual(second.map((f) => path.basename(f)), ['c.js', 'entry2.js'], 'files of a loaded cycle are plain dependencies');
});

test('a file needing a cycle member before the cycle is entered waits for the entry', async (t) => {
  const dir = fixture({
    'a.js': "exports.Base = class Base {};\nconst b = require('./b');\nconst d = require('./d');\nexports.made = b.make();\nexports.d = d;\n",
    'b.js': "const a = require('./a');\nclass Sub extends a.Base {}\nexports.make = () => new Sub();\n",
    'd.js': "const b = require('./b');\nexports.d = typeof b.make;\n",
  });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const order = await loadOrder([path.join(dir, 'a.js')], () => false, () => false);
  assert.deepEqual(order.map((f) => path.basename(f)), ['a.js'], 'd.js waits: required alone it would enter the cycle by b.js');
  const req = createRequire(path.join(dir, 'x.js'));
  for (const file of order) req(file);
  assert.equal(req(path.join(dir, 'a.js')).d.d, 'function');
});
