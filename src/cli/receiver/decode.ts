// OTLP request bodies (protobuf or OTLP/JSON, maybe compressed) → the normalized batch.
import { gunzipSync, inflateSync } from 'node:zlib';
import { otlpType, TYPE } from './proto.js';
import { normalizeRequest, type Wire } from './normalize.js';
import type { DecodedBatch, Encoding, Protocol, Signal } from './types.js';

/** Decompresses a body by its content-encoding ('' or 'identity' means none). */
export function decompress(body: Buffer, contentEncoding: string): Buffer {
  const enc = contentEncoding.trim().toLowerCase();
  if (enc === '' || enc === 'identity') return body;
  if (enc === 'gzip' || enc === 'x-gzip') return gunzipSync(body);
  if (enc === 'deflate') return inflateSync(body);
  throw new Error(`unsupported content-encoding "${contentEncoding}"`);
}

/** Maps a content-type header to the OTLP encoding, or undefined when it is neither. */
export function encodingOf(contentType: string | undefined): Encoding | undefined {
  const ct = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (ct === 'application/x-protobuf' || ct === 'application/protobuf') return 'protobuf';
  if (ct === 'application/json') return 'json';
  return undefined;
}

/** Decodes a protobuf body to a wire-shaped plain object (camelCase fields, int64 as strings). */
export function decodeProtobuf(signal: Signal, body: Uint8Array): Wire {
  const type = otlpType(TYPE[signal]);
  return type.toObject(type.decode(body), { longs: String, enums: Number, arrays: true }) as Wire;
}

/** Parses an OTLP/JSON body; snake_case keys are accepted too (the spec allows either). */
export function decodeJson(body: Uint8Array): Wire {
  const parsed: unknown = JSON.parse(Buffer.from(body).toString('utf8'));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('OTLP/JSON body is not an object');
  }
  return camelKeys(parsed) as Wire;
}

function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k.includes('_') ? k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()) : k] = camelKeys(v);
  }
  return out;
}

/** Decodes one export request body into normalized spans / metric points / log records. */
export function decodeRequest(
  signal: Signal,
  encoding: Encoding,
  body: Uint8Array,
  origin: { protocol: Protocol; requestId: number },
): DecodedBatch {
  const wire = encoding === 'json' ? decodeJson(body) : decodeProtobuf(signal, body);
  return normalizeRequest(signal, wire, origin);
}
