// Paths of the bundled collector stack's files and readers for them (rules, dashboards, YAML), for the collector tests.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from './fixtures-dir.js';

export const collectorDir = path.join(repoRoot, 'collector');
export const rulesDir = path.join(collectorDir, 'prometheus', 'rules');
export const ruleTestsDir = path.join(collectorDir, 'prometheus', 'tests');
export const dashboardsDir = path.join(collectorDir, 'grafana', 'dashboards');
export const metricsDoc = path.join(repoRoot, 'docs', 'metrics.md');

export function readYaml<T = unknown>(file: string): T {
  return parseYaml(readFileSync(file, 'utf8')) as T;
}

export function filesIn(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .sort()
    .map((f) => path.join(dir, f));
}

export interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Every rule of every file under collector/prometheus/rules, with the file it came from. */
export function loadRules(): Array<AlertRule & { file: string }> {
  const out: Array<AlertRule & { file: string }> = [];
  for (const file of filesIn(rulesDir, '.yml')) {
    const doc = readYaml<{ groups: Array<{ rules: AlertRule[] }> }>(file);
    for (const group of doc.groups) for (const rule of group.rules) out.push({ ...rule, file });
  }
  return out;
}

/** A PromQL string and where it was found (for failure messages). */
export interface PromqlSource {
  where: string;
  expr: string;
}

/** Every PromQL target and templating query of the Grafana dashboards. */
export function dashboardQueries(): PromqlSource[] {
  const out: PromqlSource[] = [];
  for (const file of filesIn(dashboardsDir, '.json')) {
    const dash = JSON.parse(readFileSync(file, 'utf8')) as {
      panels?: Array<{ title: string; targets?: Array<{ expr?: string }> }>;
      templating?: { list: Array<{ name: string; query?: string | { query?: string } }> };
    };
    for (const panel of dash.panels ?? []) {
      for (const target of panel.targets ?? []) {
        if (target.expr) out.push({ where: `${path.basename(file)} panel "${panel.title}"`, expr: target.expr });
      }
    }
    for (const v of dash.templating?.list ?? []) {
      const q = typeof v.query === 'string' ? v.query : v.query?.query;
      if (q) out.push({ where: `${path.basename(file)} variable $${v.name}`, expr: q });
    }
  }
  return out;
}

/** PromQL inside the provisioned datasources (Jaeger's trace → metrics queries). */
export function datasourceQueries(): PromqlSource[] {
  const file = path.join(collectorDir, 'grafana', 'provisioning', 'datasources', 'datasources.yaml');
  const doc = readYaml<{ datasources: Array<{ name: string; jsonData?: { tracesToMetrics?: { queries?: Array<{ name: string; query: string }> } } }> }>(file);
  const out: PromqlSource[] = [];
  for (const ds of doc.datasources) {
    for (const q of ds.jsonData?.tracesToMetrics?.queries ?? []) out.push({ where: `datasource ${ds.name} "${q.name}"`, expr: q.query });
  }
  return out;
}

/**
 * Grafana-only syntax replaced by plain PromQL so the parser sees what Prometheus will see:
 * `label_values(<selector>, label)` → `<selector>`, `$__rate_interval` → `5m`, `$var` → a value,
 * provisioning's `$$` escape → `$`, `{$__tags}` → `{}`.
 */
export function grafanaToPromql(expr: string): string {
  let e = expr.replace(/\$\$/g, '$');
  const lv = /^\s*label_values\((.*),\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)\s*$/s.exec(e);
  if (lv) e = lv[1];
  return e
    .replace(/\$__(rate_interval|interval|range)/g, '5m')
    .replace(/\{\$__tags\}/g, '{}')
    .replace(/\$\{?[a-zA-Z_][a-zA-Z0-9_]*\}?/g, 'x');
}
