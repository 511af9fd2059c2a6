// Export under collector failure: for every fault the test collector can inject, a loaded service
// keeps answering, never has more than one export in flight per signal, keeps its queues bounded,
// counts what it drops (obs_telemetry_dropped) and does not repeat itself on stderr.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from './support/fixtures-dir.js';
import { runFixture } from './support/spawn.js';
import { startReceiver, type FaultInput } from './support/receiver.js';
import { freePort } from './support/free-port.js';

const SERVICE = fixture('safety-service.mjs');
const SIGNALS = ['traces', 'metrics', 'logs'] as const;

interface ExportStats {
  signal: string;
  maxInFlight: number;
  waitingItems: number;
  waitingBatches: number;
  maxWaitingItems: number;
  exports: number;
  failures: number;
  retries: number;
  dropped: Record<string, number>;
}


/** `total` GETs of /work, `concurrency` at a time; returns the bodies of the responses. */
async function load(base: string, total: number, concurrency: number): Promise<string[]> {
  const bodies: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      next++;
      const res = await fetch(`${base}/work?i=${next}`);
      bodies.push(`${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return bodies;
}

const MODES: [string, FaultInput, boolean][] = [
  ['refuse', 'refuse', true],
  ['hang', 'hang', true],
  ['slow', { kind: 'ok', delayMs: 1500 }, false],
  ['429 with Retry-After', { kind: 'status', status: 429, retryAfterSeconds: 1 }, true],
  ['503', { kind: 'status', status: 503 }, true],
  ['500', { kind: 'status', status: 500 }, true],
  ['malformed', 'malformed', false],
];

for (const [name, fault, failing] of MODES) {
  test(`collector ${name}: responses unaffected, ≤ 1 export in flight per signal, queues bounded, drops counted, no repeated lines`, async (t) => {
    const receiver = await startReceiver(t, { faults: { all: fault } });
    const promPort = await freePort();
    const proc = await runFixture(SERVICE, {
      t,
      waitForStdout: /listening on (\d+)/,
      env: {
        ...receiver.envFor(),
        OTEL_METRICS_EXPORTER: 'otlp,prometheus',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(promPort),
        OTEL_BSP_MAX_QUEUE_SIZE: '200',
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '50',
        OTEL_BLRP_MAX_QUEUE_SIZE: '200',
        OTEL_BLRP_MAX_EXPORT_BATCH_SIZE: '50',
        OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
        // Retries (ours for gRPC, upstream's for HTTP) end with the processor's export timeout.
        OTEL_BSP_EXPORT_TIMEOUT: '1000',
        OTEL_BLRP_EXPORT_TIMEOUT: '1000',
      },
    });
    const base = `http://127.0.0.1:${proc.ready![1]}`;
    const bodies = await load(base, 600, 20);
    assert.equal(bodies.length, 600);
    assert.deepEqual([...new Set(bodies)], ['200 ok'], `every response is the app's own; got ${JSON.stringify([...new Set(bodies)])}`);
    // Let several export rounds (100 ms schedule, 300 ms metric interval) meet the fault.
    await new Promise((r) => setTimeout(r, 2500));

    const stats = (await (await fetch(`${base}/stats`)).json()) as ExportStats[];
    assert.deepEqual(stats.map((s) => s.signal).sort(), [...SIGNALS].sort());
    for (const s of stats) {
      assert.ok(s.maxInFlight <= 1, `${s.signal}: ${s.maxInFlight} exports were in flight at once`);
      if (s.signal === 'metrics') assert.ok(s.waitingBatches <= 1, `metrics: ${s.waitingBatches} collections waiting`);
      else assert.ok(s.waitingItems <= s.maxWaitingItems, `${s.signal}: ${s.waitingItems} items waiting (bound ${s.maxWaitingItems})`);
      assert.ok(s.exports > 0, `${s.signal}: no export was attempted`);
    }
    for (const signal of SIGNALS) {
      const seen = receiver.stats()[signal].maxInFlight;
      assert.ok(seen <= 1, `the collector saw ${seen} ${signal} exports in flight at once`);
    }
    const traces = stats.find((s) => s.signal === 'traces')!;
    const droppedTraces = Object.values(traces.dropped).reduce((a, b) => a + b, 0);
    if (failing) {
      assert.ok(droppedTraces > 0, `spans were dropped and counted: ${JSON.stringify(traces)}`);
      const page = await (await fetch(`http://127.0.0.1:${promPort}/metrics`)).text();
      const m = /^obs_telemetry_dropped\w*\{[^}]*signal="traces"[^}]*\} (\d+)/m.exec(page);
      assert.ok(m && Number(m[1]) > 0, `obs_telemetry_dropped for traces on the metrics page:\n${page.split('\n').filter((l) => l.includes('obs_')).join('\n')}`);
    }

    const ours = proc.stderr.split('\n').filter((l) => l.startsWith('@org/obs: '));
    const repeated = ours.filter((l, i) => ours.indexOf(l) !== i);
    assert.deepEqual(repeated, [], `identical lines repeated within a minute:\n${ours.join('\n')}`);
    assert.ok(ours.length <= 20, `stderr flooded with ${ours.length} lines:\n${ours.join('\n')}`);
  });
}

test('gRPC export retried after UNAVAILABLE: the spans arrive once, nothing dropped', async (t) => {
  const receiver = await startReceiver(t);
  await receiver.setFault({ kind: 'status', status: 503, times: 1 }, 'traces');
  const proc = await runFixture(SERVICE, { t, waitForStdout: /listening on (\d+)/, env: receiver.envFor() });
  const base = `http://127.0.0.1:${proc.ready![1]}`;
  await load(base, 1, 1);
  await receiver.waitForSpan('work', { timeoutMs: 15_000 });
  const stats = (await (await fetch(`${base}/stats`)).json()) as ExportStats[];
  const traces = stats.find((s) => s.signal === 'traces')!;
  assert.ok(traces.retries >= 1, JSON.stringify(traces));
  assert.deepEqual(traces.dropped, {});
  assert.deepEqual(receiver.requests.filter((r) => r.signal === 'traces').map((r) => r.outcome).slice(0, 2), ['status', 'accepted']);
});

test('HTTP export retried after 429 with Retry-After: the metric points arrive after the refusal', async (t) => {
  const receiver = await startReceiver(t);
  await receiver.setFault({ kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 }, 'metrics');
  const proc = await runFixture(SERVICE, { t, waitForStdout: /listening on (\d+)/, env: receiver.envFor() });
  await load(`http://127.0.0.1:${proc.ready![1]}`, 1, 1);
  await receiver.waitForMetric('safety.work', { timeoutMs: 15_000 });
  const outcomes = receiver.requests.filter((r) => r.signal === 'metrics').map((r) => r.outcome);
  assert.deepEqual(outcomes.slice(0, 2), ['status', 'accepted']);
});
