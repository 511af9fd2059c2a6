// Trace and log checks against the real Jaeger query API and the logs store (VictoriaLogs' LogsQL API).
import assert from 'node:assert/strict';
import { JAEGER, LOGS, getJson, waitFor } from './stack-run.js';

interface JaegerSpan {
  spanID: string;
  operationName: string;
  references: Array<{ refType: string; spanID: string }>;
  tags: Array<{ key: string; value: unknown }>;
}
interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
}

const tag = (s: JaegerSpan, key: string): unknown => s.tags.find((t) => t.key === key)?.value;
const kindOf = (s: JaegerSpan): string => String(tag(s, 'span.kind') ?? '');
const dbSystem = (s: JaegerSpan): string => String(tag(s, 'db.system.name') ?? tag(s, 'db.system') ?? '');

/** A trace of the service whose http server span has a postgresql and a redis client span beneath it. */
export async function checkTraces(service: string): Promise<JaegerTrace> {
  let last = '';
  return waitFor(async () => {
    const body = await getJson(`${JAEGER}/api/traces?service=${encodeURIComponent(service)}&limit=2000&lookback=1h`);
    const traces = body.data as JaegerTrace[];
    last = `${traces.length} traces; operations: ${[...new Set(traces.flatMap((tr) => tr.spans.map((s) => s.operationName)))].join(', ')}`;
    for (const trace of traces) {
      const server = trace.spans.find((s) => kindOf(s) === 'server');
      if (!server) continue;
      const byId = new Map(trace.spans.map((s) => [s.spanID, s]));
      // A descendant of the server span (through any intermediate span, e.g. a pool connect).
      const under = (s: JaegerSpan): boolean => {
        for (let cur: JaegerSpan | undefined = s, i = 0; cur && i < 20; i++) {
          const parent: string | undefined = cur.references.find((r) => r.refType === 'CHILD_OF')?.spanID;
          if (parent === server.spanID) return true;
          cur = parent ? byId.get(parent) : undefined;
        }
        return false;
      };
      const pg = trace.spans.find((s) => dbSystem(s) === 'postgresql' && under(s));
      const redis = trace.spans.find((s) => dbSystem(s) === 'redis' && under(s));
      if (pg && redis) {
        assert.equal(kindOf(pg), 'client');
        assert.equal(kindOf(redis), 'client');
        return trace;
      }
    }
    return undefined;
  }, 60_000, () => `no trace of ${service} with http → pg → redis in Jaeger (${last})`);
}

/** LogsQL query; VictoriaLogs answers one JSON object per line. */
async function logsQuery(query: string): Promise<Array<Record<string, string>>> {
  const res = await fetch(`${LOGS}/select/logsql/query?query=${encodeURIComponent(query)}&limit=100`, { signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  if (!res.ok) throw new Error(`logs query ${query}: ${res.status} ${text}`);
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>);
}

/** A log line of the service carries a trace id, and a query by that trace id finds it (the Loki/Jaeger link). */
export async function checkLogs(service: string): Promise<void> {
  let seen = 0;
  const line = await waitFor(async () => {
    const rows = await logsQuery(`service.name:"${service}" trace_id:*`);
    seen = rows.length;
    return rows.find((r) => r.trace_id && /cache miss/.test(r._msg ?? ''));
  }, 60_000, () => `no log line of ${service} with a trace_id (${seen} lines)`);
  const byTrace = await logsQuery(`trace_id:"${line.trace_id}"`);
  assert.ok(byTrace.some((r) => r._msg === line._msg), `query by trace_id ${line.trace_id} did not find the line`);
  // The same trace id is a trace in Jaeger: the dashboards' log → trace link resolves.
  await waitFor(async () => (await getJson(`${JAEGER}/api/traces/${line.trace_id}`)).data?.length > 0, 30_000, () => `trace ${line.trace_id} of a log line is not in Jaeger`);
}
