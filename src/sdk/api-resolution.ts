// OpenTelemetry packages that would load an @opentelemetry/api copy older than ours get ours.
// Why: in an app that pins an older API (1.9), npm hoists our contrib instrumentations to the app's
// root, nests their @opentelemetry/instrumentation 0.300 below them, and that copy's peer
// (>=1.10) then resolves the app's 1.9 — which has no `logs`, so the instrumentation throws in its
// constructor (seen with npm 11; `npm ls` calls it deduped). A newer 1.x minor serves every older
// consumer (the API's own compatibility rule), so the redirect is safe; the app's own files keep the
// copy they resolve.
import { readFileSync } from 'node:fs';
import { createRequire, registerHooks } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SPECIFIER = '@opentelemetry/api';
const OTEL_PACKAGES = /[\\/]node_modules[\\/]@opentelemetry[\\/]/;

function minor(version: string): number {
  const m = /^1\.(\d+)\./.exec(version);
  return m ? Number(m[1]) : -1;
}

/** The version of the API copy a resolved file belongs to (cached per copy folder). */
function copyVersionOf(url: string, cache: Map<string, number>): number {
  let dir = dirname(fileURLToPath(url));
  while (!dir.endsWith(join('@opentelemetry', 'api')) && dirname(dir) !== dir) dir = dirname(dir);
  let v = cache.get(dir);
  if (v === undefined) {
    try {
      v = minor((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version);
    } catch {
      v = -1;
    }
    cache.set(dir, v);
  }
  return v;
}

/** Installs the redirect; `ownDir` is our API copy's folder, `ownVersion` its version. */
export function pinOlderApiCopies(ownDir: string, ownVersion: string): void {
  const own = minor(ownVersion);
  // Our copy's entries as require() and import see them (the API ships both since 1.10).
  const ownRequire = pathToFileURL(createRequire(import.meta.url).resolve(SPECIFIER)).href;
  const ownImport = import.meta.resolve(SPECIFIER);
  const cache = new Map<string, number>([[ownDir, own]]);
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      if (specifier !== SPECIFIER || !context.parentURL || !OTEL_PACKAGES.test(context.parentURL) || !resolved.url.startsWith('file:')) return resolved;
      if (copyVersionOf(resolved.url, cache) >= own) return resolved;
      // Node 22.15 hands the conditions as a Set, later versions as an array.
      const conditions = context.conditions as readonly string[] | ReadonlySet<string> | undefined;
      const required = Array.isArray(conditions) ? conditions.includes('require') : (conditions as ReadonlySet<string> | undefined)?.has('require') === true;
      const url = required ? ownRequire : ownImport;
      return { url, format: url.endsWith('.cjs') ? 'commonjs' : 'module', shortCircuit: true };
    },
  });
}
