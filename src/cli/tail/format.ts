// Small formatters shared by the tail views: durations, attribute values, short ids, times.
import type { AttrValue, Attributes } from '../receiver/types.js';

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function shortId(id: string, n = 8): string {
  return id ? id.slice(0, n) : '--------'.slice(0, n);
}

export function formatValue(v: AttrValue): string {
  if (v === null) return 'null';
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (typeof v === 'object') return JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? Buffer.from(x).toString('hex') : x));
  return String(v);
}

// Keys that tell series apart best come first; the rest follow alphabetically.
const FIRST_KEYS = ['http.request.method', 'http.route', 'http.response.status_code', 'db.operation.name', 'db.collection.name', 'error.type'];

// Values that read unambiguously without their key: "GET /api/v1/trades 201".
const VALUE_ONLY = new Set(['http.request.method', 'http.route', 'http.response.status_code', 'db.operation.name']);

function rank(key: string): number {
  const i = FIRST_KEYS.indexOf(key);
  return i < 0 ? FIRST_KEYS.length : i;
}

/** `http.request.method=GET` → `method=GET`; two segments when the last one alone is ambiguous. */
export function compactAttributes(attrs: Attributes, skip: readonly string[] = []): string {
  const keys = Object.keys(attrs).filter((k) => !skip.includes(k));
  keys.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const last = (k: string) => k.split('.').pop() as string;
  return keys
    .map((k) => {
      const short = keys.filter((o) => last(o) === last(k)).length > 1 ? k.split('.').slice(-2).join('.') : last(k);
      return VALUE_ONLY.has(k) ? formatValue(attrs[k] as AttrValue) : `${short}=${formatValue(attrs[k] as AttrValue)}`;
    })
    .join(' ');
}

/** HH:MM:SS.mmm in local time from a decimal-string nanosecond timestamp. */
export function clock(unixNano: string): string {
  let ms = Date.now();
  try {
    const n = BigInt(unixNano || '0');
    if (n > 0n) ms = Number(n / 1_000_000n);
  } catch {
    // keep now
  }
  const d = new Date(ms);
  const two = (x: number) => String(x).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

export function serviceOf(resource: Attributes): string {
  const name = resource['service.name'];
  return typeof name === 'string' ? name : 'unknown';
}

/** Compares decimal-string nanosecond timestamps without losing precision. */
export function compareNano(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
