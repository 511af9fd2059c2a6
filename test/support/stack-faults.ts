// Faults the stack test injects: one stack process stopped (by the pid `stack up` recorded), and a flood of
// OTLP trace requests that a stopped backend lets pile up in the collector's sending queue.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export async function killService(state: string, name: string): Promise<void> {
  const pids = JSON.parse(readFileSync(path.join(state, 'pids.json'), 'utf8')) as Record<string, { pid: number }>;
  const pid = pids[name]?.pid;
  if (!pid) throw new Error(`no ${name} in ${state}/pids.json`);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function traceRequest(): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  return JSON.stringify({
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'stack-flood' } }] },
      scopeSpans: [{
        spans: [{ traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), name: 'flood', kind: 2, startTimeUnixNano: String(now), endTimeUnixNano: String(now + 1000n) }],
      }],
    }],
  });
}

/** `count` separate OTLP/HTTP trace requests to the collector (each one a queue entry), 8 at a time. */
export async function floodTraces(count: number): Promise<{ accepted: number; refused: number }> {
  let next = 0;
  let accepted = 0;
  let refused = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      try {
        const res = await fetch('http://127.0.0.1:4318/v1/traces', { method: 'POST', headers: { 'content-type': 'application/json' }, body: traceRequest(), signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        if (res.ok) accepted++;
        else refused++;
      } catch {
        refused++;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { accepted, refused };
}

/**
 * A gauge point three hours old, through the collector: Prometheus's OTLP receiver rejects it (out of bounds) with
 * a 4xx, which the collector's exporter counts at once as a permanent failure (otelcol_exporter_send_failed_metric_points).
 */
export async function sendStaleMetric(): Promise<number> {
  const old = (BigInt(Date.now()) - 3n * 3600n * 1000n) * 1_000_000n;
  const body = {
    resourceMetrics: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'stack-stale' } }] },
      scopeMetrics: [{ metrics: [{ name: 'stack.stale', gauge: { dataPoints: [{ asInt: '1', timeUnixNano: String(old) }] } }] }],
    }],
  };
  const res = await fetch('http://127.0.0.1:4318/v1/metrics', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  await res.arrayBuffer();
  return res.status;
}
