// The request-scoped application signals on our server span: request id in (span attribute) and out
// (response header, echo-header.ts), enduser.id, the bounded route fallback, and auth.attempts at the end.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Attributes } from '@opentelemetry/api';
import type { SignalsConfig } from '../../config/config.js';
import { ATTR_ENDUSER_ID, ATTR_REQUEST_ID, assignIds, type RequestIds } from '../../app-signals/request-id.js';
import { routeLimiter } from '../../app-signals/route-template.js';
import { parseAuthRoutes, recordAuthAttempt } from '../../app-signals/auth-metrics.js';
import { echoHeader } from './echo-header.js';

export interface ServerSignals {
  /** Adds the ids' span attributes to `attributes` and returns the ids (undefined when neither header is configured). */
  start(req: IncomingMessage, res: ServerResponse, attributes: Attributes): RequestIds | undefined;
  /** The route the span and the duration metric carry: the framework's, else a bounded template. */
  route(frameworkRoute: string | undefined, url: string): string;
  /** auth.attempts for a response on a configured authentication route. */
  end(method: string, url: string, frameworkRoute: string | undefined, res: ServerResponse): void;
}

export function serverSignals(signals: SignalsConfig): ServerSignals {
  const { requestIdHeader, userIdHeader } = signals;
  const limiter = routeLimiter(signals.routeLimit);
  const authRoutes = parseAuthRoutes(signals.authRoutes);
  const echo = requestIdHeader ? echoHeader(requestIdHeader) : undefined;
  return {
    start(req, res, attributes) {
      if (!requestIdHeader && !userIdHeader) return undefined;
      const ids = assignIds(req, { requestIdHeader, userIdHeader });
      if (requestIdHeader) {
        attributes[ATTR_REQUEST_ID] = ids.requestId;
        // Joins the response head when it is written; a value the app sets by then wins.
        echo!(res, ids.requestId);
      }
      if (ids.userId !== undefined) attributes[ATTR_ENDUSER_ID] = ids.userId;
      return ids;
    },
    route(frameworkRoute, url) {
      return frameworkRoute ?? limiter.route(url);
    },
    end(method, url, frameworkRoute, res) {
      // An aborted response never told the client anything: not an authentication verdict.
      if (authRoutes.length === 0 || !res.writableFinished) return;
      const q = url.indexOf('?');
      const rawPath = q === -1 ? url : url.slice(0, q);
      recordAuthAttempt(authRoutes, method.toUpperCase(), frameworkRoute ?? rawPath, res.statusCode, frameworkRoute !== undefined);
    },
  };
}
