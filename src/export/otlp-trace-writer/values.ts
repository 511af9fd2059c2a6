// Attributes as repeated KeyValue / AnyValue, with recurring keys (and low-cardinality string values) written from pre-encoded bytes.
import type { ByteWriter } from './buffer.js';

/** Keys longer than this are encoded each time: hashing a long string for a Map costs more than a hit saves. */
const KEY_MAX_CHARS = 1024;
/** Bound on cached keys; attribute keys are few per service, so a full cache means keys are data (not cached further). */
const MAX_KEYS = 1024;
/** Whole pairs are cached only for short keys and values (methods, routes, names); worst case ~3 MB in all. */
const PAIR_MAX_CHARS = 128;
/** A key with more distinct string values than this is high-cardinality (paths, ids): its values are no longer cached. */
const MAX_VALUES_PER_KEY = 64;
/** Bound on cached (key, value) pairs over all keys. */
const MAX_PAIRS = 4096;

interface KeyEntry {
  /** `KeyValue.key`: tag 1, length, UTF-8. */
  readonly key: Buffer;
  /** string value → the whole KeyValue (length-prefixed body); undefined once the key proved high-cardinality. */
  values: Map<string, Buffer> | undefined;
}

const keys = new Map<string, KeyEntry>();
let pairs = 0;

function varintBytes(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

/** tag 1 (or `tag`), length, UTF-8 of `s`. */
function encodeString(tag: number, s: string): Buffer {
  const utf8 = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([tag, ...varintBytes(utf8.length)]), utf8]);
}

/** The length-prefixed KeyValue body for a string attribute: key, then value { string_value }. */
function encodePair(key: Buffer, value: string): Buffer {
  const str = encodeString(0x0a, value);
  const anyValue = Buffer.concat([Buffer.from([0x12, ...varintBytes(str.length)]), str]);
  const body = Buffer.concat([key, anyValue]);
  return Buffer.concat([Buffer.from(varintBytes(body.length)), body]);
}

function entryFor(key: string): KeyEntry | undefined {
  let e = keys.get(key);
  if (e === undefined && key.length <= KEY_MAX_CHARS && keys.size < MAX_KEYS) {
    e = { key: encodeString(0x0a, key), values: key.length <= PAIR_MAX_CHARS ? new Map() : undefined };
    keys.set(key, e);
  }
  return e;
}

/** Number of keys and (key, value) pairs currently pre-encoded (for tests). */
export function cacheSize(): { keys: number; pairs: number } {
  return { keys: keys.size, pairs };
}

/** A cached whole KeyValue for (key, string value), made on first sight while the key stays low-cardinality. */
function pairFor(e: KeyEntry, value: string): Buffer | undefined {
  const values = e.values;
  if (values === undefined) return undefined;
  let bytes = values.get(value);
  if (bytes !== undefined) return bytes;
  if (value.length > PAIR_MAX_CHARS || pairs >= MAX_PAIRS) return undefined;
  if (values.size >= MAX_VALUES_PER_KEY) {
    pairs -= values.size;
    e.values = undefined;
    return undefined;
  }
  bytes = encodePair(e.key, value);
  values.set(value, bytes);
  pairs++;
  return bytes;
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
    const value = attrs[key];
    const e = entryFor(key);
    if (e !== undefined && typeof value === 'string') {
      const pair = pairFor(e, value);
      if (pair !== undefined) {
        w.ensure(1 + pair.length);
        w.buf[w.pos++] = tag;
        w.raw(pair);
        continue;
      }
    }
    w.ensure(2);
    w.buf[w.pos++] = tag;
    const kv = w.begin(1);
    if (e !== undefined) w.raw(e.key);
    else {
      w.uint32(0x0a);
      w.string(key);
    }
    w.uint32(0x12);
    const v = w.begin(1);
    writeAnyValue(w, value);
    w.end(v);
    w.end(kv);
  }
}
