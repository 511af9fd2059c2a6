// One stable line per kind of export failure: log.ts prints an identical line at most once a
// minute, so the varying parts of transport errors (gRPC timings, resolution notes) are cut off.
import { errorLine } from '../log.js';

export function stableFailure(err: unknown): string {
  return errorLine(err ?? 'unknown error')
    .replace(/(Deadline exceeded) after .*$/, '$1')
    .replace(/\.? ?Resolution note:.*$/, '')
    .replace(/\b\d+(\.\d+)?m?s\b/g, '…')
    .trim();
}

/**
 * The error handed back to the batch processor: its text is the line we log ourselves, so the SDK's
 * global error handler (which prints errorLine(err) through the same rate limiter) repeats nothing.
 */
export function exportFailure(signal: string, target: string, err: unknown): Error {
  return new Error(`${signal} export to ${target} failed: ${stableFailure(err)}${protocolHint(err)}`);
}

/**
 * An HTTP exporter that reads HTTP/2 frames back has reached a gRPC server: a collector's gRPC port other
 * than 4317 does not choose gRPC by itself (only the well-known port does), so say which variable does.
 */
export function protocolHint(err: unknown): string {
  const text = errorLine(err ?? '');
  return /Parse Error: Expected HTTP\/|HPE_INVALID_CONSTANT/.test(text)
    ? ' (the endpoint answers in HTTP/2: a gRPC port? set OTEL_EXPORTER_OTLP_PROTOCOL=grpc)'
    : '';
}
