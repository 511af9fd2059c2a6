// The published package as a new user gets it: `npm pack` of the repo once per test file, and
// throw-away service folders that install the tarball with plain npm.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fixture, repoRoot } from './fixtures-dir.js';

export const exec = promisify(execFile);

/** npm's own environment (set when this runs under `npm test`) would point the child npm at our repo. */
export function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^npm_/i.test(k) && k !== 'INIT_CWD' && k !== 'NODE_TEST_CONTEXT' && !k.startsWith('OTEL_') && !k.startsWith('OBS_')) env[k] = v;
  }
  return env;
}

export interface Packed {
  readonly tmp: string;
  readonly tarball: string;
  /** A service folder from a fixture template, after the given npm installs ran in order. */
  service(name: string, template: { dir: string; files: readonly string[] }, installs: readonly (readonly string[])[]): Promise<string>;
  remove(): void;
}

export async function packRepo(): Promise<Packed> {
  assert.ok(existsSync(path.join(repoRoot, 'dist', 'register.js')), 'dist/ is missing: build first (npm test does)');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'obs-pack-'));
  // --ignore-scripts: prepack would rebuild dist/ while other tests run from it; npm test has just built it.
  const packed = await exec('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], {
    cwd: repoRoot, env: npmEnv(), maxBuffer: 16 * 1024 * 1024, timeout: 60_000,
  });
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  const tarball = path.join(tmp, filename);
  return {
    tmp,
    tarball,
    async service(name, template, installs) {
      const dir = path.join(tmp, name);
      mkdirSync(dir);
      for (const f of template.files) copyFileSync(fixture(template.dir, f), path.join(dir, f));
      for (const args of installs) {
        await exec('npm', ['install', ...args.map((a) => (a === '@org/obs' ? tarball : a)), '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
          cwd: dir, env: npmEnv(), maxBuffer: 16 * 1024 * 1024, timeout: 150_000,
        });
      }
      return dir;
    },
    remove: () => rmSync(tmp, { recursive: true, force: true }),
  };
}
