// Request-handling exceptions (express, fastify and koa error paths) on the HTTP server span and in
// http.server.errors{error.type, http.route, http.request.method}: the guide's api_errors_total.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Span } from '@opentelemetry/api';
import { otel } from '../sdk/otel.js';
import { counterCells, type CounterCells } from '../sdk/metric-cells/cell-set.js';

const { context, SpanStatusCode } = otel('@opentelemetry/api');
const { getRPCMetadata } = otel('@opentelemetry/core');

/** error.type values are code identifiers, yet a generated class name per request must not grow series. */
const TYPE_LIMIT = 100;
const MESSAGE_MAX = 500;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']);

// First error per response: the one thrown at the origin, not a handler's rethrow or replacement of it.
const errors = new WeakMap<ServerResponse, unknown>();
const types = new Set<string>();
let counter: CounterCells | undefined;

/** A framework saw `err` while handling the request `res` answers; the verdict waits for the response. */
export function noteRequestError(res: ServerResponse | undefined, err: unknown): void {
  if (!res || err === undefined || err === null || errors.has(res)) return;
  errors.set(res, err);
}

/** The class name (`PaymentError` also when its `name` stays `Error`), bounded. */
export function errorType(err: unknown): string {
  let t = 'Error';
  if (typeof err === 'object' && err !== null) {
    const ctor = (err as { constructor?: { name?: unknown } }).constructor?.name;
    const name = (err as { name?: unknown }).name;
    t = typeof ctor === 'string' && ctor !== '' && ctor !== 'Object' && ctor !== 'Error' ? ctor : typeof name === 'string' && name !== '' ? name : 'Error';
  } else {
    t = typeof err;
  }
  if (types.has(t)) return t;
  if (types.size >= TYPE_LIMIT) return '_OTHER';
  types.add(t);
  return t;
}

function messageOf(err: unknown): string {
  const m = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : err;
  return String(m ?? '').slice(0, MESSAGE_MAX);
}

/**
 * Called at the server span's end (ours, or instrumentation-http's applyCustomAttributesOnSpan), after it set the span's status from the
 * status code (which drops any message) and before it ends the span. Only a 5xx answer is a server error:
 * a thrown 404 or validation error is the framework's way of answering the client.
 */
export function settleRequestError(span: Span, req: IncomingMessage, res: ServerResponse, route?: string): void {
  const err = errors.get(res);
  if (err === undefined || res.statusCode < 500) return;
  const type = errorType(err);
  const message = messageOf(err);
  if (span.isRecording()) {
    const stack = typeof err === 'object' && err !== null ? (err as { stack?: unknown }).stack : undefined;
    span.recordException({ name: type, message, stack: typeof stack === 'string' ? stack : undefined });
    span.setStatus({ code: SpanStatusCode.ERROR, message: `${type}: ${message}` });
  }
  const method = (req.method ?? 'GET').toUpperCase();
  counter ??= counterCells({
    name: 'http.server.errors',
    description: 'Exceptions thrown while handling a request that ended in a 5xx answer, by exception type and route.',
    unit: '{error}',
  });
  // The route the server span settled on (framework route, template or _OTHER) before this runs.
  const labelRoute = route ?? getRPCMetadata(context.active())?.route ?? '_OTHER';
  const m = METHODS.has(method) ? method : '_OTHER';
  counter.cellFor(`${type}\u0000${labelRoute}\u0000${m}`, () => ({ 'error.type': type, 'http.route': labelRoute, 'http.request.method': m })).add(1);
}
