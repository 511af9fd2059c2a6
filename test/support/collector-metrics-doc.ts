// Reads the metric-name contract (docs/metrics.md) and checks PromQL against it with the real PromQL grammar.
import { readFileSync } from 'node:fs';
import { parser } from '@prometheus-io/lezer-promql';
import { metricsDoc } from './collector-files.js';

export interface DocumentedMetric {
  name: string;
  otelName: string;
  type: 'histogram' | 'counter' | 'gauge';
  /** The OpenTelemetry instrument; '-' for series Prometheus makes itself (target_info, up). */
  kind: 'histogram' | 'counter' | 'updowncounter' | 'gauge' | '-';
  unit: string;
  labels: string[];
  source: string;
}

/** The table between the metrics:begin / metrics:end markers, keyed by Prometheus name. */
export function readMetricsDoc(file = metricsDoc): Map<string, DocumentedMetric> {
  const text = readFileSync(file, 'utf8');
  const begin = text.indexOf('<!-- metrics:begin -->');
  const end = text.indexOf('<!-- metrics:end -->');
  if (begin < 0 || end < begin) throw new Error(`${file}: metrics:begin/end markers missing`);
  const rows = text.slice(begin, end).split('\n').filter((l) => l.startsWith('| `'));
  const out = new Map<string, DocumentedMetric>();
  for (const row of rows) {
    const cells = row.split('|').slice(1, -1).map((c) => c.trim());
    if (cells.length !== 7) throw new Error(`${file}: row has ${cells.length} cells, expected 7: ${row}`);
    const [name, otelName, type, kind, unit, labels, source] = cells;
    const clean = name.replace(/`/g, '');
    if (type !== 'histogram' && type !== 'counter' && type !== 'gauge') throw new Error(`${file}: bad type ${type} for ${clean}`);
    if (!['histogram', 'counter', 'updowncounter', 'gauge', '-'].includes(kind)) throw new Error(`${file}: bad OTel kind ${kind} for ${clean}`);
    if (out.has(clean)) throw new Error(`${file}: ${clean} listed twice`);
    out.set(clean, {
      name: clean,
      otelName: otelName.replace(/`/g, ''),
      type,
      kind: kind as DocumentedMetric['kind'],
      unit,
      labels: labels === '' ? [] : labels.split(',').map((l) => l.trim()),
      source,
    });
  }
  return out;
}

/** The series names Prometheus really stores for a documented metric (histograms have three). */
export function seriesNames(m: DocumentedMetric): string[] {
  return m.type === 'histogram' ? [`${m.name}_bucket`, `${m.name}_sum`, `${m.name}_count`] : [m.name];
}

/** Labels any series may carry besides its own (docs/metrics.md, "Labels every series may carry"). */
export const COMMON_LABELS = new Set([
  'job', 'instance', 'service_name', 'service_namespace', 'service_version', 'service_instance_id',
  'deployment_environment_name', 'host_name', 'server_address', 'server_port', 'postgresql_database_name', 'tlscheck_target',
]);

export interface SelectorUse {
  metric: string;
  labels: string[];
}

export interface PromqlCheck {
  errors: string[];
  selectors: SelectorUse[];
}

/** Parses one PromQL expression; syntax errors and every vector selector (metric name + matched labels). */
export function inspectPromql(expr: string): PromqlCheck {
  const tree = parser.parse(expr);
  const errors: string[] = [];
  const selectors: SelectorUse[] = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(`syntax error at ${node.from}: …${expr.slice(Math.max(0, node.from - 20), node.from + 20)}…`);
      if (node.name === 'VectorSelector') {
        const ident = node.node.getChild('Identifier');
        const labels: string[] = [];
        const matchers = node.node.getChild('LabelMatchers');
        let metric = ident ? expr.slice(ident.from, ident.to) : '';
        for (let m = matchers?.firstChild; m; m = m.nextSibling) {
          const ln = m.getChild('LabelName');
          if (!ln) continue;
          const label = expr.slice(ln.from, ln.to);
          if (label === '__name__') {
            const value = m.getChild('StringLiteral');
            if (value) metric = expr.slice(value.from + 1, value.to - 1);
          } else {
            labels.push(label);
          }
        }
        selectors.push({ metric, labels });
      }
    },
  });
  return { errors, selectors };
}

/** Problems of one expression against the documented names and labels (empty = fine). */
export function checkAgainstDoc(expr: string, doc: Map<string, DocumentedMetric>): string[] {
  const byseries = new Map<string, DocumentedMetric>();
  for (const m of doc.values()) for (const s of seriesNames(m)) byseries.set(s, m);
  const { errors, selectors } = inspectPromql(expr);
  const problems = [...errors];
  for (const sel of selectors) {
    if (sel.metric === '') {
      problems.push('selector without a metric name');
      continue;
    }
    const m = byseries.get(sel.metric);
    if (!m) {
      problems.push(`${sel.metric} is not in docs/metrics.md`);
      continue;
    }
    for (const label of sel.labels) {
      const isLe = label === 'le' && sel.metric.endsWith('_bucket');
      if (!isLe && !COMMON_LABELS.has(label) && !m.labels.includes(label)) {
        problems.push(`${sel.metric}: label ${label} is not documented for ${m.name}`);
      }
    }
  }
  return problems;
}
