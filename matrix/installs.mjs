// Install sets: one throw-away npm project per stack with the packed @org/obs and the stack's library versions.
//
// Node version and module system do not change what npm installs, so all cells of a stack share one
// install (.matrix-cache/installs/<stack>/) and link to it. The packed @org/obs is reinstalled on every
// run; the libraries come from npm's shared cache after the first run.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CACHE } from './paths.mjs';
import { run } from './exec.mjs';

export function installDir(stack) {
  return path.join(CACHE, 'installs', stack.id);
}

function manifest(stack, tarball) {
  const dependencies = stack.appApi ? {} : { '@org/obs': `file:${tarball}` };
  for (const lib of stack.libs) if (!lib.module.startsWith('node:')) dependencies[lib.module] = lib.spec;
  Object.assign(dependencies, stack.extra ?? {});
  return { name: `matrix-${stack.id}`, private: true, dependencies };
}

/**
 * Installs (or refreshes) one stack; returns the resolved version of each library in it, and for an
 * app-API stack what the install did (`install`). A failed app-API install throws with `install` attached.
 */
export async function installStack(stack, tarball) {
  if (stack.appApi) return installAppApiStack(stack, tarball);
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
  return { versions: resolvedVersions(stack) };
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
  for (const inner of ['@redis/client', '@node-redis/client', ...(stack.appApi ? ['@opentelemetry/api', '@opentelemetry/api-logs'] : [])]) {
    const v = installedVersion(stack, inner);
    if (v) versions[inner] = v;
  }
  return versions;
}

const NPM = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

/** The app's API packages as `npm install` arguments: the API at its spec, plus api-logs for a 1.9 app. */
function appApiPackages(appApi) {
  return [`@opentelemetry/api@${appApi.spec}`, ...(appApi.logs === 'api-logs' ? ['@opentelemetry/api-logs'] : [])];
}

/**
 * An app-API stack, the way a service gets there: its libraries first, then `npm install` of its own
 * @opentelemetry/api and of @org/obs in the stack's order, each a separate npm step from a fresh tree
 * (a reused tree would keep the previous run's placement). Plain npm, no --legacy-peer-deps or --force:
 * an ERESOLVE is a finding, reported with npm's own words. Returns the versions plus `install`: the
 * steps and every @opentelemetry/api(-logs) copy on disk with `npm ls`'s view of them.
 */
async function installAppApiStack(stack, tarball) {
  const dir = installDir(stack);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest(stack, tarball), null, 2));
  const app = appApiPackages(stack.appApi);
  const steps = [['npm', 'install'], ...(stack.appApi.order === 'before' ? [app, [tarball]] : [[tarball], app]).map((pkgs) => ['npm', 'install', ...pkgs])];
  /** @type {{ steps: { command: string, ok: boolean, output?: string }[], copies: any[], resolvedBy: Record<string, any>, npmLs: string }} */
  const install = { steps: [], copies: [], resolvedBy: {}, npmLs: '' };
  for (const [cmd, ...args] of steps) {
    const shown = [cmd, ...args].map((a) => (a === tarball ? '<packed @org/obs>' : a)).join(' ');
    try {
      await run(cmd, [...args, ...NPM], { cwd: dir });
      install.steps.push({ command: shown, ok: true });
    } catch (err) {
      install.steps.push({ command: shown, ok: false, output: err.message.split('\n').slice(1).join('\n').trim() });
      throw Object.assign(new Error(`\`${shown}\` failed: ${firstNpmError(err.message)}`), { install });
    }
  }
  install.copies = apiCopies(path.join(dir, 'node_modules'));
  install.resolvedBy = apiReaders(dir);
  // npm ls exits 1 on an invalid or missing peer; its whole text is part of the finding (run() keeps
  // only the tail of a failing command's output, hence the shell).
  install.npmLs = await run('sh', ['-c', 'npm ls @opentelemetry/api @opentelemetry/api-logs --all 2>&1; true'], { cwd: dir });
  install.npmLs = install.npmLs.replace(/^matrix-\S+ \S+\n/, '').trim();
  const versions = resolvedVersions(stack);
  return { versions, install };
}

/** npm's error code and first message line (ERESOLVE ... / Could not resolve ...). */
function firstNpmError(message) {
  const lines = message.split('\n').filter((l) => /npm (error|ERR!)/.test(l));
  return lines.slice(0, 3).map((l) => l.replace(/^npm (error|ERR!) ?/, '')).join(' ') || message.split('\n').slice(-2).join(' ');
}

/** Every @opentelemetry/api and api-logs folder under node_modules, with its version, relative to the app. */
export function apiCopies(nodeModules) {
  const out = [];
  const walk = (dir, depth) => {
    if (depth > 8 || !existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      if (name.startsWith('.')) continue;
      if (name.startsWith('@')) {
        for (const inner of readdirSync(path.join(dir, name))) visit(path.join(dir, name, inner), `${name}/${inner}`, depth);
      } else visit(path.join(dir, name), name, depth);
    }
  };
  const visit = (pkgDir, name, depth) => {
    if (name === '@opentelemetry/api' || name === '@opentelemetry/api-logs') {
      const { version } = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
      out.push({ path: path.relative(path.dirname(nodeModules), pkgDir), version });
    }
    walk(path.join(pkgDir, 'node_modules'), depth + 1);
  };
  walk(nodeModules, 0);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** The @opentelemetry/api folder Node's resolution finds from `pkgDir` (its own node_modules, then each parent's). */
function resolveApiFrom(pkgDir, root) {
  for (let dir = pkgDir; dir.startsWith(root); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', '@opentelemetry', 'api');
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === root) break;
  }
  return undefined;
}

/**
 * Which API copy each reader gets: the app itself and every @org/obs or @opentelemetry/* package on
 * disk, grouped by the copy Node's resolution hands it ("node_modules/@opentelemetry/api 1.9.1": [...]).
 * The evidence behind an app-API cell: a package that needs 1.10 but resolves 1.9 fails at load.
 */
export function apiReaders(appDir) {
  const readers = [['(the app)', appDir]];
  const walk = (nodeModules, depth) => {
    if (depth > 8 || !existsSync(nodeModules)) return;
    for (const scope of ['@opentelemetry', '@org']) {
      const scopeDir = path.join(nodeModules, scope);
      if (!existsSync(scopeDir)) continue;
      for (const name of readdirSync(scopeDir)) {
        const pkgDir = path.join(scopeDir, name);
        if (name !== 'api') readers.push([path.relative(appDir, pkgDir), pkgDir]);
        walk(path.join(pkgDir, 'node_modules'), depth + 1);
      }
    }
  };
  walk(path.join(appDir, 'node_modules'), 0);
  const out = {};
  for (const [label, dir] of readers) {
    const api = resolveApiFrom(dir, appDir);
    const key = api ? `${path.relative(appDir, api)} ${JSON.parse(readFileSync(path.join(api, 'package.json'), 'utf8')).version}` : '(none)';
    (out[key] ??= []).push(label.replace(/^node_modules\//, ''));
  }
  return out;
}
