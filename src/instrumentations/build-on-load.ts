// Builds a library's instrumentation when the app first resolves a module it patches, not at start:
// building them all cost ~60 M of the ~300 M instructions the preload added before an empty module's
// first line (docs/performance.md), most of it for libraries installed but never loaded. The resolve
// step runs before the module is read, so the instrumentation's require and import hooks are in place
// when it loads, as if it had been built at start.
import { createRequire } from 'node:module';

export interface LoadTrigger {
  /** No more builds (shutdown): the hook is removed. */
  stop(): void;
}

const NODE_MODULES = '/node_modules/';

/** The package a bare specifier names (`pg`, `pg/lib/client.js`, `@redis/client/dist/…`), else undefined. */
function packageOfSpecifier(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.includes(':')) return undefined;
  const parts = specifier.split('/', 2);
  return specifier.startsWith('@') ? (parts.length === 2 ? `${parts[0]}/${parts[1]}` : undefined) : parts[0];
}

/** The innermost package a resolved file belongs to, read as require-in-the-middle does: after the last node_modules/. */
export function packageOfUrl(url: string): string | undefined {
  const normal = url.includes('\\') ? url.replace(/\\/g, '/') : url;
  const at = normal.lastIndexOf(NODE_MODULES);
  if (at === -1) return undefined;
  const rest = normal.slice(at + NODE_MODULES.length);
  const parts = rest.split('/', 3);
  if (rest.startsWith('@')) return parts.length >= 2 ? `${parts[0]}/${parts[1]}` : undefined;
  return parts[0] || undefined;
}

/**
 * Calls `build(key)` once, synchronously, when a module named in `modulesByKey.get(key)` is first
 * resolved (by import or require). Undefined when Node has no module.registerHooks: the caller
 * builds everything now, as before.
 */
export function buildOnFirstLoad(modulesByKey: ReadonlyMap<string, readonly string[]>, build: (key: string) => void): LoadTrigger | undefined {
  const { registerHooks } = createRequire(import.meta.url)('node:module') as typeof import('node:module');
  if (typeof registerHooks !== 'function') return undefined;
  const pending = new Map<string, string>();
  for (const [key, modules] of modulesByKey) for (const m of modules) pending.set(m, key);
  const fire = (name: string | undefined): void => {
    const key = name === undefined ? undefined : pending.get(name);
    if (key === undefined) return;
    // Every module of this key first, so a require made while building (re-entering this hook) skips it.
    for (const [m, k] of pending) if (k === key) pending.delete(m);
    // Removed once the module loading under way has finished, not from inside the hook chain.
    if (pending.size === 0) queueMicrotask(() => hooks.deregister());
    build(key);
  };
  const hooks = registerHooks({
    resolve(specifier, context, nextResolve) {
      if (pending.size === 0) return nextResolve(specifier, context);
      fire(packageOfSpecifier(specifier));
      const resolved = nextResolve(specifier, context);
      if (pending.size > 0) fire(packageOfUrl(resolved.url));
      return resolved;
    },
  });
  return {
    stop: () => {
      if (pending.size === 0) return;
      pending.clear();
      hooks.deregister();
    },
  };
}
