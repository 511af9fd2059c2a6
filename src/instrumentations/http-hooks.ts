// The http instrumentation's hooks for application signals: request id in and out, enduser.id, the
// bounded route fallback and auth.attempts, all set per request off the instrumentation's own context.
import { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import type { Attributes, Span } from '@opentelemetry/api';
import type { RPCMetadata } from '@opentelemetry/core';
import type { SignalsConfig } from '../config/config.js';
import { ATTR_ENDUSER_ID, ATTR_REQUEST_ID, assignIds, bindIds, currentIds, idsOfRequest } from '../app-signals/request-id.js';
import { routeLimiter } from '../app-signals/route-template.js';
import { parseAuthRoutes, recordAuthAttempt } from '../app-signals/auth-metrics.js';
import { otel } from '../sdk/otel.js';

const { context } = otel('@opentelemetry/api');
const { getRPCMetadata } = otel('@opentelemetry/core');

export interface HttpSignalHooks {
  startIncomingSpanHook(req: IncomingMessage): Attributes;
  requestHook(span: Span, req: ClientRequest | IncomingMessage): void;
  responseHook(span: Span, res: IncomingMessage | ServerResponse): void;
}

export function httpSignalHooks(signals: SignalsConfig): HttpSignalHooks {
  const { requestIdHeader, userIdHeader } = signals;
  const limiter = routeLimiter(signals.routeLimit);
  const authRoutes = parseAuthRoutes(signals.authRoutes);

  // Runs before the instrumentation's own 'close' listener (registered right after the hooks), so the
  // route set here is the one its duration metric and span name use.
  const onClose = (meta: RPCMetadata, req: IncomingMessage, res: ServerResponse): void => {
    const frameworkRoute = meta.route;
    if (frameworkRoute === undefined) meta.route = limiter.route(req.url ?? '/');
    // An aborted response never told the client anything: not an authentication verdict.
    if (authRoutes.length > 0 && res.writableFinished) {
      const rawPath = (req.url ?? '/').split('?')[0];
      recordAuthAttempt(authRoutes, (req.method ?? 'GET').toUpperCase(), frameworkRoute ?? rawPath, res.statusCode, frameworkRoute !== undefined);
    }
  };

  return {
    startIncomingSpanHook(req) {
      if (!requestIdHeader && !userIdHeader) return {};
      const ids = assignIds(req, { requestIdHeader, userIdHeader });
      const attrs: Attributes = {};
      if (requestIdHeader) attrs[ATTR_REQUEST_ID] = ids.requestId;
      if (ids.userId !== undefined) attrs[ATTR_ENDUSER_ID] = ids.userId;
      return attrs;
    },
    requestHook(_span, req) {
      if (req instanceof IncomingMessage) {
        bindIds(req);
        return;
      }
      // Outgoing call made while handling a request: pass the id on, unless the app set one itself.
      if (!requestIdHeader || !(req instanceof ClientRequest) || req.headersSent) return;
      const ids = currentIds();
      if (ids && req.getHeader(requestIdHeader) === undefined) req.setHeader(requestIdHeader, ids.requestId);
    },
    responseHook(_span, res) {
      if (!(res instanceof ServerResponse)) return;
      const req = res.req;
      const ids = idsOfRequest(req);
      if (ids && requestIdHeader && !res.headersSent && !res.hasHeader(requestIdHeader)) res.setHeader(requestIdHeader, ids.requestId);
      const meta = getRPCMetadata(context.active());
      if (meta) res.once('close', () => onClose(meta, req, res));
    },
  };
}

/** undici (fetch) requestHook: adds the current request id to outgoing requests that lack one. */
export function undiciRequestIdHook(signals: SignalsConfig): (span: Span, request: { headers: string | (string | string[])[]; addHeader?: (k: string, v: string) => void }) => void {
  const header = signals.requestIdHeader;
  return (_span, request) => {
    if (!header) return;
    const ids = currentIds();
    if (!ids) return;
    const h = request.headers;
    if (typeof h === 'string') {
      if (h.toLowerCase().includes(`${header}:`)) return;
    } else if (Array.isArray(h)) {
      for (let i = 0; i < h.length; i += 2) if (String(h[i]).toLowerCase() === header) return;
    }
    if (typeof request.addHeader === 'function') request.addHeader(header, ids.requestId);
    else if (typeof h === 'string') request.headers = h + `${header}: ${ids.requestId}\r\n`;
    else if (Array.isArray(h)) h.push(header, ids.requestId);
  };
}
