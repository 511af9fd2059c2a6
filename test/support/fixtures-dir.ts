// Where the repository and its (uncompiled) test fixtures are, whether running from src or dist.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === '@org/obs') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no @org/obs package.json above ${start}`);
  }
}

/** The repository root (the folder of @org/obs's package.json). */
export const repoRoot = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

/** test/fixtures in the source tree: fixtures are plain JS and are not compiled into dist/. */
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');

/** Absolute path of a fixture, e.g. fixture('http-server.mjs'). */
export function fixture(...parts: string[]): string {
  return path.join(fixturesDir, ...parts);
}
