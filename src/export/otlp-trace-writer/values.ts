// Attributes as repeated KeyValue / AnyValue, with recurring keys written from pre-encoded bytes.
import type { ByteWriter } from './buffer.js';

/** Keys longer than this are encoded each time: hashing a long string for the Map costs more than a hit saves. */
const CACHE_KEY_MAX_CHARS = 1024;
/** Bound on cached keys; attribute keys are few per service, so a full cache means keys are data (not cached further). */
const CACHE_MAX_ENTRIES = 2048;

/** key → the bytes of `KeyValue.key` (tag 1, length, UTF-8). */
const keyBytes = new Map<string, Buffer>();

function encodeKey(key: string): Buffer {
  const n = Buffer.byteLength(key, 'utf8');
  const lenBytes = n < 0x80 ? 1 : n < 0x4000 ? 2 : 3;
  const out = Buffer.allocUnsafe(1 + lenBytes + n);
  out[0] = 0x0a;
  let v = n;
  let p = 1;
  while (v > 0x7f) {
    out[p++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  out[p++] = v;
  out.write(key, p, n, 'utf8');
  return out;
}

function writeKey(w: ByteWriter, key: string): void {
  if (key.length > CACHE_KEY_MAX_CHARS) {
    w.uint32(0x0a);
    w.string(key);
    return;
  }
  let bytes = keyBytes.get(key);
  if (bytes === undefined) {
    bytes = encodeKey(key);
    if (keyBytes.size < CACHE_MAX_ENTRIES) keyBytes.set(key, bytes);
  }
  w.raw(bytes);
}

/** Number of keys currently pre-encoded (for tests). */
export function cachedKeyCount(): number {
  return keyBytes.size;
}

const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;

/**
 * One AnyValue body. The kind follows the SDK's own serializer so both encoders agree: integers that fit
 * int64 as int_value, every other number (fractions, NaN, ±Infinity, beyond int64) as double_value;
 * Uint8Array as bytes, arrays as array_value, plain objects as kvlist_value; null, undefined and other
 * types as an empty AnyValue.
 */
export function writeAnyValue(w: ByteWriter, value: unknown): void {
  switch (typeof value) {
    case 'string':
      w.uint32(0x0a);
      w.string(value);
      return;
    case 'boolean':
      w.ensure(2);
      w.buf[w.pos++] = 0x10;
      w.buf[w.pos++] = value ? 1 : 0;
      return;
    case 'number':
      if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
        w.uint32(0x18);
        w.int64(value);
      } else {
        w.uint32(0x21);
        w.double(value);
      }
      return;
    case 'object':
      if (value === null) return;
      if (value instanceof Uint8Array) {
        w.uint32(0x3a);
        w.bytes(value);
      } else if (Array.isArray(value)) {
        w.uint32(0x2a);
        const list = w.begin(1);
        for (const item of value as unknown[]) {
          w.uint32(0x0a);
          const v = w.begin(1);
          writeAnyValue(w, item);
          w.end(v);
        }
        w.end(list);
      } else {
        w.uint32(0x32);
        const list = w.begin(1);
        writeKeyValues(w, value as Record<string, unknown>, 0x0a);
        w.end(list);
      }
      return;
    default:
  }
}

/** Each own enumerable property as a KeyValue under the field whose tag byte is `tag` (field << 3 | 2). */
export function writeKeyValues(w: ByteWriter, attrs: Readonly<Record<string, unknown>>, tag: number): void {
  for (const key in attrs) {
    if (!Object.prototype.hasOwnProperty.call(attrs, key)) continue;
    w.uint32(tag);
    const kv = w.begin(1);
    writeKey(w, key);
    w.uint32(0x12);
    const v = w.begin(1);
    writeAnyValue(w, attrs[key]);
    w.end(v);
    w.end(kv);
  }
}
