// The instrumentation registry and the choice of what to load: only what the app can use, minus what
// the user disabled, plus what the user named.
import type { InstrumentationSpec } from './types.js';
import { http } from './http.js';
import { undici } from './undici.js';
import { pg } from './pg.js';
import { redis } from './redis.js';
import { ioredis } from './ioredis.js';
import { express, koa } from './frameworks.js';
import { fastify } from './fastify.js';
import { bunyan, pino, winston } from './loggers.js';
import { runtime } from './runtime.js';
import { processMetrics } from './process.js';
import { optionalSpec } from './optional.js';
import { installedVersion } from '../host/installed-packages.js';
import type { Config } from '../config/config.js';
import { showValue } from '../config/env.js';

/** Every instrumentation @org/obs knows, in load order (OTEL_NODE_ENABLED_INSTRUMENTATIONS names them). */
export const ALL_SPECS: readonly InstrumentationSpec[] = [http, undici, pg, redis, ioredis, express, fastify, koa, pino, winston, bunyan, runtime, processMetrics];

export interface Selection {
  readonly specs: InstrumentationSpec[];
  readonly warnings: string[];
}

function isInstalled(spec: InstrumentationSpec, appDirs: readonly string[]): boolean {
  return spec.modules.length === 0 || spec.modules.some((m) => installedVersion(m, appDirs) !== undefined);
}

export function selectInstrumentations(config: Config, appDirs: readonly string[]): Selection {
  const warnings: string[] = [];
  const disabled = new Set(config.disabledInstrumentations);
  const named = config.enabledInstrumentations;
  const specs: InstrumentationSpec[] = [];
  for (const name of disabled) {
    if (!ALL_SPECS.some((s) => s.name === name) && !named?.includes(name)) {
      warnings.push(`OTEL_NODE_DISABLED_INSTRUMENTATIONS names ${showValue('OTEL_NODE_DISABLED_INSTRUMENTATIONS', name)}, which @org/obs does not load; known: ${ALL_SPECS.map((s) => s.name).join(', ')}`);
    }
  }
  if (named === undefined) {
    for (const spec of ALL_SPECS) if (!disabled.has(spec.name) && isInstalled(spec, appDirs)) specs.push(spec);
    return { specs, warnings };
  }
  for (const name of new Set(named)) {
    if (disabled.has(name)) continue;
    const builtIn = ALL_SPECS.find((s) => s.name === name);
    if (builtIn) {
      specs.push(builtIn);
      continue;
    }
    const optional = optionalSpec(name, appDirs);
    if (typeof optional === 'string') warnings.push(optional);
    else specs.push(optional);
  }
  return { specs, warnings };
}

/**
 * The modules the ESM loader must intercept for these instrumentations, or undefined when one of them
 * (from the optional bundle) hooks modules we cannot name in advance.
 */
export function esmIncludeList(specs: readonly InstrumentationSpec[]): string[] | undefined {
  const out = new Set<string>();
  for (const spec of specs) {
    if (spec.name === 'http') {
      out.add('http');
      out.add('https');
    } else if (spec.modules.length === 0 && !ALL_SPECS.includes(spec)) {
      return undefined;
    }
    for (const m of spec.modules) out.add(m);
  }
  return [...out];
}
