// The environment variables readConfig really reads (recorded through a Proxy, not listed by hand) and
// the ones docs/variables.md documents (parsed from its tables), for the tests that compare them.
import { readFileSync } from 'node:fs';
import { readConfig } from '../../src/config/config.js';
import path from 'node:path';
import { repoRoot } from './fixtures-dir.js';

/**
 * Reads recorded over a few environments: some variables are only looked at when another one asks
 * for them (the ratio only for a ratio sampler, per-signal settings only for an exporter in use).
 */
export function variablesReadByConfig(): string[] {
  const read = new Set<string>();
  const record = (values: Record<string, string>): void => {
    const env = new Proxy(values, {
      get(target, key) {
        if (typeof key === 'string') read.add(key);
        return target[key as string];
      },
      has(target, key) {
        if (typeof key === 'string') read.add(key);
        return key in target;
      },
      // The env getters ask hasOwnProperty first (an inherited `toString` is not a variable).
      getOwnPropertyDescriptor(target, key) {
        if (typeof key === 'string') read.add(key);
        return Reflect.getOwnPropertyDescriptor(target, key);
      },
    });
    readConfig(env);
  };
  record({});
  record({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_METRICS_EXPORTER: 'otlp,prometheus', OTEL_LOGS_EXPORTER: 'otlp', OBS_READY_CHECKS: 'pg,redis' });
  record({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_SDK_DISABLED: 'false' });
  return [...read].filter((k) => /^(OTEL|OBS)_/.test(k)).sort();
}

/** `OTEL_EXPORTER_OTLP_{TRACES,METRICS,LOGS}_ENDPOINT` → the three names. */
function expand(name: string): string[] {
  const m = /^(.*)\{([^}]+)\}(.*)$/.exec(name);
  return m ? m[2].split(',').flatMap((part) => expand(`${m[1]}${part.trim()}${m[3]}`)) : [name];
}

/** Every variable named at the start of a row of a table in docs/variables.md. */
export function documentedVariables(): string[] {
  const text = readFileSync(path.join(repoRoot, 'docs', 'variables.md'), 'utf8');
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const cell = /^\| `((?:OTEL|OBS)_[A-Z0-9_{},]+)`/.exec(line);
    if (cell) for (const n of expand(cell[1])) names.add(n);
  }
  return [...names].sort();
}
