// package.json files as Node finds them: one reader and one walk up the folders, shared by the preload
// (the app's name, version and module type) and `obs doctor` (the project it inspects).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** A JSON file's contents, or undefined when it is missing or unreadable. */
export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** The nearest readable package.json at or above dir (how Node decides the module system), and its folder. */
export function nearestPackageJson<T = Record<string, unknown>>(dir: string): { dir: string; json: T } | undefined {
  for (let current = resolve(dir); ; current = dirname(current)) {
    const json = readJson<T>(join(current, 'package.json'));
    if (json !== undefined) return { dir: current, json };
    if (dirname(current) === current) return undefined;
  }
}
