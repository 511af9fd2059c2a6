// http.server.request.duration in cells: the narrow entry our own server-span path calls at a response's
// finish, with instrumentation-http's exact metric definition (name, unit, description, semconv advisory
// buckets; checked in test/metric-cells-server-duration.test.ts against the installed instrumentation).
import type { Attributes } from '@opentelemetry/api';
import { histogramCells, type HistogramCells } from './cell-set.js';

/** The stable HTTP semconv advisory boundaries instrumentation-http gives this histogram, in seconds. */
export const SERVER_DURATION_BOUNDARIES: readonly number[] = Object.freeze([0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]);

let cells: HistogramCells | undefined;

/** Created on first use: a process that never serves a request exports no such metric, as before. */
export function serverDurationCells(): HistogramCells {
  return cells ??= histogramCells({
    name: 'http.server.request.duration',
    unit: 's',
    description: 'Duration of HTTP server requests.',
    boundaries: SERVER_DURATION_BOUNDARIES,
  });
}

/**
 * One finished server request. `attributes` is the caller's cached object for this label set (one per
 * method, route, status, scheme, protocol version, error type): the same keys and values
 * instrumentation-http records, e.g. `{ 'http.request.method': 'GET', 'url.scheme': 'http',
 * 'http.route': '/users/:id', 'http.response.status_code': 200, 'network.protocol.version': '1.1' }`.
 */
export function recordServerDuration(attributes: Attributes, seconds: number): void {
  (cells ?? serverDurationCells()).cell(attributes).record(seconds);
}
