// The OTel diag bridge: OpenTelemetry's own diagnostics (api.diag and the SDK's global error handler)
// go through our single stderr voice (src/log.ts); its info chatter stays out at the default level.
import type { DiagLogger } from '@opentelemetry/api';
import type { ApiModule } from './app-api.js';
import { errorLine, enabled, log } from '../log.js';
import { otel } from './otel.js';

const { DiagLogLevel } = otel('@opentelemetry/api');
const { setGlobalErrorHandler } = otel('@opentelemetry/core');

const DUPLICATE_REGISTRATION = /Attempted duplicate registration of API: (\w+)/;

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v)?.slice(0, 300) ?? String(v);
  } catch {
    return String(v);
  }
}

/** An app that starts its own SDK besides the preload: ours stays (see docs/signals.md, "One SDK per process"). */
function secondSdkMessage(api: string): string {
  return `the app registered its own OpenTelemetry ${api} global after @org/obs; ours stays and the app's is ignored `
    + '(one SDK per process): remove the SDK start from the app, or run it without --import @org/obs/register';
}

export interface DiagBridge {
  /** Our globals are in place: from now on a duplicate registration is the app's own SDK, after ours. */
  oursRegistered(): void;
}

/** Registered through the registrar copy: the first global registered stamps its API version. */
export function bridgeOtelDiag(api: ApiModule): DiagBridge {
  // Until then a duplicate registration is ours being refused (another SDK came first): start() says
  // that in its one "failed to start" line, so the API's own complaint is not repeated as a second one.
  let ours = false;
  // The SDK passes details as extra arguments; keep them, on one line.
  const line = (m: string, args: unknown[]): string =>
    [m, ...args.map((a) => (a instanceof Error ? errorLine(a) : typeof a === 'string' ? a : safeJson(a)))].join(' ');
  const logger: DiagLogger = {
    error: (m, ...a) => {
      const duplicate = DUPLICATE_REGISTRATION.exec(m);
      if (!duplicate) log.error(line(m, a));
      else if (ours) log.warn(secondSdkMessage(duplicate[1]));
    },
    warn: (m, ...a) => log.warn(line(m, a)),
    info: (m, ...a) => log.debug(line(m, a)),
    debug: (m, ...a) => log.debug(line(m, a)),
    verbose: (m, ...a) => log.debug(line(m, a)),
  };
  api.diag.setLogger(logger, { logLevel: enabled('debug') ? DiagLogLevel.DEBUG : DiagLogLevel.WARN, suppressOverrideMessage: true });
  // The SDK's default handler prints whole JSON-encoded errors; ours says one rate-limited line.
  setGlobalErrorHandler((err) => log.warn(errorLine(err)));
  return { oursRegistered: () => { ours = true; } };
}
