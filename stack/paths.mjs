// Where the native stack keeps things: binaries in a cache outside the repo, run state in a state dir (also outside).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..');
export const collectorDir = path.join(repoRoot, 'collector');

export function cacheRoot() {
  return process.env.OBS_STACK_CACHE ?? path.join(homedir(), '.cache', 'obs-stack');
}

/** Run state (generated configs, data, logs, pids): OBS_STACK_STATE or ~/.local/state/obs-stack. */
export function stateDir() {
  return process.env.OBS_STACK_STATE ?? path.join(homedir(), '.local', 'state', 'obs-stack');
}

export function readVersions() {
  return JSON.parse(readFileSync(path.join(here, 'versions.json'), 'utf8'));
}

/** Every file that pins what gets built: a change to any of them is a new cache key (a rebuild). */
function pinFiles() {
  const files = [path.join(here, 'versions.json'), path.join(here, 'otelcol-builder.yaml')];
  const tools = path.join(here, 'tools');
  for (const dir of readdirSync(tools).sort()) {
    for (const f of ['go.mod', 'go.sum']) {
      const p = path.join(tools, dir, f);
      if (existsSync(p)) files.push(p);
    }
  }
  return files;
}

export function cacheKey() {
  const h = createHash('sha256');
  for (const f of pinFiles()) h.update(path.relative(here, f)).update('\0').update(readFileSync(f)).update('\0');
  return h.digest('hex').slice(0, 12);
}

export function binDir() {
  return process.env.OBS_STACK_BIN ?? path.join(cacheRoot(), cacheKey(), 'bin');
}

/** True when a complete build is cached (build.mjs writes build.json last). */
export function binariesReady() {
  return existsSync(path.join(binDir(), 'build.json'));
}
