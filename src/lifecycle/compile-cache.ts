// Node's on-disk compile cache (module.enableCompileCache, Node >= 22.1) for the preload and the
// modules loaded after it: later starts skip most of the parse and compile of our bundle's
// neighbours (the OpenTelemetry API copy, import-in-the-middle) and of the app's own modules.
// Runs first in the entry files, before any module we can cache is loaded.
import { createRequire } from 'node:module';

const OFF = new Set(['false', '0', 'no', 'off']);

/**
 * Enables the cache unless OBS_COMPILE_CACHE turns it off. A user's NODE_COMPILE_CACHE (already
 * enabled by Node at start, with the user's directory) or NODE_DISABLE_COMPILE_CACHE wins: Node
 * then answers "already enabled" or "disabled". An unwritable directory (read-only file system,
 * no tmpdir) only makes Node report a failure status, which we ignore: the app starts uncached.
 */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env): void {
  try {
    if (OFF.has((env.OBS_COMPILE_CACHE ?? '').trim().toLowerCase())) return;
    // require, not import: the ESM import of a built-in syncs all of its exports (see scripts/bundle.mjs).
    const mod = createRequire(import.meta.url)('node:module') as { enableCompileCache?: () => unknown };
    mod.enableCompileCache?.();
  } catch {
    // never a reason to disturb the app
  }
}
