// Environment → one frozen Config plus the warnings it produced. Pure: reads only the env it is given.
import { bool, list, num, oneOf, pairs, raw, url, type Env, type Reader } from './env.js';
import type { LogLevel } from '../log.js';

export type Signal = 'traces' | 'metrics' | 'logs';
export type OtlpProtocol = 'grpc' | 'http/protobuf' | 'http/json';
export type DbStatementMode = 'raw' | 'sanitized' | 'off';
/** URL paths in url.path, url.full and the like: segments that are not words, versions or short numbers masked, or kept. */
export type UrlPathMode = 'redacted' | 'raw';

export interface OtlpTarget {
  readonly protocol: OtlpProtocol;
  /** Full URL: for HTTP it includes the /v1/<signal> path; for gRPC it is scheme://host:port. */
  readonly endpoint: string;
}

export interface BatchLimits {
  readonly scheduleDelayMs: number;
  readonly exportTimeoutMs: number;
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
}

export interface Config {
  readonly disabled: boolean;
  readonly logLevel: LogLevel;
  readonly serviceName?: string;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly exporters: Readonly<Record<Signal, readonly string[]>>;
  readonly otlp: Readonly<Record<Signal, OtlpTarget>>;
  readonly sampler: { readonly name: string; readonly ratio: number };
  readonly propagators: readonly string[];
  /** undefined: our default set; otherwise exactly these names. */
  readonly enabledInstrumentations?: readonly string[];
  readonly disabledInstrumentations: readonly string[];
  readonly resourceDetectors: readonly string[];
  readonly metricExportIntervalMs: number;
  readonly metricExportTimeoutMs: number;
  readonly bsp: BatchLimits;
  readonly blrp: BatchLimits;
  readonly prometheus: { readonly host: string; readonly port: number };
  readonly semconvOptIn: string;
  readonly dbStatement: DbStatementMode;
  readonly urlPath: UrlPathMode;
  /** Extra attribute-key fragments treated as secrets (OBS_REDACT_KEYS). */
  readonly redactKeys: readonly string[];
  /** Query keys whose values are kept in exported URLs (OBS_URL_QUERY_KEEP); all others are redacted. */
  readonly keepQueryKeys: readonly string[];
  readonly metricsTemporality: 'cumulative' | 'delta' | 'lowmemory';
  readonly ignorePaths: readonly string[];
  /** OBS_HTTP_SERVER: `obs` our server span on Node's http channels; `otel` instrumentation-http's server side. */
  readonly httpServer: 'obs' | 'otel';
  readonly shutdownTimeoutMs: number;
  /** Who encodes OTLP protobuf trace requests (OBS_OTLP_WRITER): our one-pass writer, or upstream's serializer. */
  readonly otlpTraceWriter: 'obs' | 'upstream';
  readonly doctorReport?: string;
  /** Application signals (docs/signals.md): request ids, console bridge, auth routes, route cap, probes. */
  readonly signals: SignalsConfig;
}

export interface SignalsConfig {
  /** Lower-case header carrying the request id in and out; undefined when OBS_REQUEST_ID_HEADER=off. */
  readonly requestIdHeader?: string;
  /** Lower-case header whose value becomes enduser.id; off by default. */
  readonly userIdHeader?: string;
  readonly consoleCapture: boolean;
  /** "METHOD /route" or "/route" entries (OBS_AUTH_ROUTES). */
  readonly authRoutes: readonly string[];
  readonly routeLimit: number;
  /** Dedicated probe port (OBS_HEALTH_PORT); undefined: probes only on the Prometheus port, if any. */
  readonly healthPort?: number;
  readonly healthHost: string;
  readonly livenessMaxLagMs: number;
  /** Dependencies /readyz checks through the app's own clients (OBS_READY_CHECKS); empty: none. */
  readonly readyChecks: readonly ('pg' | 'redis')[];
  readonly readyTimeoutMs: number;
}

export interface ConfigResult {
  readonly config: Config;
  readonly warnings: readonly string[];
}

const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];
const PROTOCOLS: readonly OtlpProtocol[] = ['grpc', 'http/protobuf', 'http/json'];
const LOG_LEVELS: readonly LogLevel[] = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'];
const SAMPLERS = [
  'always_on', 'always_off', 'traceidratio',
  'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio',
] as const;
const EXPORTERS: Record<Signal, readonly string[]> = {
  traces: ['otlp', 'console', 'none'],
  metrics: ['otlp', 'console', 'prometheus', 'none'],
  logs: ['otlp', 'console', 'none'],
};
/** The design card: traces over gRPC, metrics and logs over HTTP. */
/** Propagators OpenTelemetry JS 3.x no longer ships (open-telemetry/opentelemetry-js#7077). */
const REMOVED_PROPAGATORS = {
  jaeger: 'OpenTelemetry JS 3.x removed (deprecated by the specification in favour of tracecontext); it is ignored',
};
const DEFAULT_PROTOCOL: Record<Signal, OtlpProtocol> = { traces: 'grpc', metrics: 'http/protobuf', logs: 'http/protobuf' };
const DEFAULT_GRPC = 'http://localhost:4317';
const DEFAULT_HTTP = 'http://localhost:4318';
/** Whole segments (src/instrumentations/ignore-paths.ts): `/health/*` is /health and below, never /healthcare. */
export const DEFAULT_IGNORE_PATHS: readonly string[] = ['/health/*', '/healthz', '/ready/*', '/readyz', '/live/*', '/livez', '/metrics', '/favicon.ico'];

/** The OTLP well-known ports say which protocol an endpoint speaks; anything else says nothing. */
function protocolOf(endpoint: string): OtlpProtocol | undefined {
  try {
    const u = new URL(endpoint);
    if (u.port === '4317') return 'grpc';
    if (u.port === '4318' || /\/v1\/(traces|metrics|logs)\/?$/.test(u.pathname)) return 'http/protobuf';
  } catch {
    // validated elsewhere
  }
  return undefined;
}

/**
 * `/v1/<signal>` appended to the endpoint's path. A query string (a gateway's token or tenant) stays on
 * every signal's URL, after the path, instead of swallowing the signal path (404 on every signal).
 */
function withSignalPath(base: string, signal: Signal): string {
  try {
    const u = new URL(base);
    u.pathname = u.pathname.replace(/\/+$/, '') + '/v1/' + signal;
    return u.toString();
  } catch {
    return base.replace(/\/+$/, '') + '/v1/' + signal;
  }
}

/**
 * Where and how each signal is sent. A per-signal variable wins over the generic one. When the user
 * sets only OTEL_EXPORTER_OTLP_ENDPOINT, every signal goes to that endpoint with one protocol (the
 * endpoint's well-known port decides, else the spec's http/protobuf), so all three signals reach it.
 */
function otlpTarget(r: Reader, signal: Signal): OtlpTarget {
  const S = signal.toUpperCase();
  const signalProtocol = raw(r, `OTEL_EXPORTER_OTLP_${S}_PROTOCOL`) !== undefined
    ? oneOf(r, `OTEL_EXPORTER_OTLP_${S}_PROTOCOL`, PROTOCOLS, DEFAULT_PROTOCOL[signal])
    : undefined;
  const genericProtocol = raw(r, 'OTEL_EXPORTER_OTLP_PROTOCOL') !== undefined
    ? oneOf(r, 'OTEL_EXPORTER_OTLP_PROTOCOL', PROTOCOLS, 'http/protobuf')
    : undefined;
  const signalEndpoint = url(r, `OTEL_EXPORTER_OTLP_${S}_ENDPOINT`);
  const genericEndpoint = url(r, 'OTEL_EXPORTER_OTLP_ENDPOINT');

  if (signalEndpoint !== undefined) {
    const protocol = signalProtocol ?? protocolOf(signalEndpoint) ?? genericProtocol ?? DEFAULT_PROTOCOL[signal];
    return { protocol, endpoint: signalEndpoint };
  }
  if (genericEndpoint !== undefined) {
    const protocol = signalProtocol ?? genericProtocol ?? protocolOf(genericEndpoint) ?? 'http/protobuf';
    return { protocol, endpoint: protocol === 'grpc' ? genericEndpoint : withSignalPath(genericEndpoint, signal) };
  }
  const protocol = signalProtocol ?? genericProtocol ?? DEFAULT_PROTOCOL[signal];
  return { protocol, endpoint: protocol === 'grpc' ? DEFAULT_GRPC : withSignalPath(DEFAULT_HTTP, signal) };
}

function batchLimits(r: Reader, prefix: 'OTEL_BSP' | 'OTEL_BLRP', scheduleDelayDefault: number): BatchLimits {
  const maxQueueSize = num(r, `${prefix}_MAX_QUEUE_SIZE`, 2048, { min: 1, max: 65_536 });
  const before = r.warnings.length;
  const batch = num(r, `${prefix}_MAX_EXPORT_BATCH_SIZE`, 512, { min: 1, max: 65_536 });
  let maxExportBatchSize = batch;
  if (batch > maxQueueSize) {
    // One warning per bad variable: if the value was already reported (and clamped), only cap it.
    if (r.warnings.length === before) r.warnings.push(`${prefix}_MAX_EXPORT_BATCH_SIZE (${batch}) exceeds ${prefix}_MAX_QUEUE_SIZE (${maxQueueSize}); using ${maxQueueSize}`);
    maxExportBatchSize = maxQueueSize;
  }
  return {
    scheduleDelayMs: num(r, `${prefix}_SCHEDULE_DELAY`, scheduleDelayDefault, { min: 0, max: 600_000 }),
    exportTimeoutMs: num(r, `${prefix}_EXPORT_TIMEOUT`, 30_000, { min: 1, max: 600_000 }),
    maxQueueSize,
    maxExportBatchSize,
  };
}

function exporterList(r: Reader, signal: Signal): string[] {
  const name = `OTEL_${signal.toUpperCase()}_EXPORTER`;
  const items = list(r, name, ['otlp'], EXPORTERS[signal]);
  if (items.includes('none')) return [];
  return items.length > 0 ? [...new Set(items)] : ['otlp'];
}

function sampler(r: Reader): { name: string; ratio: number } {
  const name = oneOf(r, 'OTEL_TRACES_SAMPLER', SAMPLERS, 'parentbased_always_on');
  const ratio = name.endsWith('traceidratio')
    ? num(r, 'OTEL_TRACES_SAMPLER_ARG', 1, { min: 0, max: 1, integer: false })
    : 1;
  return { name, ratio };
}

function headerName(r: Reader, name: string, fallback: string | undefined): string | undefined {
  const v = raw(r, name);
  if (v === undefined) return fallback;
  if (['off', 'none', 'false'].includes(v.toLowerCase())) return undefined;
  if (/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(v)) return v.toLowerCase();
  r.warnings.push(`${name}=${JSON.stringify(v.slice(0, 40))} is not an HTTP header name; using ${JSON.stringify(fallback ?? 'off')}`);
  return fallback;
}

function signalsConfig(r: Reader): SignalsConfig {
  const healthPortSet = raw(r, 'OBS_HEALTH_PORT') !== undefined;
  return {
    requestIdHeader: headerName(r, 'OBS_REQUEST_ID_HEADER', 'x-request-id'),
    userIdHeader: headerName(r, 'OBS_USER_ID_HEADER', undefined),
    consoleCapture: bool(r, 'OBS_CONSOLE_CAPTURE', false),
    authRoutes: list(r, 'OBS_AUTH_ROUTES', []),
    routeLimit: num(r, 'OBS_ROUTE_LIMIT', 100, { min: 1, max: 10_000 }),
    healthPort: healthPortSet ? num(r, 'OBS_HEALTH_PORT', 0, { min: 0, max: 65_535 }) : undefined,
    healthHost: raw(r, 'OBS_HEALTH_HOST') ?? '127.0.0.1',
    livenessMaxLagMs: num(r, 'OBS_LIVENESS_MAX_LAG_MS', 2000, { min: 10, max: 600_000 }),
    readyChecks: list(r, 'OBS_READY_CHECKS', [], ['pg', 'redis']) as ('pg' | 'redis')[],
    readyTimeoutMs: num(r, 'OBS_READY_TIMEOUT_MS', 500, { min: 10, max: 60_000 }),
  };
}

export function readConfig(env: Env): ConfigResult {
  const r: Reader = { env, warnings: [] };
  const otlp = {} as Record<Signal, OtlpTarget>;
  const exporters = {} as Record<Signal, string[]>;
  for (const s of SIGNALS) {
    exporters[s] = exporterList(r, s);
    otlp[s] = otlpTarget(r, s);
  }
  const enabledRaw = raw(r, 'OTEL_NODE_ENABLED_INSTRUMENTATIONS');
  const config: Config = {
    disabled: bool(r, 'OTEL_SDK_DISABLED', false),
    logLevel: oneOf(r, 'OTEL_LOG_LEVEL', LOG_LEVELS, 'info'),
    serviceName: raw(r, 'OTEL_SERVICE_NAME'),
    resourceAttributes: Object.freeze(pairs(r, 'OTEL_RESOURCE_ATTRIBUTES')),
    exporters: Object.freeze(exporters),
    otlp: Object.freeze(otlp),
    sampler: Object.freeze(sampler(r)),
    propagators: list(r, 'OTEL_PROPAGATORS', ['tracecontext', 'baggage'], ['tracecontext', 'baggage', 'b3', 'b3multi', 'none'], REMOVED_PROPAGATORS),
    enabledInstrumentations: enabledRaw === undefined ? undefined : list(r, 'OTEL_NODE_ENABLED_INSTRUMENTATIONS', []).map((s) => s.toLowerCase()),
    disabledInstrumentations: list(r, 'OTEL_NODE_DISABLED_INSTRUMENTATIONS', []).map((s) => s.toLowerCase()),
    resourceDetectors: list(r, 'OTEL_NODE_RESOURCE_DETECTORS', ['env', 'host', 'os', 'process', 'serviceinstance', 'container'], [
      'env', 'host', 'os', 'process', 'serviceinstance', 'container', 'alibaba', 'aws', 'azure', 'gcp', 'all', 'none',
    ]),
    metricExportIntervalMs: num(r, 'OTEL_METRIC_EXPORT_INTERVAL', 60_000, { min: 100, max: 3_600_000 }),
    metricExportTimeoutMs: num(r, 'OTEL_METRIC_EXPORT_TIMEOUT', 30_000, { min: 100, max: 600_000 }),
    bsp: Object.freeze(batchLimits(r, 'OTEL_BSP', 5000)),
    blrp: Object.freeze(batchLimits(r, 'OTEL_BLRP', 1000)),
    prometheus: Object.freeze({
      host: raw(r, 'OTEL_EXPORTER_PROMETHEUS_HOST') ?? '127.0.0.1',
      port: num(r, 'OTEL_EXPORTER_PROMETHEUS_PORT', 9464, { min: 0, max: 65_535 }),
    }),
    semconvOptIn: raw(r, 'OTEL_SEMCONV_STABILITY_OPT_IN') ?? 'http,database',
    dbStatement: oneOf(r, 'OBS_DB_STATEMENT', ['raw', 'sanitized', 'off'] as const, 'sanitized'),
    urlPath: oneOf(r, 'OBS_URL_PATH', ['redacted', 'raw'] as const, 'redacted'),
    redactKeys: list(r, 'OBS_REDACT_KEYS', []),
    keepQueryKeys: list(r, 'OBS_URL_QUERY_KEEP', []),
    metricsTemporality: oneOf(r, 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE', ['cumulative', 'delta', 'lowmemory'] as const, 'cumulative'),
    ignorePaths: list(r, 'OBS_IGNORE_PATHS', DEFAULT_IGNORE_PATHS),
    httpServer: oneOf(r, 'OBS_HTTP_SERVER', ['obs', 'otel'] as const, 'obs'),
    shutdownTimeoutMs: num(r, 'OBS_SHUTDOWN_TIMEOUT', 3000, { min: 100, max: 60_000 }),
    otlpTraceWriter: oneOf(r, 'OBS_OTLP_WRITER', ['obs', 'upstream'] as const, 'obs'),
    doctorReport: raw(r, 'OBS_DOCTOR_REPORT'),
    signals: Object.freeze(signalsConfig(r)),
  };
  return Object.freeze({ config: Object.freeze(config), warnings: Object.freeze(r.warnings) });
}
