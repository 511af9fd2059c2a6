// The OpenTelemetry API packages as the start-up bundle holds them, entered into require.cache as the
// very copy the process resolves from node_modules (scripts/bundle.mjs routes every bundled import of
// @opentelemetry/api and api-logs here). Why: loading the API from node_modules is 51 CommonJS files
// (api-logs 8 more), each resolved, read and compiled or cache-checked before the app's first line —
// the largest single start-up cost after the bundle itself (~20 % of it, timed per module init). One
// copy stays one copy: the bundled module object becomes require.cache's entry for the file
// `@opentelemetry/api` resolves to, so our SDK, the exporters and a CommonJS app that resolves the same
// file all share it, and the app-API probes (app-api.ts) see the same folder and version as before.
// When that file is already loaded, or holds another version than the one bundled, the file on disk
// is used, as without the bundle. (An ES module app gets the package's .mjs build in both cases.)
import { readFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function versionAt(entryFile: string, pkg: string): string | undefined {
  const tail = join('node_modules', pkg);
  let dir = dirname(entryFile);
  while (!dir.endsWith(tail) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * Enters `bundled()` into require.cache as the file `pkg` resolves to (`file`), when nothing is cached
 * there yet and that file is the very version bundled. Whether it did.
 */
export function enterBundled(pkg: string, file: string, version: string, bundled: () => unknown): boolean {
  if (require.cache[file] !== undefined || versionAt(file, pkg) !== version) return false;
  const mod = new Module(file);
  mod.filename = file;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dirname(file));
  mod.exports = bundled();
  mod.loaded = true;
  require.cache[file] = mod;
  return true;
}

/** The module object of `pkg` the process resolves: the bundled one (`bundled`, of `version`) when it can stand for it. */
export function sharedPackage(pkg: string, version: string, bundled: () => unknown): unknown {
  let file: string;
  try {
    file = require.resolve(pkg);
  } catch {
    // not installed beside us (a bundle copied alone): the bundled copy is the only one there is
    return bundled();
  }
  const cached = require.cache[file];
  if (cached?.loaded) return cached.exports;
  return enterBundled(pkg, file, version, bundled) ? require.cache[file]!.exports : require(file);
}
