// Request ids (and the optional user id): taken from the incoming header or generated, then bound to
// the request's OTel context so logs and outgoing calls made while handling it find them.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Context } from '@opentelemetry/api';
import { otel } from '../sdk/otel.js';

const { context } = otel('@opentelemetry/api');
const { getRPCMetadata } = otel('@opentelemetry/core');

export interface RequestIds {
  readonly requestId: string;
  readonly userId?: string;
}

export interface RequestIdOptions {
  readonly requestIdHeader?: string;
  readonly userIdHeader?: string;
}

/** The span attribute holding the request id (one name whatever header carried it). */
export const ATTR_REQUEST_ID = 'request.id';
export const ATTR_ENDUSER_ID = 'enduser.id';

// Visible ASCII only, bounded: a header value must not be able to inject lines or bulk into logs.
const ACCEPTABLE = /^[\x21-\x7e]{1,128}$/;

// The http instrumentation builds a fresh context per request that we cannot add keys to, but it
// carries one RPC-metadata object per request through every async continuation: we key on that.
const byRequest = new WeakMap<IncomingMessage, RequestIds>();
const byMetadata = new WeakMap<object, RequestIds>();

function headerValue(req: IncomingMessage, name: string | undefined): string | undefined {
  if (!name) return undefined;
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s !== undefined && ACCEPTABLE.test(s) ? s : undefined;
}

/** Reads or generates the ids for an incoming request and remembers them on it. */
export function assignIds(req: IncomingMessage, opts: RequestIdOptions): RequestIds {
  const given = headerValue(req, opts.requestIdHeader);
  const userId = headerValue(req, opts.userIdHeader);
  const ids: RequestIds = userId === undefined ? { requestId: given ?? randomUUID() } : { requestId: given ?? randomUUID(), userId };
  byRequest.set(req, ids);
  return ids;
}

export function idsOfRequest(req: IncomingMessage | undefined): RequestIds | undefined {
  return req ? byRequest.get(req) : undefined;
}

/** Ties the request's ids to the request context active now (called inside the instrumentation's context). */
export function bindIds(req: IncomingMessage, ctx: Context = context.active()): void {
  const ids = byRequest.get(req);
  const meta = getRPCMetadata(ctx);
  if (ids && meta) byMetadata.set(meta, ids);
}

/** The ids of the request being handled in `ctx`, if any. */
export function currentIds(ctx: Context = context.active()): RequestIds | undefined {
  const meta = getRPCMetadata(ctx);
  return meta ? byMetadata.get(meta) : undefined;
}
