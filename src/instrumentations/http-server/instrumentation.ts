// Our HTTP server span, from Node's http diagnostics channels: started on http.server.request.start
// (published synchronously before the server's 'request' event, so one enterWith makes the request's
// context active for its whole handler), ended on http.server.response.finish, with a 'close' fallback
// for aborted requests. No emitter is bound per request (see src/sdk/context-manager.ts).
import diagnosticsChannel from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, Span, TracerProvider } from '@opentelemetry/api';
import type { RPCMetadata } from '@opentelemetry/core';
import type { Instrumentation, InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { SignalsConfig } from '../../config/config.js';
import { attachIds } from '../../app-signals/request-id.js';
import { settleRequestError } from '../../app-signals/request-errors.js';
import { normalizeMethod, requestAttributes } from './attributes.js';
import { recordServerDuration, serverDurationAttributes } from './duration.js';
import { serverSignals, type ServerSignals } from './signals.js';
import { serverSpanStarter, type StartServerSpan } from './span-start.js';
import { otel } from '../../sdk/otel.js';
import { LinkedContext } from '../../sdk/linked-context.js';

const api = otel('@opentelemetry/api');
const { RPCType, setRPCMetadata, suppressTracing } = otel('@opentelemetry/core');

/**
 * The instrumentation scope the server span and duration metric had under instrumentation-http: kept so
 * a query or dashboard filtering on otel_scope_name / otel.scope.name still finds them.
 */
export const SCOPE_NAME = '@opentelemetry/instrumentation-http';
const START = 'http.server.request.start';
const FINISH = 'http.server.response.finish';
/** Where a response keeps its request's record: a symbol field costs less than a WeakMap lookup. */
const RECORD = Symbol('@org/obs.server-span');
/** Same symbol as the context manager's: Node-fired events on req/res then run in the request's context. */
const EMITTER_CONTEXT = Symbol.for('@org/obs.emitter-context');

export interface ContextEntry {
  /** Makes ctx the active context for the rest of the current synchronous run (AsyncLocalStorage.enterWith). */
  enterWith(ctx: Context): void;
}

export interface HttpServerOptions {
  readonly signals: SignalsConfig;
  readonly version: string;
  readonly contextEntry: ContextEntry;
  /** Own servers and OBS_IGNORE_PATHS: no span, no metric, tracing suppressed inside. */
  readonly ignore: (req: IncomingMessage) => boolean;
}

/** What a request carries from start to end, on its response object. */
interface ServerRecord {
  span: Span;
  meta: RPCMetadata;
  req: IncomingMessage | undefined;
  method: string;
  scheme: string;
  protocol: string | undefined;
  start: number;
}

interface ChannelMessage {
  request: IncomingMessage;
  response: ServerResponse & { [RECORD]?: ServerRecord; [EMITTER_CONTEXT]?: Context };
}

export class HttpServerInstrumentation implements Instrumentation {
  readonly instrumentationName = SCOPE_NAME;
  readonly instrumentationVersion: string;
  private startSpan: StartServerSpan;
  private readonly signals: ServerSignals;
  private enabled = false;
  private readonly onStart = (message: unknown): void => this.start(message as ChannelMessage);
  private readonly onFinish = (message: unknown): void => this.end((message as ChannelMessage).response);
  /** The 'close' fallback shared by every response: one function, not a closure per request. */
  private readonly onClose: (this: ServerResponse) => void;

  constructor(private readonly options: HttpServerOptions) {
    this.instrumentationVersion = options.version;
    this.signals = serverSignals(options.signals);
    this.startSpan = serverSpanStarter(api.trace.getTracer(SCOPE_NAME, options.version));
    const end = (res: ServerResponse): void => this.end(res);
    this.onClose = function (this: ServerResponse): void {
      end(this);
    };
    this.enable();
  }

  enable(): void {
    if (this.enabled) return;
    this.enabled = true;
    diagnosticsChannel.subscribe(START, this.onStart);
    diagnosticsChannel.subscribe(FINISH, this.onFinish);
  }

  disable(): void {
    if (!this.enabled) return;
    this.enabled = false;
    diagnosticsChannel.unsubscribe(START, this.onStart);
    diagnosticsChannel.unsubscribe(FINISH, this.onFinish);
  }

  setTracerProvider(provider: TracerProvider): void {
    this.startSpan = serverSpanStarter(provider.getTracer(SCOPE_NAME, this.instrumentationVersion));
  }

  setMeterProvider(): void {
    // The duration histogram is recorded into metric cells, which every metric reader exports.
  }

  setConfig(): void {
    // configured from the environment only
  }

  getConfig(): InstrumentationConfig {
    return { enabled: this.enabled };
  }

  private start({ request: req, response: res }: ChannelMessage): void {
    // A throw here would surface inside Node's request parsing: never let one out.
    try {
      if (this.options.ignore(req)) {
        this.options.contextEntry.enterWith(suppressTracing(api.ROOT_CONTEXT));
        return;
      }
      const startedAt = performance.now();
      const method = normalizeMethod(req.method);
      const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
      const attributes = requestAttributes(req, scheme, method);
      const ids = this.signals.start(req, res, attributes);
      // From our empty context: the request's contexts are linked, not copied per value (sdk/linked-context.ts).
      const parent = api.propagation.extract(LinkedContext.ROOT, req.headers);
      const span = this.startSpan(req.method || 'GET', attributes, parent);
      const meta: RPCMetadata = { type: RPCType.HTTP, span };
      const ctx = setRPCMetadata(api.trace.setSpan(parent, span), meta);
      if (ids !== undefined) attachIds(meta, ids);
      res[RECORD] = { span, meta, req, method, scheme, protocol: req.httpVersion || undefined, start: startedAt };
      res[EMITTER_CONTEXT] = ctx;
      (req as { [EMITTER_CONTEXT]?: Context })[EMITTER_CONTEXT] = ctx;
      // `on`, not `once`: end() runs once whatever fires (it clears the record), and once() wraps the
      // listener in a fresh closure and state object per request.
      res.on('close', this.onClose);
      this.options.contextEntry.enterWith(ctx);
    } catch {
      // the request runs untraced
    }
  }

  /** Runs once per request: on finish, or on close when the response never finished (an abort). */
  private end(res: ServerResponse & { [RECORD]?: ServerRecord }): void {
    const record = res[RECORD];
    if (record === undefined) return;
    res[RECORD] = undefined;
    try {
      const { span, meta, method } = record;
      const req = record.req!;
      record.req = undefined;
      const url = req.url ?? '/';
      const frameworkRoute = meta.type === RPCType.HTTP ? meta.route : undefined;
      const route = this.signals.route(frameworkRoute, url);
      meta.route = route;
      const status = res.statusCode;
      span.setAttribute('http.response.status_code', status);
      span.setAttribute('http.route', route);
      span.setStatus({ code: status >= 100 && status < 500 ? api.SpanStatusCode.UNSET : api.SpanStatusCode.ERROR });
      if (status >= 500 && status < 600) span.setAttribute('error.type', String(status));
      span.updateName(`${req.method || 'GET'} ${route}`);
      settleRequestError(span, req, res, route);
      span.end();
      recordServerDuration(serverDurationAttributes(method, record.scheme, record.protocol, route, status), (performance.now() - record.start) / 1000);
      this.signals.end(req.method ?? 'GET', url, frameworkRoute, res);
    } catch {
      // telemetry only: the response is already on its way
    }
  }
}
