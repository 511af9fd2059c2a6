// Log values the SDK would refuse, made representable before it sees them: the SDK drops a whole
// attribute (with a warning on stderr, at the default log level) when any value inside it is a BigInt,
// a Symbol, a function, a non-plain object (Date, Error, Map, class instance) or a cycle — all of which
// winston meta, bunyan fields and pino objects routinely carry. We keep what JSON loggers print instead.

/** A value the OTel log data model (AnyValue) cannot hold, or containers nested past `left` levels. */
export function needsNormalizing(v: unknown, left: number): boolean {
  switch (typeof v) {
    case 'bigint':
    case 'symbol':
    case 'function':
      return true;
    case 'object':
      break;
    default:
      return false;
  }
  if (v === null || v instanceof Uint8Array) return false;
  // A cycle is caught here too: it looks infinitely deep, so the walk stops at the cap.
  if (left <= 0) return true;
  if (Array.isArray(v)) {
    for (const x of v) if (needsNormalizing(x, left - 1)) return true;
    return false;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) return true;
  for (const k in v) if (needsNormalizing((v as Record<string, unknown>)[k], left - 1)) return true;
  return false;
}

export const CIRCULAR = '[Circular]';

/**
 * A copy of `v` the SDK accepts: BigInt as its decimal text, Symbol as `Symbol(desc)`, functions
 * dropped (as JSON.stringify drops them), Date as ISO text, Error as `{ name, message, stack }`, Map as
 * an object, Set as an array, other class instances as their own enumerable fields, a cycle as
 * `[Circular]`, anything nested deeper than `left` levels as `marker`. The app's objects are not touched.
 */
export function normalized(v: unknown, left: number, marker: string, ancestors: Set<object> = new Set()): unknown {
  switch (typeof v) {
    case 'bigint':
      return v.toString();
    case 'symbol':
      return v.toString();
    case 'function':
      return undefined;
    case 'object':
      break;
    default:
      return v;
  }
  if (v === null || v instanceof Uint8Array) return v;
  if (ancestors.has(v)) return CIRCULAR;
  if (left <= 0) return marker;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
  ancestors.add(v);
  try {
    const deeper = (x: unknown): unknown => normalized(x, left - 1, marker, ancestors);
    if (Array.isArray(v)) return v.map(deeper);
    if (v instanceof Set) return [...v].map(deeper);
    const entries: [unknown, unknown][] =
      v instanceof Map ? [...(v as Map<unknown, unknown>)] : v instanceof Error ? [['name', v.name], ['message', v.message], ['stack', v.stack], ...Object.entries(v)] : Object.entries(v);
    const out: Record<string, unknown> = {};
    for (const [k, x] of entries) {
      const n = deeper(x);
      if (n !== undefined) out[String(k)] = n;
    }
    return out;
  } finally {
    ancestors.delete(v);
  }
}
