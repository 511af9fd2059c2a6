// Packs the repo once per matrix run, as `npm publish` would ship it, so cells install what users get.
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { CACHE, REPO } from './paths.mjs';
import { run } from './exec.mjs';

/** Builds dist/ and packs @org/obs; returns the tarball path at a fixed name. */
export async function packRepo({ log = console.error } = {}) {
  mkdirSync(CACHE, { recursive: true });
  // tsc emits even when some file has type errors; the matrix should still say what runs, so build
  // here, report type errors, and pack without the prepack script (which would stop on them).
  await run(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
    cwd: REPO,
  }).catch((err) => log(`matrix: tsc reported errors (packing what it emitted):\n${err.message}`));
  await run('npm', ['pack', '--ignore-scripts', '--pack-destination', CACHE], { cwd: REPO });
  const { version } = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  // A fixed name keeps the install sets' package.json stable between runs and versions.
  const tarball = path.join(CACHE, 'org-obs.tgz');
  renameSync(path.join(CACHE, `org-obs-${version}.tgz`), tarball);
  return tarball;
}
