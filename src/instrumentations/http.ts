// node:http / node:https server and client spans and the stable http.*.request.duration metrics, plus the
// request-scoped signals of src/instrumentations/http-hooks.ts.
import { IncomingMessage, ServerResponse, type RequestOptions } from 'node:http';
import type { InstrumentationSpec } from './types.js';
import { pathMatcher } from './ignore-paths.js';
import { isOwnServerRequest } from '../admin/server-marks.js';
import { httpSignalHooks } from './http-hooks.js';
import { settleRequestError } from '../app-signals/request-errors.js';
import { otel } from '../sdk/otel.js';

export const http: InstrumentationSpec = {
  name: 'http',
  package: '@opentelemetry/instrumentation-http',
  modules: [],
  create({ config }) {
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
    return new HttpInstrumentation({
      ignoreOutgoingRequestHook: isOwnExport,
      ignoreIncomingRequestHook: (req: IncomingMessage) => isOwnServerRequest(req) || isInfra(req.url),
      startIncomingSpanHook: hooks.startIncomingSpanHook,
      requestHook: hooks.requestHook,
      responseHook: hooks.responseHook,
      // Runs after the status is set from the code and before the span ends: a framework's exception on a 5xx.
      applyCustomAttributesOnSpan: (span, req, res) => {
        if (res instanceof ServerResponse && req instanceof IncomingMessage) settleRequestError(span, req, res);
      },
    });
  },
};
