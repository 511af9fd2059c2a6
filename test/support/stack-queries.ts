// Rules' and dashboards' PromQL against the real Prometheus after a real run: names exist, panels return data.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dashboardQueries, datasourceQueries, loadRules } from './collector-files.js';
import { inspectPromql, readMetricsDoc } from './collector-metrics-doc.js';
import { promQuery, storedNames } from './stack-run.js';

/** Receivers the Go module proxy does not serve (stack/otelcol-builder.yaml): their series cannot exist natively. */
const UNBUILT_SOURCES = new Set(['receiver:tlscheck']);

interface Diag {
  diagnostic(message: string): void;
}

/** Series name → documented source, for histogram parts too. */
function sources(): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of readMetricsDoc().values()) {
    for (const n of m.type === 'histogram' ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name]) out.set(n, m.source);
  }
  return out;
}

const namesIn = (expr: string): string[] => inspectPromql(expr).selectors.map((s) => s.metric).filter(Boolean);
const unbuilt = (name: string, src: Map<string, string>): boolean => UNBUILT_SOURCES.has(src.get(name) ?? '');

/**
 * The collector writes a failure counter only once that failure happens (send_failed after retries run out,
 * 5 min; enqueue_failed for a full queue): a name the run could not provoke must at least be one the real
 * binary carries.
 */
function inBinary(bin: string, name: string): boolean {
  return readFileSync(path.join(bin, 'otelcol-contrib')).includes(Buffer.from(name));
}

export async function checkSeriesNames(t: Diag, bin: string): Promise<void> {
  const src = sources();
  const used = new Set<string>();
  for (const r of loadRules()) for (const n of namesIn(r.expr)) used.add(n);
  for (const q of [...dashboardQueries(), ...datasourceQueries()]) for (const n of namesIn(grafanaForData(q.expr))) used.add(n);
  const stored = await storedNames();
  const missing: string[] = [];
  for (const n of [...used].sort()) {
    if (stored.has(n)) continue;
    if (unbuilt(n, src)) t.diagnostic(`${n}: not produced natively (${src.get(n)} is not built here)`);
    else if (src.get(n) === 'collector' && /_failed_/.test(n) && inBinary(bin, n)) t.diagnostic(`${n}: no such failure in this run; the name is in the otelcol binary`);
    else missing.push(n);
  }
  assert.deepEqual(missing, [], 'names used by rules/dashboards that the real run did not produce');
}

/** Grafana → PromQL for a data check: variables match everything, $__rate_interval is Grafana's usual 5m floor. */
export function grafanaForData(expr: string): string {
  let e = expr.replace(/\$\$/g, '$');
  const lv = /^\s*label_values\((.*),\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)\s*$/s.exec(e);
  if (lv) e = lv[1];
  return e.replace(/\$__(rate_interval|interval|range)/g, '5m').replace(/\$\{?[a-zA-Z_][a-zA-Z0-9_]*\}?/g, '.*');
}

export async function checkDashboards(t: Diag): Promise<void> {
  const src = sources();
  const empty: string[] = [];
  for (const q of dashboardQueries()) {
    const expr = grafanaForData(q.expr);
    const names = namesIn(expr);
    if (names.length > 0 && names.every((n) => unbuilt(n, src))) {
      t.diagnostic(`${q.where}: no data natively (${names.join(', ')} from a receiver not built here)`);
      continue;
    }
    const result = await promQuery(expr);
    if (result.length > 0) continue;
    // A panel of failure counters has no series until that failure happens (see inBinary): say so, do not fail.
    if (names.length > 0 && names.every((n) => src.get(n) === 'collector' && /_failed_/.test(n))) t.diagnostic(`${q.where}: no data (no such failure in this run)`);
    else empty.push(`${q.where}: ${expr}`);
  }
  assert.deepEqual(empty, [], 'dashboard queries that returned no data');
}
