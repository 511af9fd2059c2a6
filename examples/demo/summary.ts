// The demo's closing picture: a few telling trace trees (cache miss through pg and redis, an error,
// the slowest request), the request/db/cache/business metrics, and log lines tied to those traces.
import type { ReceivedLog, ReceivedMetricPoint, ReceivedSpan } from '../../src/cli/receiver/types.js';
import type { Paint } from '../../src/cli/util/color.js';
import { renderLog } from '../../src/cli/tail/render-log.js';
import { renderMetrics } from '../../src/cli/tail/render-metrics.js';
import { renderTrace } from '../../src/cli/tail/render-trace.js';
import { shortId } from '../../src/cli/tail/format.js';

export interface SummaryInput {
  spans: readonly ReceivedSpan[];
  metrics: readonly ReceivedMetricPoint[];
  logs: readonly ReceivedLog[];
  traffic: Record<string, number>;
  prometheusUrl?: string;
  prometheusSample?: string[];
}

export interface SummaryResult {
  text: string;
  /** Trace id of a trace holding an http server span, a PostgreSQL span and a Redis span, if any. */
  fullPathTraceId?: string;
}

const dbSystem = (s: ReceivedSpan) => String(s.attributes['db.system.name'] ?? s.attributes['db.system'] ?? '');
const isPg = (s: ReceivedSpan) => /postgres/.test(dbSystem(s)) || s.scope.name.includes('instrumentation-pg');
const isRedis = (s: ReceivedSpan) => dbSystem(s) === 'redis' || /instrumentation-(io)?redis/.test(s.scope.name);
const isHttpServer = (s: ReceivedSpan) => s.kind === 'SERVER' && (s.attributes['http.request.method'] !== undefined || s.attributes['http.method'] !== undefined);

export function groupTraces(spans: readonly ReceivedSpan[]): Map<string, ReceivedSpan[]> {
  const traces = new Map<string, ReceivedSpan[]>();
  for (const s of spans) {
    const list = traces.get(s.traceId) ?? [];
    list.push(s);
    traces.set(s.traceId, list);
  }
  return traces;
}

/** A trace with http server, pg and redis spans; a quote lookup (cache miss) is the clearest one. */
export function findFullPathTrace(traces: Map<string, ReceivedSpan[]>): string | undefined {
  let any: string | undefined;
  for (const [id, spans] of traces) {
    if (!(spans.some(isHttpServer) && spans.some(isPg) && spans.some(isRedis))) continue;
    if (spans.some((s) => isHttpServer(s) && /quotes/.test(String(s.attributes['http.route'] ?? s.name)))) return id;
    any ??= id;
  }
  return any;
}

const rootOf = (spans: readonly ReceivedSpan[]) => spans.find((s) => s.parentSpanId === '');

function section(title: string, p: Paint, width: number): string {
  return p.bold(`━━ ${title} `.padEnd(width, '━'));
}

export function renderSummary(input: SummaryInput, p: Paint, width: number): SummaryResult {
  const out: string[] = [];
  const traces = groupTraces(input.spans);
  const requests = Object.values(input.traffic).reduce((a, b) => a + b, 0);

  out.push(section('Traffic', p, width));
  const rows = Object.entries(input.traffic).sort(([a], [b]) => a.localeCompare(b));
  for (const [key, n] of rows) {
    const status = key.split(' ').pop() ?? '';
    const colour = status.startsWith('5') || status === 'ERR' ? p.red : status.startsWith('4') ? p.yellow : (s: string) => s;
    out.push(`  ${String(n).padStart(5)}  ${colour(key)}`);
  }
  out.push(`  ${String(requests).padStart(5)}  requests; received ${input.spans.length} spans in ${traces.size} traces, ${input.logs.length} log records`);
  out.push('');

  out.push(section('Traces', p, width));
  const fullPathTraceId = findFullPathTrace(traces);
  const shown = new Set<string>();
  const show = (title: string, id: string | undefined) => {
    if (!id || shown.has(id)) return;
    shown.add(id);
    out.push(p.dim(title));
    out.push(...renderTrace(traces.get(id) ?? [], p, width));
    out.push('');
  };
  if (fullPathTraceId) {
    out.push(p.green(`✓ http → pg → redis in one trace: ${shortId(fullPathTraceId)}`));
    show('A quote request that missed the cache: redis GET, a pg query, redis SET', fullPathTraceId);
  } else {
    out.push(p.yellow('! no trace holds http, pg and redis spans together (Redis off?)'));
    const withPg = [...traces.entries()].find(([, spans]) => spans.some(isHttpServer) && spans.some(isPg));
    show('A request that queried PostgreSQL', withPg?.[0]);
  }
  const all = [...traces.entries()].filter(([, spans]) => rootOf(spans));
  const failed = all.find(([, spans]) => spans.some((s) => s.status.code === 'ERROR') && spans.some((s) => isHttpServer(s) && Number(s.attributes['http.response.status_code']) >= 500));
  show('A failed request (500): error on the span, its log line has the trace id', failed?.[0]);
  const slowest = [...all].sort(([, a], [, b]) => (rootOf(b)?.durationMs ?? 0) - (rootOf(a)?.durationMs ?? 0))[0];
  show('The slowest request: where did its time go?', slowest?.[0]);
  if (shown.size === 0 && all[0]) show('A request', all[0][0]);

  out.push(section('Metrics', p, width));
  const interesting = /^(http\.server\.request\.duration|db\.client\.operation\.duration|trades\.processed|.*cache.*|.*auth.*)$/;
  const metricLines = renderMetrics(input.metrics, p, width, { match: interesting });
  out.push(...(metricLines.length > 0 ? metricLines : [p.yellow('! no metrics received')]));
  const others = new Set(input.metrics.map((m) => m.name).filter((n) => !interesting.test(n)));
  if (others.size > 0) out.push(p.dim(fitList(`also: ${[...others].sort().join(', ')}`, width)));
  out.push('');

  out.push(section('Logs (correlated by trace id)', p, width));
  const correlated = input.logs.filter((l) => shown.has(l.traceId));
  const errors = input.logs.filter((l) => l.severityNumber >= 13 && !shown.has(l.traceId));
  const picked = [...correlated, ...errors.slice(-3)].slice(0, 10);
  if (picked.length === 0 && input.logs.length === 0) out.push(p.yellow('! no log records received'));
  for (const log of picked.length > 0 ? picked : input.logs.slice(-5)) out.push(renderLog(log, p, width));
  out.push('');

  out.push(section('Prometheus', p, width));
  if (input.prometheusUrl && input.prometheusSample && input.prometheusSample.length > 0) {
    out.push(`  scrape ${input.prometheusUrl}  (${input.prometheusSample.length} series)`);
    for (const line of input.prometheusSample.slice(0, 4)) out.push(p.dim(`  ${fitList(line, width - 2)}`));
  } else {
    out.push(`  with OTEL_METRICS_EXPORTER=otlp,prometheus the service serves`);
    out.push(`  ${input.prometheusUrl ?? 'http://127.0.0.1:9464/metrics'} (OTEL_EXPORTER_PROMETHEUS_PORT)`);
  }
  return { text: out.join('\n') + '\n', fullPathTraceId };
}

function fitList(s: string, width: number): string {
  return s.length > width ? s.slice(0, width - 1) + '…' : s;
}
