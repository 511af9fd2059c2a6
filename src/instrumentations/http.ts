// node:http / node:https server and client spans and the stable http.*.request.duration metrics, plus the
// request-scoped signals of src/http-hooks.ts.
import { createRequire } from 'node:module';
import type { IncomingMessage } from 'node:http';
import type { InstrumentationSpec } from './types.js';
import { pathMatcher } from '../infra-paths.js';
import { isOwnServerRequest } from '../own-servers.js';
import { httpSignalHooks } from '../http-hooks.js';

const require = createRequire(import.meta.url);

export const http: InstrumentationSpec = {
  name: 'http',
  package: '@opentelemetry/instrumentation-http',
  modules: [],
  create({ config }) {
    const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
    const isInfra = pathMatcher(config.ignorePaths);
    // Request id, enduser.id, route fallback and auth.attempts (docs/signals.md).
    const hooks = httpSignalHooks(config.signals);
    return new HttpInstrumentation({
      ignoreIncomingRequestHook: (req: IncomingMessage) => isOwnServerRequest(req) || isInfra(req.url),
      startIncomingSpanHook: hooks.startIncomingSpanHook,
      requestHook: hooks.requestHook,
      responseHook: hooks.responseHook,
    });
  },
};
