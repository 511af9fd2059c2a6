// The app's own package.json (nearest to its entry script), read once: name and version feed the resource.
import { dirname, resolve } from 'node:path';
import { nearestPackageJson } from './package-json.js';

export interface AppPackage {
  readonly dir: string;
  readonly name?: string;
  readonly version?: string;
  readonly type?: string;
}

let cached: AppPackage | undefined;

/** The folder the app starts from: its entry script's folder, else the working directory. */
export function appDir(): string {
  const entry = process.argv[1];
  return entry ? dirname(resolve(entry)) : process.cwd();
}

export function appPackage(): AppPackage {
  if (cached) return cached;
  const found = nearestPackageJson(appDir());
  const pkg = found?.json ?? {};
  cached = {
    dir: found?.dir ?? appDir(),
    name: typeof pkg.name === 'string' && pkg.name !== '' ? pkg.name : undefined,
    version: typeof pkg.version === 'string' && pkg.version !== '' ? pkg.version : undefined,
    type: typeof pkg.type === 'string' ? pkg.type : undefined,
  };
  return cached;
}
