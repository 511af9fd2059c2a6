// Checks through the sink that a configuration really exported: every marked /work request must
// arrive as one trace with the server span and its pg and redis children, plus its log record,
// and metrics must have arrived. Run after the measured windows, so it never costs measured time.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

const SAMPLES = 3;

export async function verifyExport({ sink, baseUrl, expect, timeoutMs = 15_000 }) {
  const traceIds = [];
  for (let i = 0; i < SAMPLES; i++) {
    const traceId = sink.marker + randomBytes(16).toString('hex').slice(sink.marker.length);
    traceIds.push(traceId);
    const res = await fetch(`${baseUrl}/work`, {
      headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    });
    await res.arrayBuffer();
    if (res.status !== 200) return { ok: false, problems: [`/work answered ${res.status}`] };
  }
  const deadline = Date.now() + timeoutMs;
  let problems;
  for (;;) {
    problems = check(sink, traceIds, expect);
    if (problems.length === 0 || Date.now() > deadline) break;
    await sleep(250);
  }
  const sample = sink.marked.get(traceIds[0]);
  return {
    ok: problems.length === 0,
    problems,
    spansPerWork: sample ? sample.spans.length : 0,
    workSpanNames: sample ? sample.spans.map((s) => `${s.kind} ${s.name} [${s.scope}]`).sort() : [],
  };
}

function check(sink, traceIds, expect) {
  const problems = [];
  for (const traceId of traceIds) {
    const trace = sink.marked.get(traceId) ?? { spans: [], logs: 0 };
    if (expect.traces) {
      const spans = trace.spans;
      const about = (re) => spans.filter((s) => re.test(s.scope) || re.test(s.name)).length;
      if (spans.length < expect.spansPerWork) problems.push(`trace ${traceId}: ${spans.length} spans < ${expect.spansPerWork}`);
      if (!spans.some((s) => s.kind === 'SERVER')) problems.push(`trace ${traceId}: no SERVER span`);
      if (about(/\bpg\b|postgres/i) < 1) problems.push(`trace ${traceId}: no pg span`);
      if (about(/redis/i) < 2) problems.push(`trace ${traceId}: fewer than 2 redis spans`);
    }
    if (expect.logs && trace.logs < 1) problems.push(`trace ${traceId}: no log record carrying its trace id`);
  }
  if (sink.errors.length) problems.push(...sink.errors.slice(0, 3).map((e) => `sink: ${e}`));
  if (expect.metrics) {
    if (sink.dataPoints === 0) problems.push('no metric data points');
    else if (![...sink.metricNames].some((n) => n.startsWith('http.server.'))) {
      problems.push(`no http.server.* metric (got ${[...sink.metricNames].slice(0, 8).join(', ')})`);
    }
  }
  return problems;
}
