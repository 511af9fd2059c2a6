// Install footprint: how many packages and MB `npm install <package>` brings into an empty folder.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Counts installed packages (nested node_modules included) below `nodeModules`. */
export function countPackages(nodeModules) {
  let count = 0;
  const visit = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.name.startsWith('@')) {
        for (const scoped of readdirSync(full, { withFileTypes: true })) {
          if (scoped.isDirectory()) visitPackage(path.join(full, scoped.name));
        }
      } else visitPackage(full);
    }
  };
  const visitPackage = (dir) => {
    if (existsSync(path.join(dir, 'package.json'))) count++;
    visit(path.join(dir, 'node_modules'));
  };
  visit(nodeModules);
  return count;
}

export function diskMB(dir) {
  const kb = Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]);
  return kb / 1024;
}

/** The `n` biggest top-level packages (with what they nest), to show where install size goes. */
export function largestPackages(nodeModules, n) {
  const dirs = [];
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (entry.name.startsWith('@')) {
      for (const scoped of readdirSync(path.join(nodeModules, entry.name))) dirs.push(`${entry.name}/${scoped}`);
    } else dirs.push(entry.name);
  }
  return dirs
    .map((name) => ({ name, mb: Math.round(diskMB(path.join(nodeModules, name)) * 10) / 10 }))
    .sort((a, b) => b.mb - a.mb)
    .slice(0, n);
}

/** Installs `spec` (a registry spec or a tarball path) into a fresh `dir` and measures it. */
export function measureInstall(spec, dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'footprint', private: true }) + '\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--omit=dev', '--prefix', dir, spec], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const nodeModules = path.join(dir, 'node_modules');
  return { packages: countPackages(nodeModules), mb: diskMB(nodeModules), largest: largestPackages(nodeModules, 10) };
}

/** `npm pack` of the repo (dist/ must be built) into `outDir`; returns the tarball path. */
export function packRepo(repoDir, outDir) {
  mkdirSync(outDir, { recursive: true });
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', outDir], {
    cwd: repoDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [info] = JSON.parse(out);
  return path.join(outDir, info.filename);
}
