// Installs the official OpenTelemetry zero-code package into a throw-away folder (bench/work/),
// never into the repo's package.json: it is measured, not depended on.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const OFFICIAL_PACKAGE = '@opentelemetry/auto-instrumentations-node';
// The current release (`npm view @opentelemetry/auto-instrumentations-node version`, 2026-12-05) and
// the first on OpenTelemetry JS 3.x, the line we ship. Bump it when upstream releases.
export const OFFICIAL_VERSION = '0.82.0';

export function officialDir(benchDir) {
  return path.join(benchDir, 'work', 'official');
}

function installedVersion(dir) {
  const manifest = path.join(dir, 'node_modules', OFFICIAL_PACKAGE, 'package.json');
  return existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')).version : undefined;
}

/** Ensures the official package is installed; returns the paths of its register (for `--import`)
 *  and of the ESM loader hook its documentation asks ESM apps to add (`--experimental-loader`). */
export function ensureOfficial(benchDir, log) {
  const dir = officialDir(benchDir);
  if (installedVersion(dir) !== OFFICIAL_VERSION) {
    log(`installing ${OFFICIAL_PACKAGE}@${OFFICIAL_VERSION} into ${path.relative(process.cwd(), dir)} (first run only)`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'bench-official', private: true }) + '\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--save-exact', '--prefix', dir, `${OFFICIAL_PACKAGE}@${OFFICIAL_VERSION}`], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return {
    register: path.join(dir, 'node_modules', OFFICIAL_PACKAGE, 'dist', 'register.mjs'),
    esmHook: path.join(dir, 'node_modules', '@opentelemetry', 'instrumentation', 'hook.mjs'),
  };
}
