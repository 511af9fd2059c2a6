// Metric cells under the real preload with OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=delta: our
// counters arrive as delta sums that add up to what happened, each export covering only its interval,
// and a stream that continues starts where its previous export ended.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApp, WAIT } from './signals-helpers.js';

test('cells: http.server.errors as delta sums over OTLP add up across exports, intervals contiguous', async (t) => {
  const { receiver, base } = await startApp(t, 'errors/express.mjs', {
    OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
    // A lost delta export loses its interval for good: on a loaded machine the 500 ms default of the helper
    // and ~70 runtime points per export queued up behind a slow send and were dropped (queue_full).
    OTEL_METRIC_EXPORT_INTERVAL: '1500',
    OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'runtime-node,process',
  });
  const dropped = () => receiver.metrics.filter((p) => p.name === 'obs.telemetry.dropped' && p.attributes.signal === 'metrics');
  const points = () => receiver.metrics.filter((p) => p.name === 'http.server.errors' && p.attributes['error.type'] === 'TypeError');
  const hit = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) await (await fetch(`${base}/boom/${i}`)).arrayBuffer();
  };

  await hit(2);
  await receiver.waitFor(() => points().length >= 1 || dropped().length > 0, { ...WAIT, description: 'a first export of http.server.errors' });
  assert.deepEqual(dropped(), [], 'no metrics export was dropped (else a delta interval is lost and the sums cannot add up)');
  const first = points().length;
  await hit(3);
  await receiver.waitFor(() => points().reduce((a, p) => a + Number(p.value), 0) >= 5, { ...WAIT, description: 'the later errors exported' });

  assert.deepEqual(dropped(), [], 'no metrics export was dropped');
  const got = points();
  assert.ok(got.length > first, 'the later errors came in a later export');
  for (const p of got) {
    assert.equal(p.temporality, 'delta');
    assert.equal(p.monotonic, true);
    assert.deepEqual(p.attributes, { 'error.type': 'TypeError', 'http.route': '/boom/:id', 'http.request.method': 'GET' });
    assert.ok(Number(p.value) > 0, 'a delta export carries only streams that changed');
  }
  assert.equal(got.reduce((a, p) => a + Number(p.value), 0), 5, 'the delta points add up to the errors');
  const sorted = [...got].sort((a, b) => (BigInt(a.timeUnixNano) < BigInt(b.timeUnixNano) ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    assert.ok(BigInt(sorted[i].startTimeUnixNano) >= BigInt(sorted[i - 1].timeUnixNano), 'delta intervals do not overlap');
  }
});
