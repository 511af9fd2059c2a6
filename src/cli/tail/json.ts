// --json output: one JSON object per line per span / metric point / log record, tagged with its signal.
import type { ReceivedLog, ReceivedMetricPoint, ReceivedSpan } from '../receiver/types.js';

const replacer = (_key: string, value: unknown) =>
  value instanceof Uint8Array ? Buffer.from(value).toString('hex') : typeof value === 'bigint' ? value.toString() : value;

export function jsonLine(signal: 'traces' | 'metrics' | 'logs', item: ReceivedSpan | ReceivedMetricPoint | ReceivedLog): string {
  return JSON.stringify({ signal, ...item }, replacer);
}
