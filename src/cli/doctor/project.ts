// Static facts about the project in a folder: its package.json, module system, entry point, and the
// installed versions of the modules the preload instruments (read from node_modules, never imported).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { installedVersion } from '../../host/installed-packages.js';
import { moduleSystemOf } from '../../host/module-system.js';
import { nearestPackageJson } from '../../host/package-json.js';
import { NOT_COVERED, SUPPORTED, isSupportedVersion } from '../../instrumentations/supported.js';

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

function entryOf(dir: string, pkg: PackageJson | undefined): string | undefined {
  const start = pkg?.scripts?.start;
  const fromStart = start ? /\bnode\b[^&|;]*?\s([^\s-][^\s]*\.(?:[cm]?js|ts))\b/.exec(start)?.[1] : undefined;
  const candidates = [fromStart, pkg?.main, 'server.js', 'index.js', 'app.js', 'server.mjs', 'index.mjs', 'server.cjs', 'index.cjs'];
  return candidates.find((c): c is string => typeof c === 'string' && existsSync(path.join(dir, c)));
}

export function inspectProject(dir: string): ProjectFacts {
  const packageJson = nearestPackageJson<PackageJson>(dir)?.json;
  // What runs in production: devDependencies (test tools, benchmarks) are not the service's libraries.
  const declared: Record<string, string> = {
    ...packageJson?.optionalDependencies,
    ...packageJson?.dependencies,
  };
  const modules: ModuleFact[] = [];
  for (const [name, spec] of Object.entries(declared)) {
    const entry = SUPPORTED[name];
    if (entry && !entry.via) {
      const version = installedVersion(name, [dir]);
      modules.push({
        module: name,
        declared: spec,
        installedVersion: version,
        supported: version === undefined ? undefined : isSupportedVersion(name, version),
        range: entry.range,
        instrumentation: entry.instrumentation,
      });
    } else if (NOT_COVERED[name]) {
      modules.push({ module: name, declared: spec, installedVersion: installedVersion(name, [dir]), notCovered: NOT_COVERED[name] });
    }
  }
  let obsResolved: string | undefined;
  try {
    obsResolved = createRequire(path.join(dir, 'package.json')).resolve('@org/obs/package.json');
  } catch {
    obsResolved = undefined;
  }
  const entry = entryOf(dir, packageJson);
  return { dir, packageJson, moduleSystem: moduleSystemOf(entry, packageJson?.type), entry, modules, obsResolved };
}
