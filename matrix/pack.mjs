// Packs @org/obs once per matrix run, as `npm publish` would ship it, so cells install what users get.
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { CACHE, REPO } from './paths.mjs';
import { run } from './exec.mjs';

/**
 * The committed tree (git HEAD) in .matrix-cache/head/, sharing the repo's node_modules: packing
 * from there makes the results belong to one commit even while the work tree has edits in progress.
 */
export async function exportHead() {
  const dir = path.join(CACHE, 'head');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const archive = path.join(CACHE, 'head.tar');
  await run('git', ['archive', '--format=tar', '-o', archive, 'HEAD'], { cwd: REPO });
  await run('tar', ['-xf', archive, '-C', dir]);
  rmSync(archive);
  symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Builds dist/ in `source` (the repo, or an exported commit) and packs it; returns the tarball path. */
export async function packRepo({ source = REPO, log = console.error } = {}) {
  mkdirSync(CACHE, { recursive: true });
  // `npm run build`, step by step: tsc emits even when some file has type errors; the matrix should
  // still say what runs, so build here, report type errors, and pack without the prepack script
  // (which would stop on them). The start-up bundle and its entries are what ships as
  // dist/register.js/.cjs (tsc's own register.js only defines the start), so that step must succeed.
  const script = (name) => run(process.execPath, [path.join(source, 'scripts', name)], { cwd: source });
  await script('clean-dist.mjs');
  await run(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], {
    cwd: source,
  }).catch((err) => log(`matrix: tsc reported errors (packing what it emitted):\n${err.message}`));
  await script('copy-assets.mjs');
  await script('bundle.mjs');
  await run('npm', ['pack', '--ignore-scripts', '--pack-destination', CACHE], { cwd: source });
  const { version } = JSON.parse(readFileSync(path.join(source, 'package.json'), 'utf8'));
  // A fixed name keeps the install sets' package.json stable between runs and versions.
  const tarball = path.join(CACHE, 'org-obs.tgz');
  renameSync(path.join(CACHE, `org-obs-${version}.tgz`), tarball);
  return tarball;
}
