// Runs the start-up bundle from a V8 code cache that holds every function the preload's start
// compiled, not only the bundle's top level. Hand-written because nothing else does it: Node's compile
// cache (module.enableCompileCache) serializes a file right after its first compile, so of our 0.8 MB
// bundle it kept the 217 KB of eagerly compiled code and every start compiled ~850 functions again.
// vm.Script's createCachedData(), called once start-up has run, includes those: 321 M → 254 M
// instructions from spawn to an empty module's first line under --require (callgrind; plain node 84 M).
// The file sits in Node's compile-cache folder (same switch, same owner, one folder per Node version
// and V8 flags); its name carries the bundle's content hash, because V8 checks only a source's length.
import { createRequire } from 'node:module';

/** The bundle as the entries see it: scripts/bundle.mjs builds it as CommonJS with these exports. */
export interface StartupBundle {
  startForImport(): Promise<boolean>;
  startForRequire(): boolean;
}

/** `import()` as the entry file resolves it: the bundle's own import() of an external package. */
export type Importer = (specifier: string) => Promise<unknown>;

/** After this long the first uncached process writes the cache (or at its exit, if that is sooner). */
const SAVE_AFTER_MS = 5000;

interface Parts {
  readonly fs: typeof import('node:fs');
  readonly vm: typeof import('node:vm');
  readonly path: typeof import('node:path');
  readonly module: typeof import('node:module');
}

/**
 * Runs the bundle at `file` (its content hash `hash`, from the build) and returns its exports with
 * `saveLater`, which the entry calls once the preload has started active: a start that did nothing
 * (disabled, a guard refused) would cache almost nothing and stand in for the real start's cache.
 */
export function runStartupBundle(file: string, hash: string, importer: Importer): StartupBundle & { saveLater(): void } {
  // require, not import: the ESM import of a built-in syncs all of its exports (see scripts/bundle.mjs).
  // (Spelled out per built-in: scripts/bundle.mjs rewrites this form into the entry's own require.)
  const parts: Parts = {
    fs: createRequire(import.meta.url)('node:fs') as Parts['fs'],
    vm: createRequire(import.meta.url)('node:vm') as Parts['vm'],
    path: createRequire(import.meta.url)('node:path') as Parts['path'],
    module: createRequire(import.meta.url)('node:module') as Parts['module'],
  };
  // Node maps stack traces through a source map for the files its loader compiles, not for a
  // vm.Script: with --enable-source-maps the bundle loads as the CommonJS file it is (Node's compile
  // cache still serves its top level) and the bundle's banner falls back to its own import().
  if ((process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled === true) {
    return { ...(parts.module.createRequire(file)(file) as StartupBundle), saveLater: () => undefined };
  }
  const cacheFile = cachePath(parts, hash);
  const cached = cacheFile === undefined ? undefined : readCache(parts, cacheFile);
  // latin1: the bundle is ASCII (esbuild escapes the rest; scripts/bundle.mjs checks), which V8 then
  // takes as a one-byte string without a UTF-8 decode of its 0.8 MB.
  const script = new parts.vm.Script(wrapBundle(parts.fs.readFileSync(file, 'latin1')), { filename: file, cachedData: cached });
  const mod = { exports: {} as StartupBundle };
  (script.runInThisContext() as (...args: unknown[]) => void).call(mod.exports, mod.exports, parts.module.createRequire(file), mod, file, parts.path.dirname(file), importer);
  const stale = cacheFile !== undefined && (cached === undefined || script.cachedDataRejected === true);
  return {
    startForImport: () => mod.exports.startForImport(),
    startForRequire: () => mod.exports.startForRequire(),
    saveLater: () => {
      if (stale) scheduleSave(parts, script, cacheFile);
    },
  };
}

/** The CommonJS wrapper on the bundle's first line, as Node's own, so stack traces give the file's own line numbers. */
export function wrapBundle(source: string): string {
  return `(function (exports, require, module, __filename, __dirname, __obsImportFromEntry) {${source}\n})`;
}

/** Undefined when Node's compile cache is off (OBS_COMPILE_CACHE=0, NODE_DISABLE_COMPILE_CACHE, an unwritable folder). */
function cachePath({ module, path }: Parts, hash: string): string | undefined {
  try {
    const dir = (module as { getCompileCacheDir?: () => string | undefined }).getCompileCacheDir?.();
    return dir ? path.join(dir, `obs-startup-${hash}.v8`) : undefined;
  } catch {
    return undefined;
  }
}

function readCache({ fs }: Parts, cacheFile: string): Buffer | undefined {
  try {
    return fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

/**
 * Once, on an unref'd timer or at exit, whichever comes first. Written to a file of its own and
 * renamed into place, so that processes starting together never read half a cache. Any failure
 * (read-only folder, full disk) leaves the next start as it is today.
 */
function scheduleSave({ fs }: Parts, script: import('node:vm').Script, cacheFile: string): void {
  let saved = false;
  const save = (): void => {
    if (saved) return;
    saved = true;
    process.removeListener('exit', save);
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    let created = false;
    try {
      // 'wx': a new file or nothing, so a path someone placed there first (a symlink to another
      // file) is never written through; 0o600: the cache is code, readable by its owner only.
      fs.writeFileSync(tmp, script.createCachedData(), { flag: 'wx', mode: 0o600 });
      created = true;
      fs.renameSync(tmp, cacheFile);
    } catch {
      try {
        if (created) fs.rmSync(tmp, { force: true });
      } catch {
        // nothing left to tidy
      }
    }
  };
  setTimeout(save, SAVE_AFTER_MS).unref();
  process.once('exit', save);
}
