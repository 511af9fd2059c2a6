// Pins src/instrumentations/supported.ts to the instrumentations actually installed, and its range matcher to semver.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { OWN_PATCH, SUPPORTED, satisfiesRange, isSupportedVersion } from '../src/instrumentations/supported.js';

const require = createRequire(import.meta.url);

interface ModuleDefinition { name: string; supportedVersions: string[] }
type InstrumentationClass = new (config: object) => { getModuleDefinitions(): ModuleDefinition[] };

/** Module name → every range the installed instrumentation package declares for it. */
function declaredRanges(instrumentationPackage: string): Map<string, string[]> {
  const exports = require(instrumentationPackage) as Record<string, unknown>;
  const Cls = Object.values(exports).find(
    (v): v is InstrumentationClass => typeof v === 'function' && /Instrumentation$/.test(v.name),
  );
  assert.ok(Cls, `${instrumentationPackage} exports an Instrumentation class`);
  const ranges = new Map<string, string[]>();
  for (const def of new Cls({ enabled: false }).getModuleDefinitions()) {
    ranges.set(def.name, [...(ranges.get(def.name) ?? []), ...def.supportedVersions]);
  }
  return ranges;
}

test('every SUPPORTED range is exactly what the pinned instrumentation declares', () => {
  for (const [moduleName, entry] of Object.entries(SUPPORTED)) {
    if (entry.instrumentation === OWN_PATCH) continue; // our own ranges: the matrix is their evidence
    const declared = declaredRanges(entry.instrumentation).get(moduleName);
    assert.ok(declared, `${entry.instrumentation} declares a definition for ${moduleName}`);
    const ours = entry.range.split('||').map((r) => r.trim());
    for (const r of declared) assert.ok(ours.includes(r), `${moduleName}: declared range "${r}" missing from "${entry.range}"`);
    // Extra alternatives are only allowed where another module carries the patch (redis 4+ → @redis/client).
    if (!entry.through) assert.equal(ours.length, declared.length, `${moduleName}: "${entry.range}" adds ranges`);
  }
});

test('every instrumented module of the pinned instrumentations has a SUPPORTED entry', () => {
  const packages = new Set(Object.values(SUPPORTED).map((e) => e.instrumentation).filter((p) => p !== OWN_PATCH));
  for (const pkg of packages) {
    for (const moduleName of declaredRanges(pkg).keys()) {
      assert.ok(SUPPORTED[moduleName], `${pkg} patches ${moduleName}, which SUPPORTED does not list`);
    }
  }
});

test('every module the preload instruments has a SUPPORTED entry naming the same instrumentation', async () => {
  const { ALL_SPECS: specs } = await import('../src/instrumentations/index.js');
  for (const spec of specs) {
    for (const moduleName of spec.modules) {
      const entry = SUPPORTED[moduleName];
      assert.ok(entry, `the preload's ${spec.name} spec patches ${moduleName}, which SUPPORTED does not list`);
      assert.equal(entry.instrumentation, spec.package, `${moduleName}: instrumentation package`);
      assert.equal(entry.name, spec.name, `${moduleName}: instrumentation name`);
    }
  }
});

test('satisfiesRange agrees with the semver package on the range forms the instrumentations use', () => {
  const semver = require('semver') as { satisfies(v: string, r: string, o: object): boolean };
  const ranges = [
    '>=8.0.3 <9', '^1.0.0 || ^5.0.0 || ^6.0.0', '>=3 <4 || >=1 <3', '>=5.14.0 <11', '>=2.0.0 <7',
    '~1.2.3', '1.x', '^0.3.1', '>1.0.0 <=2.0.0', '=1.2.3',
  ];
  const versions = [
    '0.3.0', '0.3.5', '0.4.0', '1.0.0', '1.2.3', '1.2.9', '1.3.0', '2.0.0', '2.9.9', '3.0.0', '3.19.0',
    '4.0.0', '5.0.0', '5.13.9', '5.14.0', '6.0.0-beta.1', '6.0.0', '6.3.1', '7.0.0', '7.0.0-rc.1',
    '8.0.2', '8.0.3', '8.23.1', '9.0.0', '10.4.0', '11.0.0',
  ];
  for (const r of ranges) {
    for (const v of versions) {
      assert.equal(satisfiesRange(v, r), semver.satisfies(v, r, { includePrerelease: true }), `${v} in ${r}`);
    }
  }
});

test('isSupportedVersion answers per module and is undefined for modules we do not instrument', () => {
  assert.equal(isSupportedVersion('pg', '8.23.1'), true);
  assert.equal(isSupportedVersion('pg', '7.18.2'), false);
  assert.equal(isSupportedVersion('redis', '5.9.0'), true);
  assert.equal(isSupportedVersion('bunyan', '2.0.5'), false);
  assert.equal(isSupportedVersion('fastify', '5.12.8'), true);
  assert.equal(isSupportedVersion('fastify', '3.29.5'), false);
  assert.equal(isSupportedVersion('left-pad', '1.0.0'), undefined);
});
