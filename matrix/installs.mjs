// Install sets: one throw-away npm project per stack with the packed @org/obs and the stack's library versions.
//
// Node version and module system do not change what npm installs, so all cells of a stack share one
// install (.matrix-cache/installs/<stack>/) and link to it. The packed @org/obs is reinstalled on every
// run; the libraries come from npm's shared cache after the first run.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CACHE } from './paths.mjs';
import { run } from './exec.mjs';

export function installDir(stack) {
  return path.join(CACHE, 'installs', stack.id);
}

function manifest(stack, tarball) {
  const dependencies = { '@org/obs': `file:${tarball}` };
  for (const lib of stack.libs) if (!lib.module.startsWith('node:')) dependencies[lib.module] = lib.spec;
  Object.assign(dependencies, stack.extra ?? {});
  return { name: `matrix-${stack.id}`, private: true, dependencies };
}

/** Installs (or refreshes) one stack; returns the resolved version of each library in it. */
export async function installStack(stack, tarball) {
  const dir = installDir(stack);
  mkdirSync(dir, { recursive: true });
  const pkgFile = path.join(dir, 'package.json');
  const next = JSON.stringify(manifest(stack, tarball), null, 2);
  const same = existsSync(pkgFile) && readFileSync(pkgFile, 'utf8') === next;
  // The tarball changes every run while its file: spec does not; dropping the lock and the old copy
  // makes npm take the new one (and newest patch releases of the library ranges) from its cache.
  rmSync(path.join(dir, 'package-lock.json'), { force: true });
  rmSync(path.join(dir, 'node_modules', '@org', 'obs'), { recursive: true, force: true });
  if (!same) rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
  writeFileSync(pkgFile, next);
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
  return resolvedVersions(stack);
}

export function installedVersion(stack, moduleName) {
  const file = path.join(installDir(stack), 'node_modules', moduleName, 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : undefined;
}

/** Module → installed version, including the modules that carry a patch for another (redis → @redis/client). */
export function resolvedVersions(stack) {
  const versions = {};
  for (const lib of stack.libs) {
    versions[lib.module] = lib.module.startsWith('node:') ? null : installedVersion(stack, lib.module);
  }
  for (const inner of ['@redis/client', '@node-redis/client']) {
    const v = installedVersion(stack, inner);
    if (v) versions[inner] = v;
  }
  return versions;
}
