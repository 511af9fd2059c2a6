// A compact account of what a receiver got, for timeout messages and `obs tail` status lines.
import type { ReceivedLog, ReceivedMetricPoint, ReceivedRequest, ReceivedSpan } from './types.js';

function counted(names: string[], limit = 30): string {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  const parts = [...counts].slice(0, limit).map(([n, c]) => (c > 1 ? `${n} ×${c}` : n));
  if (counts.size > limit) parts.push(`… ${counts.size - limit} more`);
  return parts.length ? parts.join(', ') : '(none)';
}

function logLabel(l: ReceivedLog): string {
  const body = typeof l.body === 'string' ? l.body : JSON.stringify(l.body) ?? '';
  return body.length > 60 ? `${body.slice(0, 57)}...` : body;
}

export function describeReceived(
  spans: ReceivedSpan[],
  metrics: ReceivedMetricPoint[],
  logs: ReceivedLog[],
  requests: ReceivedRequest[],
): string {
  const outcomes = requests.map((r) => `${r.signal}/${r.protocol}:${r.outcome ?? 'open'}${r.error ? ` (${r.error})` : ''}`);
  return [
    `received spans (${spans.length}): ${counted(spans.map((s) => `${s.name} [${s.kind}]`))}`,
    `received metrics (${metrics.length} points): ${counted(metrics.map((m) => m.name))}`,
    `received logs (${logs.length}): ${counted(logs.map(logLabel), 15)}`,
    `requests (${requests.length}): ${counted(outcomes, 15)}`,
  ].join('\n');
}
