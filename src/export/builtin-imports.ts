// The OTLP/HTTP transport (@opentelemetry/otlp-exporter-base) loads node:http and node:https with a
// dynamic `import()` at its first export. In a process where nothing imported them as ES modules yet
// (every CommonJS app), that import builds Node's ESM facade of `http`, which reads every export and so
// loads Node's internal undici: one synchronous 65-150 ms block in the middle of live traffic, measured
// here (Node 24.22: `require('http')` then `import('http')` in a CommonJS script). The transport needs
// only `request` and `Agent`: its imports are answered by a tiny module over the already-loaded
// CommonJS `http`/`https` instead (1-3 ms for the loader's first import, same measurement).
import { registerHooks } from 'node:module';

const EXPORTER_BASE = /[\\/]node_modules[\\/]@opentelemetry[\\/]otlp-exporter-base[\\/]/;
/** Specifier → facade URL; a Map, so a specifier such as `constructor` finds nothing inherited. */
const FACADE = new Map<string, string>();
for (const name of ['http', 'https']) {
  const source = `const m = process.getBuiltinModule('node:${name}');
export const request = m.request; export const get = m.get; export const Agent = m.Agent; export const globalAgent = m.globalAgent;
export default m;`;
  const url = `data:text/javascript,${encodeURIComponent(source)}`;
  FACADE.set(name, url).set(`node:${name}`, url);
}

let installed = false;

/** Routes the OTLP transport's `import('http'|'https')` to the facades; everything else resolves as before. */
export function routeExporterBuiltinImports(): void {
  if (installed) return;
  installed = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const facade = FACADE.get(specifier);
      if (facade === undefined || !context.parentURL || !EXPORTER_BASE.test(context.parentURL)) return nextResolve(specifier, context);
      // import() only: a require() of http from the same files keeps Node's own CommonJS module.
      const conditions = context.conditions as readonly string[] | ReadonlySet<string> | undefined;
      const required = Array.isArray(conditions) ? conditions.includes('require') : (conditions as ReadonlySet<string> | undefined)?.has('require') === true;
      return required ? nextResolve(specifier, context) : { url: facade, format: 'module', shortCircuit: true };
    },
  });
}
