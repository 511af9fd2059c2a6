// Static facts about the project in a folder: its package.json, module system, entry point, and the
// installed versions of the modules the preload instruments (read from node_modules, never imported).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { NOT_COVERED, SUPPORTED, isSupportedVersion } from '../../supported.js';

export interface PackageJson {
  name?: string;
  type?: string;
  main?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export interface ModuleFact {
  readonly module: string;
  readonly declared: string;
  readonly installedVersion?: string;
  readonly supported?: boolean;
  readonly range?: string;
  readonly instrumentation?: string;
  readonly notCovered?: string;
}

export interface ProjectFacts {
  readonly dir: string;
  readonly packageJson?: PackageJson;
  readonly moduleSystem: 'esm' | 'cjs';
  readonly entry?: string;
  readonly modules: readonly ModuleFact[];
  /** Where @org/obs resolves from this folder, if it does. */
  readonly obsResolved?: string;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Node's lookup, by hand: nearest node_modules/<name>/package.json walking up (ignores "exports"). */
export function installedVersion(dir: string, name: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    const pkg = readJson<{ version?: string }>(path.join(current, 'node_modules', name, 'package.json'));
    if (pkg?.version) return pkg.version;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

function entryOf(dir: string, pkg: PackageJson | undefined): string | undefined {
  const start = pkg?.scripts?.start;
  const fromStart = start ? /\bnode\b[^&|;]*?\s([^\s-][^\s]*\.(?:[cm]?js|ts))\b/.exec(start)?.[1] : undefined;
  const candidates = [fromStart, pkg?.main, 'server.js', 'index.js', 'app.js', 'server.mjs', 'index.mjs', 'server.cjs', 'index.cjs'];
  return candidates.find((c): c is string => typeof c === 'string' && existsSync(path.join(dir, c)));
}

export function moduleSystemOf(entry: string | undefined, pkg: PackageJson | undefined): 'esm' | 'cjs' {
  if (entry?.endsWith('.mjs') || entry?.endsWith('.mts')) return 'esm';
  if (entry?.endsWith('.cjs') || entry?.endsWith('.cts')) return 'cjs';
  return pkg?.type === 'module' ? 'esm' : 'cjs';
}

/** The nearest package.json at or above dir, as Node finds it to decide the module system. */
function nearestPackageJson(dir: string): PackageJson | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const pkg = readJson<PackageJson>(path.join(current, 'package.json'));
    if (pkg) return pkg;
    if (path.dirname(current) === current) return undefined;
  }
}

export function inspectProject(dir: string): ProjectFacts {
  const packageJson = nearestPackageJson(dir);
  // What runs in production: devDependencies (test tools, benchmarks) are not the service's libraries.
  const declared: Record<string, string> = {
    ...packageJson?.optionalDependencies,
    ...packageJson?.dependencies,
  };
  const modules: ModuleFact[] = [];
  for (const [name, spec] of Object.entries(declared)) {
    const entry = SUPPORTED[name];
    if (entry && !entry.via) {
      const version = installedVersion(dir, name);
      modules.push({
        module: name,
        declared: spec,
        installedVersion: version,
        supported: version === undefined ? undefined : isSupportedVersion(name, version),
        range: entry.range,
        instrumentation: entry.instrumentation,
      });
    } else if (NOT_COVERED[name]) {
      modules.push({ module: name, declared: spec, installedVersion: installedVersion(dir, name), notCovered: NOT_COVERED[name] });
    }
  }
  let obsResolved: string | undefined;
  try {
    obsResolved = createRequire(path.join(dir, 'package.json')).resolve('@org/obs/package.json');
  } catch {
    obsResolved = undefined;
  }
  const entry = entryOf(dir, packageJson);
  return { dir, packageJson, moduleSystem: moduleSystemOf(entry, packageJson), entry, modules, obsResolved };
}
