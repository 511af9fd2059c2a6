// Loads collector/otelcol.yaml with its overrides file the way the collector merges several --config files.
import path from 'node:path';
import { collectorDir, readYaml } from './collector-files.js';

export type Yaml = Record<string, unknown>;

/** The collector's merge of several --config files: maps merge key by key, anything else (lists too) is replaced. */
export function mergeConfigs(base: Yaml, over: Yaml): Yaml {
  const out: Yaml = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    const isMap = (x: unknown): x is Yaml => typeof x === 'object' && x !== null && !Array.isArray(x);
    out[k] = isMap(b) && isMap(v) ? mergeConfigs(b, v) : v;
  }
  return out;
}

export interface OtelcolConfig {
  receivers: Yaml;
  processors: Yaml;
  exporters: Yaml;
  connectors?: Yaml;
  extensions?: Yaml;
  service: {
    extensions?: string[];
    pipelines: Record<string, { receivers: string[]; processors?: string[]; exporters: string[] }>;
    telemetry?: Yaml;
  };
}

/** A config file of collector/ (default otelcol.yaml) merged with otelcol.overrides.yaml when asked. */
export function loadOtelcol(files: string[] = ['otelcol.yaml', 'otelcol.overrides.yaml']): OtelcolConfig {
  let merged: Yaml = {};
  for (const f of files) merged = mergeConfigs(merged, readYaml<Yaml>(path.join(collectorDir, f)) ?? {});
  return merged as unknown as OtelcolConfig;
}

/** Every (path, value) leaf of a YAML tree, paths joined with dots. */
export function leaves(node: unknown, prefix = ''): Array<[string, unknown]> {
  if (typeof node === 'object' && node !== null) {
    const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
    return entries.flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, node]];
}

/** The component type of an id: `otlp_http/prometheus` → `otlp_http`. */
export function componentType(id: string): string {
  return id.split('/')[0];
}
