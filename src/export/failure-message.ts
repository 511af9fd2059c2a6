// One stable line per kind of export failure: diag.ts prints an identical line at most once a
// minute, so the varying parts of transport errors (gRPC timings, resolution notes) are cut off.
import { describe } from '../diag.js';

export function stableFailure(err: unknown): string {
  return describe(err ?? 'unknown error')
    .replace(/(Deadline exceeded) after .*$/, '$1')
    .replace(/\.? ?Resolution note:.*$/, '')
    .replace(/\b\d+(\.\d+)?m?s\b/g, '…')
    .trim();
}

/**
 * The error handed back to the batch processor: its text is the line we log ourselves, so the SDK's
 * global error handler (which prints describe(err) through the same rate limiter) repeats nothing.
 */
export function exportFailure(signal: string, target: string, err: unknown): Error {
  return new Error(`${signal} export to ${target} failed: ${stableFailure(err)}`);
}
