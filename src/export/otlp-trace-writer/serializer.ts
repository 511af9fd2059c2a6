// The trace serializer our OTLP exporters hand to upstream's export delegate: our one-pass writer for
// requests, upstream's deserializer for responses (partial success), the same interface as ProtobufTraceSerializer.
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { ByteWriter } from './buffer.js';
import { writeTraceRequest } from './spans.js';

/*
 * Measured 2026-12-05 on the shared 2-core dev box (other jobs kept the load average at 6-19), Node 24.22,
 * `node bench/micro/otlp-trace-writer.mjs 31 20`: 512-span batches of an SDK server span with 10 attributes
 * (410 B/span, identical bytes), 31 interleaved rounds of 20 batches, six runs:
 *   upstream ProtobufTraceSerializer  median 2.9-13.3 µs/span, best round 2.4-3.8 µs/span
 *   this writer                       median 1.7-5.3 µs/span,  best round 0.60-0.73 µs/span
 *   median of per-round ratios 1.8-3.3x; best round vs best round 3.9-5.8x.
 * About 0.13 µs/span of the best case is the fresh output copy (a new 210 KB allocation per batch costs
 * ~65 µs more than copying into a reused one: fresh pages); recycling output buffers after the transport
 * is done with them would remove it.
 */

/** Shared by every exporter in the process: encoding is synchronous, so one export never interleaves with another. */
const writer = new ByteWriter();

/** The request body `write` writes, as a fresh Uint8Array (the transport keeps it while the export is in flight). */
export function encodeWith(write: (w: ByteWriter) => void): Uint8Array {
  writer.reset();
  try {
    write(writer);
    return writer.finish();
  } catch (err) {
    writer.reset();
    throw err;
  }
}

/** The request body for `spans`. */
export function encodeTraceRequest(spans: readonly ReadableSpan[]): Uint8Array {
  return encodeWith((w) => writeTraceRequest(w, spans));
}

/**
 * A span batch already redacted and encoded as its OTLP request: the form a batch waits and travels in
 * once the guarded exporter has taken it (src/export/guarded-exporter.ts, `pack`). `length` is its span
 * count, which is all upstream's export delegate reads of a batch besides handing it to this serializer
 * (TraceExporterMetricsHelper.countItems, @opentelemetry/otlp-transformer 0.301).
 *
 * Why: while a batch waited behind the export in flight, or travelled until the collector answered, its
 * span objects (each with its attributes, context, times, events, links: ~1.5-2 KB) stayed alive through
 * young-generation collections, which copy every live object and promote what survives twice. On the
 * bench app's /hello (Node 24, `--trace-gc`, 40,000 pipelined requests, 2026-12-05) each scavenge took
 * 11-31 ms and promoted ~6 MB, against 0.5-0.7 ms with traces off; bytes off the V8 heap are not copied.
 */
export class EncodedSpans {
  constructor(readonly body: Uint8Array, readonly length: number) {}
}

/** A batch as the exporters hold it: spans, or their encoded request. */
export type SpanBatch = ReadableSpan[] | EncodedSpans;

/** The request body for a batch in either form. */
export function traceRequestBody(batch: SpanBatch): Uint8Array {
  return batch instanceof EncodedSpans ? batch.body : encodeTraceRequest(batch);
}

export interface TraceSerializer<Response> {
  serializeRequest(batch: SpanBatch): Uint8Array | undefined;
  deserializeResponse(data: Uint8Array): Response;
}

/**
 * A body as its whole ArrayBuffer, where it owns one of exactly its size (every body `finish()` makes
 * does), else as it is. For upstream's gRPC transport only: its send() starts with `Buffer.from(data)`
 * (@opentelemetry/otlp-grpc-exporter-base 0.301.2, GrpcExporterTransport.send), which copies a
 * Uint8Array and views an ArrayBuffer; grpc-js then copies the message once more into its frame. Our
 * bodies are never written after `finish()`, so a view is safe, retries included.
 * Why: `bench/perf-record.mjs obs` on /hello (Node 24, 2026-12-05) put that copy, with the page faults
 * of its fresh 210 KB destination per 512-span batch, at 1.2 % of the process's CPU.
 */
function wholeBuffer(body: Uint8Array): Uint8Array {
  return body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? (body.buffer as unknown as Uint8Array) : body;
}

/**
 * Our serializer, answering responses with `deserializeResponse` (upstream's, from the same
 * otlp-transformer the exporter uses); `forGrpcTransport`: bodies handed over as their ArrayBuffer (see wholeBuffer).
 */
export function traceSerializer<Response>(deserializeResponse: (data: Uint8Array) => Response, forGrpcTransport = false): TraceSerializer<Response> {
  const serializeRequest = forGrpcTransport ? (batch: SpanBatch) => wholeBuffer(traceRequestBody(batch)) : traceRequestBody;
  return { serializeRequest, deserializeResponse };
}
