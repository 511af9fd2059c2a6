// The app's own package.json (nearest to its entry script), read once: name and version feed the resource.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

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
  let dir = appDir();
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      cached = {
        dir,
        name: typeof pkg.name === 'string' && pkg.name !== '' ? pkg.name : undefined,
        version: typeof pkg.version === 'string' && pkg.version !== '' ? pkg.version : undefined,
        type: typeof pkg.type === 'string' ? pkg.type : undefined,
      };
      return cached;
    } catch {
      // no readable package.json here: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  cached = { dir: appDir() };
  return cached;
}
