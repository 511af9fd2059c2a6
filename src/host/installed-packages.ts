// Which packages the app can load, and their versions, found by walking node_modules folders up from
// the app: a few stat calls instead of resolving, so start-up stays cheap.
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

function searchRoots(start: string): string[] {
  const roots: string[] = [];
  let dir = start;
  for (;;) {
    roots.push(join(dir, 'node_modules'));
    const parent = dirname(dir);
    if (parent === dir) return roots;
    dir = parent;
  }
}

export interface InstalledPackage {
  readonly dir: string;
  readonly version: string;
}

const cache = new Map<string, InstalledPackage | null>();

/** The package folder and version the app would find, or undefined. */
export function installedPackage(name: string, fromDirs: readonly string[]): InstalledPackage | undefined {
  const key = name + '\0' + fromDirs.join('\0');
  const hit = cache.get(key);
  if (hit !== undefined) return hit ?? undefined;
  let found: InstalledPackage | null = null;
  outer: for (const from of fromDirs) {
    for (const root of searchRoots(from)) {
      try {
        // The real folder, as Node's module cache keys it: through a symlinked node_modules (pnpm, a
        // linked workspace) the app's copy and the one we resolve are the same copy, not two.
        const dir = realpathSync(join(root, name));
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: unknown };
        found = { dir, version: typeof pkg.version === 'string' ? pkg.version : '0.0.0' };
        break outer;
      } catch {
        // not in this folder
      }
    }
  }
  cache.set(key, found);
  return found ?? undefined;
}

/** The installed version of a package as the app would find it, or undefined. */
export function installedVersion(name: string, fromDirs: readonly string[]): string | undefined {
  return installedPackage(name, fromDirs)?.version;
}
