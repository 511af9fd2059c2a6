// Metrics as a compact table: one header line per metric (name, type, unit), then one line per
// attribute set with its latest value (sum/gauge) or count and average (histograms).
import type { ReceivedMetricPoint } from '../receiver/types.js';
import { fit, type Paint } from '../util/color.js';
import { compactAttributes, compareNano, formatMs } from './format.js';

/** Identity of a series: metric name + attribute set (+ service, when several send). */
export function seriesKey(point: ReceivedMetricPoint): string {
  const attrs = Object.keys(point.attributes).sort().map((k) => `${k}=${JSON.stringify(point.attributes[k])}`).join(',');
  return `${String(point.resource['service.name'] ?? '')}|${point.name}|${attrs}`;
}

function seconds(unit: string): number | undefined {
  if (unit === 's') return 1000;
  if (unit === 'ms') return 1;
  return undefined;
}

export function pointValue(point: ReceivedMetricPoint): string {
  const toMs = seconds(point.unit);
  const show = (n: number) => (toMs !== undefined ? formatMs(n * toMs)
    : point.unit === 'By' ? formatBytes(n)
    : `${Number.isInteger(n) ? n : n.toFixed(2)}${point.unit && point.unit !== '1' && !point.unit.startsWith('{') ? ` ${point.unit}` : ''}`);
  if (point.type === 'sum' || point.type === 'gauge') return show(point.value ?? 0);
  const count = point.count ?? 0;
  const tight = (n: number) => show(n).replace(' ms', 'ms').replace(' s', 's');
  const avg = count > 0 && point.sum !== undefined ? ` avg ${tight(point.sum / count)}` : '';
  const max = point.max !== undefined ? ` max ${tight(point.max)}` : '';
  return `n=${count}${avg}${max}`;
}

function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = n;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** Runtime metrics (event loop, GC, heap) are many and move every interval; views hide them by default. */
export const RUNTIME_METRIC = /^(nodejs|v8js|process|system)\./;

/** Keeps the newest point per series. */
export function latestPerSeries(points: readonly ReceivedMetricPoint[]): ReceivedMetricPoint[] {
  const latest = new Map<string, ReceivedMetricPoint>();
  for (const point of points) {
    const key = seriesKey(point);
    const prev = latest.get(key);
    if (!prev || compareNano(prev.timeUnixNano, point.timeUnixNano) <= 0) latest.set(key, point);
  }
  return [...latest.values()];
}

export function renderMetrics(points: readonly ReceivedMetricPoint[], p: Paint, width: number, opts: { match?: RegExp } = {}): string[] {
  const byName = new Map<string, ReceivedMetricPoint[]>();
  for (const point of latestPerSeries(points)) {
    if (opts.match && !opts.match.test(point.name)) continue;
    const list = byName.get(point.name) ?? [];
    list.push(point);
    byName.set(point.name, list);
  }
  const lines: string[] = [];
  for (const name of [...byName.keys()].sort()) {
    const series = byName.get(name) as ReceivedMetricPoint[];
    const first = series[0] as ReceivedMetricPoint;
    const kind = first.type === 'sum' ? (first.monotonic ? 'counter' : 'updown') : first.type;
    const header = `${p.cyan(fit(name, width - kind.length - 3))}  ${p.dim(kind)}`;
    if (series.length === 1 && Object.keys(first.attributes).length === 0) {
      // One unlabelled series: name, type and value on one line.
      const value = pointValue(first);
      const used = Math.min(name.length, width - kind.length - 3) + 2 + kind.length;
      if (used + value.length + 2 <= width) {
        lines.push(`${header}${' '.repeat(width - used - value.length)}${value}`);
        continue;
      }
    }
    lines.push(header);
    // Attributes equal on every series of this metric (scheme, server port, ...) tell nothing apart.
    const same = series.length < 2 ? [] : Object.keys(first.attributes).filter((k) =>
      series.every((s) => JSON.stringify(s.attributes[k]) === JSON.stringify(first.attributes[k])));
    const label = (pt: ReceivedMetricPoint) => compactAttributes(pt.attributes, same);
    series.sort((a, b) => label(a).localeCompare(label(b)));
    for (const point of series) {
      const value = pointValue(point);
      const attrs = label(point) || '(no attributes)';
      const room = width - value.length - 5;
      const left = fit(attrs, room);
      lines.push(`   ${p.dim(left)}${' '.repeat(Math.max(2, width - 3 - left.length - value.length))}${value}`);
    }
  }
  return lines;
}
