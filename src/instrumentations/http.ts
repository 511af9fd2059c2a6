// node:http / node:https server and client spans and the stable http.*.request.duration metrics, plus the
// request-scoped signals. The server side is ours (./http-server/, on Node's http channels) unless
// OBS_HTTP_SERVER=otel; instrumentation-http keeps the client side (and the server side under that switch).
import { IncomingMessage, ServerResponse, type RequestOptions } from 'node:http';
import type { InstrumentationSpec } from './types.js';
import { pathMatcher } from './ignore-paths.js';
import { isOwnServerRequest } from '../admin/server-marks.js';
import { httpSignalHooks } from './http-hooks.js';
import { settleRequestError } from '../app-signals/request-errors.js';
import { otel } from '../sdk/otel.js';
import { HttpServerInstrumentation } from './http-server/instrumentation.js';

export const http: InstrumentationSpec = {
  name: 'http',
  package: '@opentelemetry/instrumentation-http',
  modules: [],
  create({ config, contextEntry }) {
    const { HttpInstrumentation } = otel('@opentelemetry/instrumentation-http');
    const isInfra = pathMatcher(config.ignorePaths);
    // Request id, enduser.id, route fallback and auth.attempts (docs/signals.md).
    const hooks = httpSignalHooks(config.signals);
    // Our own OTLP/HTTP exports must not be measured as the app's outgoing calls.
    const ownTargets = new Set<string>();
    for (const { endpoint } of Object.values(config.otlp)) {
      try {
        const u = new URL(endpoint);
        ownTargets.add(`${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`);
      } catch {
        // validated in config
      }
    }
    const isOwnExport = (o: RequestOptions): boolean => {
      const host = (o.hostname ?? o.host ?? 'localhost').replace(/^\[|\]$/g, '');
      const port = String(o.port ?? (o.protocol === 'https:' ? 443 : 80));
      return ownTargets.has(`${host}:${port}`);
    };
    const ignoreIncoming = (req: IncomingMessage): boolean => isOwnServerRequest(req) || isInfra(req.url);
    const ownServer = config.httpServer === 'obs' && contextEntry !== undefined;
    const upstream = new HttpInstrumentation({
      // Without this, 0.301.2 wraps http(s).Server.prototype.emit and binds req and res per request.
      disableIncomingRequestInstrumentation: ownServer,
      ignoreOutgoingRequestHook: isOwnExport,
      ignoreIncomingRequestHook: ignoreIncoming,
      startIncomingSpanHook: hooks.startIncomingSpanHook,
      requestHook: hooks.requestHook,
      responseHook: hooks.responseHook,
      // Runs after the status is set from the code and before the span ends: a framework's exception on a 5xx.
      applyCustomAttributesOnSpan: (span, req, res) => {
        if (res instanceof ServerResponse && req instanceof IncomingMessage) settleRequestError(span, req, res);
      },
    });
    if (!ownServer) return upstream;
    return [upstream, new HttpServerInstrumentation({ signals: config.signals, version: upstream.instrumentationVersion, contextEntry, ignore: ignoreIncoming })];
  },
};
