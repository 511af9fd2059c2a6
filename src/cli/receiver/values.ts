// Scalar conversions shared by the protobuf and JSON paths: ids, int64, doubles, enums, AnyValue.
import type { AttrValue, Attributes } from './types.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !(v instanceof Uint8Array) && !Array.isArray(v);
}

/** A trace/span id as lowercase hex: protobuf gives bytes, OTLP/JSON gives hex (or, from lax encoders, base64). */
export function toHexId(v: unknown): string {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  if (typeof v !== 'string' || v === '') return '';
  if (/^[0-9a-fA-F]+$/.test(v) && (v.length === 32 || v.length === 16)) return v.toLowerCase();
  return Buffer.from(v, 'base64').toString('hex');
}

/** An int64/uint64 as a decimal string: protobufjs (longs: String) and JSON give strings or numbers. */
export function toDecimal(v: unknown): string {
  if (v === undefined || v === null || v === '') return '0';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.trunc(v)).toString() : '0';
  if (typeof v === 'bigint') return v.toString();
  // A protobufjs Long, should one slip through.
  if (isObj(v) && typeof v.low === 'number' && typeof v.high === 'number') {
    const big = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
    return (v.unsigned ? big : BigInt.asIntN(64, big)).toString();
  }
  return String(v);
}

/** int64 → number when it is a safe integer, else its decimal string. */
export function toInt(v: unknown): number | string {
  const dec = toDecimal(v);
  const n = Number(dec);
  return Number.isSafeInteger(n) ? n : dec;
}

/** A counter-like int64 as a number (precision loss above 2^53 is acceptable for counts). */
export function toCount(v: unknown): number {
  return Number(toDecimal(v));
}

/** A proto double; OTLP/JSON may spell the non-finite ones as strings. */
export function toDouble(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Number(v); // Number() reads 'NaN', 'Infinity', '-Infinity' too
  return 0;
}

/** A proto enum: protobuf gives numbers, OTLP/JSON should too but may give the enum's name. */
export function toEnum(v: unknown, names: readonly string[], prefix: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return Number(v);
    const idx = names.indexOf(v.startsWith(prefix) ? v.slice(prefix.length) : v);
    return idx < 0 ? 0 : idx;
  }
  return 0;
}

export function toStr(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function toNum(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : 0;
}

/** Flattens an OTLP AnyValue into a plain JS value. */
export function anyValue(v: unknown): AttrValue {
  if (!isObj(v)) return null;
  if ('stringValue' in v) return toStr(v.stringValue);
  if ('boolValue' in v) return v.boolValue === true;
  if ('intValue' in v) return toInt(v.intValue);
  if ('doubleValue' in v) return toDouble(v.doubleValue);
  if ('arrayValue' in v) {
    const values = isObj(v.arrayValue) && Array.isArray(v.arrayValue.values) ? v.arrayValue.values : [];
    return values.map(anyValue);
  }
  if ('kvlistValue' in v) {
    return attributes(isObj(v.kvlistValue) ? v.kvlistValue.values : undefined);
  }
  if ('bytesValue' in v) {
    const b = v.bytesValue;
    if (b instanceof Uint8Array) return Buffer.from(b);
    return Buffer.from(toStr(b), 'base64');
  }
  return null;
}

/** A repeated KeyValue → a plain record (a later duplicate key wins, as in most backends). */
export function attributes(list: unknown): Attributes {
  const out: Attributes = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    // proto3 omits an empty key on the wire (Go encoders do, e.g. the collector re-exporting): absent is ''.
    if (isObj(kv)) out[typeof kv.key === 'string' ? kv.key : ''] = anyValue(kv.value);
  }
  return out;
}

export function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
