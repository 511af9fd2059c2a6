// Trace and span ids, and request ids (UUID v4), as slices of one string made from a pooled random
// buffer: the SDK's RandomIdGenerator writes Math.random into a Buffer and hex-encodes it per id (a
// native call each), and node:crypto's randomUUID joins 20 pieces into a string per id (its concatenation
// was a quarter of the string joins of a /hello request in a `node --prof` run here).
//
// Why: `node bench/micro/ids.mjs` (Node 24, 2026-12-05, medians of 7): span id 105 → 20 ns, trace id
// 92 → 31 ns, request id 113 → 68 ns (its string is one slice, not a join the header check then flattens).
// V8 slices a string of 13+ characters without copying it; the refills (4 KB from node:crypto's
// randomFillSync, one hex or latin1 decoding) are included. Every span draws one or two ids, every
// request without an incoming x-request-id one request id. A slice keeps its pool string alive (8 KB
// for 170 span and trace ids, 4.6 KB for 128 request ids): an app that keeps ids keeps at most that per id batch.
import { createRequire } from 'node:module';
import type { IdGenerator } from '@opentelemetry/sdk-trace';

const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let hex = '';
let at = 0;
/** node:crypto, required at the first refill: it is off the app's first line (see sdk/resource.ts). */
let randomFill: ((buffer: Buffer) => Buffer) | undefined;

function refill(buffer: Buffer): void {
  randomFill ??= (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).randomFillSync;
  randomFill(buffer);
}

/** `digits` random lower-case hex digits (even, at most the pool's); never all zeros, which W3C calls invalid. */
export function randomHex(digits: number): string {
  if (at + digits > hex.length) {
    refill(pool);
    hex = pool.toString('hex');
    at = 0;
  }
  const id = hex.slice(at, at + digits);
  at += digits;
  // A run of zeros is one chance in 2^64 per span id: draw again rather than send an invalid id.
  return ZEROS.startsWith(id) ? randomHex(digits) : id;
}
const ZEROS = '0'.repeat(2 * POOL_BYTES);

/** The SDK's IdGenerator over the pool: the provider's idGenerator, so every span of ours draws from it. */
export class PooledIdGenerator implements IdGenerator {
  generateTraceId(): string {
    return randomHex(32);
  }

  generateSpanId(): string {
    return randomHex(16);
  }
}

const UUIDS_PER_BATCH = 128;
const UUID_CHARS = 36;
const uuidRandom = Buffer.allocUnsafe(16 * UUIDS_PER_BATCH);
const uuidText = Buffer.allocUnsafe(UUID_CHARS * UUIDS_PER_BATCH);
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
let uuids = '';
let uuidAt = 0;

/**
 * A random UUID v4 (RFC 9562: version nibble 4, variant bits 10), lower-case, as node:crypto's randomUUID
 * makes it. 128 are written as ASCII bytes at once and decoded into one string; each is a slice of it.
 */
export function randomUuid(): string {
  if (uuidAt >= uuids.length) {
    refill(uuidRandom);
    let out = 0;
    for (let i = 0; i < uuidRandom.length; i++) {
      const inUuid = i & 15;
      let byte = uuidRandom[i];
      if (inUuid === 6) byte = (byte & 0x0f) | 0x40;
      else if (inUuid === 8) byte = (byte & 0x3f) | 0x80;
      uuidText[out++] = HEX_DIGITS[byte >> 4];
      uuidText[out++] = HEX_DIGITS[byte & 15];
      if (inUuid === 3 || inUuid === 5 || inUuid === 7 || inUuid === 9) uuidText[out++] = 0x2d;
    }
    uuids = uuidText.toString('latin1');
    uuidAt = 0;
  }
  const id = uuids.slice(uuidAt, uuidAt + UUID_CHARS);
  uuidAt += UUID_CHARS;
  return id;
}
