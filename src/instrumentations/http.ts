// node:http / node:https server and client spans and the stable http.*.request.duration metrics.
import { createRequire } from 'node:module';
import type { IncomingMessage } from 'node:http';
import type { InstrumentationSpec } from './types.js';
import { pathMatcher } from '../infra-paths.js';
import { isOwnServerRequest } from '../own-servers.js';

const require = createRequire(import.meta.url);

export const http: InstrumentationSpec = {
  name: 'http',
  package: '@opentelemetry/instrumentation-http',
  modules: [],
  create({ config }) {
    const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
    const isInfra = pathMatcher(config.ignorePaths);
    return new HttpInstrumentation({
      ignoreIncomingRequestHook: (req: IncomingMessage) => isOwnServerRequest(req) || isInfra(req.url),
    });
  },
};
