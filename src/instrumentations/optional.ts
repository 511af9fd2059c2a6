// Any other instrumentation by name (OTEL_NODE_ENABLED_INSTRUMENTATIONS=mongodb,...), taken from the
// optional peer @opentelemetry/auto-instrumentations-node when the app has it installed. Only the named
// package is loaded, never the whole bundle.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import type { InstrumentationSpec } from './types.js';

type InstrumentationClass = new (config?: object) => Instrumentation;

function bundleRequire(appDirs: readonly string[]): NodeRequire | undefined {
  for (const dir of appDirs) {
    try {
      const pkgJson = createRequire(join(dir, 'noop.js')).resolve('@opentelemetry/auto-instrumentations-node/package.json');
      return createRequire(pkgJson);
    } catch {
      // not installed from here
    }
  }
  return undefined;
}

/** A spec for `name` if the optional bundle provides it; otherwise a reason to tell the user. */
export function optionalSpec(name: string, appDirs: readonly string[]): InstrumentationSpec | string {
  const req = bundleRequire(appDirs);
  const pkg = `@opentelemetry/instrumentation-${name}`;
  if (!req) {
    return `OTEL_NODE_ENABLED_INSTRUMENTATIONS names "${name}", which @org/obs does not bundle; install @opentelemetry/auto-instrumentations-node to enable it`;
  }
  try {
    req.resolve(pkg);
  } catch {
    return `OTEL_NODE_ENABLED_INSTRUMENTATIONS names "${name}", but @opentelemetry/auto-instrumentations-node has no ${pkg}`;
  }
  return {
    name,
    package: pkg,
    modules: [],
    create() {
      const mod = req(pkg) as Record<string, unknown>;
      const cls = Object.entries(mod).find(([k, v]) => k.endsWith('Instrumentation') && typeof v === 'function')?.[1];
      if (!cls) throw new Error(`${pkg} exports no instrumentation class`);
      return new (cls as InstrumentationClass)();
    },
  };
}
