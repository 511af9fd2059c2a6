// The matrix's checks: what one fixture run must have produced, judged per library of its stack.
//
// Input is what the OTLP receiver got from the app (normalized spans, metric points, log records).
// Output is one verdict per library (plus the runtime-level rows), each { ok, reason }.

export const ROUTE = '/users/:id';
export const HTTP_METRIC = 'http.server.request.duration';
export const DB_METRIC = 'db.client.operation.duration';

const dbSystem = (span) => span.attributes['db.system.name'] ?? span.attributes['db.system'];

export function findServerSpan(spans) {
  return spans.find((s) => {
    if (s.kind !== 'SERVER') return false;
    const target = s.attributes['url.path'] ?? s.attributes['http.target'] ?? '';
    return String(target).startsWith('/users/');
  });
}

const isPgQuery = (s) => s.kind === 'CLIENT' && dbSystem(s) === 'postgresql' && !/connect/i.test(s.name);
const isRedis = (s) => s.kind === 'CLIENT' && dbSystem(s) === 'redis';
const isOurLog = (l) => JSON.stringify(l.body ?? '').includes('matrix-log') || JSON.stringify(l.attributes).includes('matrix-log');
/** The app's own telemetry (app-API cells), written through its own @opentelemetry/api copy. */
export const APP_SPAN = 'place order';
export const APP_COUNTER = 'orders.placed';
const isAppLog = (l) => JSON.stringify(l.body ?? '').includes('matrix-app-log');

/** The chain of span names from `span` up to the server span, or undefined when it does not lead there. */
function pathToServer(span, server, byId) {
  const names = [];
  let current = span;
  for (let hops = 0; current && hops < 32; hops++) {
    if (current.spanId === server.spanId) return names;
    names.push(current.name);
    current = byId.get(current.parentSpanId);
  }
  return undefined;
}

/** Whether the telemetry the cell needs has all arrived (the runner polls this). */
export function complete(received, stack) {
  const server = findServerSpan(received.spans);
  if (!server) return false;
  const inTrace = received.spans.filter((s) => s.traceId === server.traceId);
  const names = new Set(received.metrics.map((m) => m.name));
  return (
    inTrace.some(isPgQuery) &&
    inTrace.some(isRedis) &&
    names.has(HTTP_METRIC) &&
    names.has(DB_METRIC) &&
    (stack.log === 'none' || received.logs.some((l) => isOurLog(l) && l.traceId === server.traceId)) &&
    (!stack.appApi || (
      inTrace.some((s) => s.name === APP_SPAN) &&
      names.has(APP_COUNTER) &&
      received.logs.some((l) => isAppLog(l) && l.traceId === server.traceId)))
  );
}

function clientSpanVerdict(received, server, predicate, what) {
  const byId = new Map(received.spans.map((s) => [s.spanId, s]));
  const candidates = received.spans.filter(predicate);
  if (candidates.length === 0) return { ok: false, reason: `no ${what} client span` };
  const linked = candidates.filter((s) => s.traceId === server.traceId && pathToServer(s, server, byId));
  if (linked.length === 0) {
    const orphan = candidates[0];
    return {
      ok: false,
      reason: `${what} span "${orphan.name}" is not under the http server span (${orphan.parentSpanId ? 'other parent' : 'root span'})`,
    };
  }
  const via = (pathToServer(linked[0], server, byId) ?? []).slice(1);
  return { ok: true, detail: via.length ? `under the server span via ${via.join(' → ')}` : 'child of the server span' };
}

function metricVerdict(received, name) {
  return received.metrics.some((m) => m.name === name) ? { ok: true } : { ok: false, reason: `no ${name} metric` };
}

/** Verdicts keyed by library module name, plus 'node:http' (always), 'exit', and 'app-api:*' for app-API stacks. */
export function judge(received, stack, run) {
  const verdicts = {};
  const all = (reason) => {
    for (const lib of stack.libs) verdicts[lib.module] = { ok: false, reason };
    verdicts['node:http'] = { ok: false, reason };
    verdicts.exit = run.exit;
    return verdicts;
  };
  if (run.failure) return all(run.failure);

  const server = findServerSpan(received.spans);
  const httpMetric = metricVerdict(received, HTTP_METRIC);
  verdicts['node:http'] = !server
    ? { ok: false, reason: 'no http server span' }
    : httpMetric.ok ? { ok: true } : httpMetric;

  for (const lib of stack.libs) {
    if (lib.module === 'node:http') continue;
    if (!server) {
      verdicts[lib.module] = { ok: false, reason: 'no http server span to hang it on' };
      continue;
    }
    if (lib.role === 'framework') {
      const route = server.attributes['http.route'];
      const point = received.metrics.find((m) => m.name === HTTP_METRIC && m.attributes['http.route'] !== undefined);
      if (route !== ROUTE) verdicts[lib.module] = { ok: false, reason: `server span http.route is ${route === undefined ? 'missing' : JSON.stringify(route)}` };
      else if (!point) verdicts[lib.module] = { ok: false, reason: `${HTTP_METRIC} has no http.route label` };
      else verdicts[lib.module] = { ok: true };
    } else if (lib.role === 'db') {
      const span = clientSpanVerdict(received, server, isPgQuery, 'pg query');
      verdicts[lib.module] = span.ok ? { ...metricVerdict(received, DB_METRIC), detail: span.detail } : span;
    } else if (lib.role === 'cache') {
      verdicts[lib.module] = clientSpanVerdict(received, server, isRedis, 'redis');
    } else if (lib.role === 'log') {
      const ours = received.logs.filter(isOurLog);
      verdicts[lib.module] =
        ours.length === 0 ? { ok: false, reason: 'log record not exported over OTLP' }
        : ours.some((l) => l.traceId === server.traceId) ? { ok: true }
        : { ok: false, reason: 'log record exported without the request trace id' };
    }
  }
  if (stack.appApi) Object.assign(verdicts, appApiVerdicts(received, server));
  verdicts.exit = run.exit;
  return verdicts;
}

/**
 * The app's own API copy reaches our providers: its span "place order" is under the server span (its
 * context is ours), its counter is exported, its log record carries the request's trace id.
 */
export function appApiVerdicts(received, server) {
  const label = (what) => `app's @opentelemetry/api: ${what}`;
  const verdicts = {};
  const spans = received.spans.filter((s) => s.name === APP_SPAN);
  const byId = new Map(received.spans.map((s) => [s.spanId, s]));
  verdicts['app-api:span'] = !server ? { ok: false, reason: label('no http server span to hang the app span on') }
    : spans.length === 0 ? { ok: false, reason: label(`span "${APP_SPAN}" not exported (the app got a no-op tracer)`) }
    : spans.some((s) => s.traceId === server.traceId && pathToServer(s, server, byId)) ? { ok: true }
    : { ok: false, reason: label(`span "${APP_SPAN}" is not under the http server span (the app's context is not ours)`) };
  verdicts['app-api:counter'] = received.metrics.some((m) => m.name === APP_COUNTER)
    ? { ok: true } : { ok: false, reason: label(`counter ${APP_COUNTER} not exported (the app got a no-op meter)`) };
  const logs = received.logs.filter(isAppLog);
  verdicts['app-api:log'] = logs.length === 0 ? { ok: false, reason: label('log record not exported (the app got a no-op logger)') }
    : server && logs.some((l) => l.traceId === server.traceId) ? { ok: true }
    : { ok: false, reason: label('log record exported without the request trace id') };
  return verdicts;
}

/**
 * An ESM app started with `--require @org/obs/register`: the preload cannot hook its imports, so it
 * must say so in exactly one stderr line naming --import, and the app must still answer and exit.
 */
export function judgeRequireEsm(run, stderr) {
  const lines = stderr.split('\n').filter((l) => l.trim());
  const line = lines.length === 1 && /--import/.test(lines[0]) ? { ok: true, detail: lines[0] }
    : { ok: false, reason: `expected exactly one stderr line naming --import, got ${lines.length}: ${JSON.stringify(lines.slice(0, 3))}` };
  return {
    'node:http': run.failure ? { ok: false, reason: run.failure } : { ok: true, detail: 'the app answered GET /users/42' },
    'require:esm-line': line,
    exit: run.exit,
  };
}
