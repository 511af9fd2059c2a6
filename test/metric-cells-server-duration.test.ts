// recordServerDuration (cells) exports the very http.server.request.duration the installed
// instrumentation-http records: same descriptor and points on the OTLP road's data, and a byte-identical
// Prometheus pull page (`http_server_request_duration_bucket{...}`).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type { Attributes } from '@opentelemetry/api';
import type { MetricData, MetricProducer } from '@opentelemetry/sdk-metrics';
import { recordServerDuration } from '../src/sdk/metric-cells/server-duration.js';
import { withCells } from '../src/sdk/metric-cells/producer.js';
import { startPrometheusEndpoint } from '../src/admin/prometheus/endpoint.js';
import { freePort } from './support/free-port.js';

const require = createRequire(import.meta.url);
const { MeterProvider, MetricReader, AggregationTemporality } = require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');

class TestReader extends MetricReader {
  constructor(metricProducers: MetricProducer[]) {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE, metricProducers });
  }
  protected override onShutdown(): Promise<void> { return Promise.resolve(); }
  protected override onForceFlush(): Promise<void> { return Promise.resolve(); }
}

/** instrumentation-http's own recording path (what it calls when a server span ends), without patching http. */
function upstreamRecorder(provider: InstanceType<typeof MeterProvider>): (ms: number, attrs: Attributes) => void {
  const inst = new HttpInstrumentation({ enabled: false });
  inst.setMeterProvider(provider);
  const rec = (inst as unknown as { _recordServerDuration(ms: number, a: Attributes): void })._recordServerDuration;
  assert.equal(typeof rec, 'function', 'instrumentation-http still records server durations through _recordServerDuration');
  return (ms, attrs) => rec.call(inst, ms, attrs);
}

const LABELS: Attributes[] = [
  { 'http.request.method': 'GET', 'url.scheme': 'http', 'network.protocol.version': '1.1', 'http.route': '/users/:id', 'http.response.status_code': 200 },
  { 'http.request.method': 'POST', 'url.scheme': 'http', 'network.protocol.version': '1.1', 'http.route': '/orders', 'http.response.status_code': 500, 'error.type': '500' },
];
const MS = [0.4, 5, 9.99, 10, 74, 120, 999, 2600, 12000];

/** Rounds recorded into the (process-wide) cells so far. */
let cellRounds = 0;

function recordBoth(upstream: ((ms: number, attrs: Attributes) => void) | undefined, cells: boolean): void {
  if (cells) cellRounds++;
  for (const [i, attrs] of LABELS.entries()) {
    for (const ms of MS.slice(i)) {
      upstream?.(ms, { ...attrs });
      if (cells) recordServerDuration(attrs, ms / 1e3);
    }
  }
}

test('recordServerDuration exports instrumentation-http\'s http.server.request.duration, field by field', async () => {
  const reader = withCells((p) => new TestReader(p));
  const provider = new MeterProvider({ readers: [reader] });
  recordBoth(upstreamRecorder(provider), true);
  const { resourceMetrics } = await reader.collect();
  const pick = (scope: string): MetricData => {
    const m = resourceMetrics.scopeMetrics.filter((s) => s.scope.name === scope).flatMap((s) => s.metrics).find((x) => x.descriptor.name === 'http.server.request.duration');
    assert.ok(m, `${scope} exported http.server.request.duration`);
    return m;
  };
  const ours = pick('@org/obs');
  const theirs = pick('@opentelemetry/instrumentation-http');
  assert.deepEqual(ours.descriptor, theirs.descriptor);
  assert.deepEqual(
    (theirs.descriptor as { advice?: { explicitBucketBoundaries?: number[] } }).advice?.explicitBucketBoundaries,
    [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
  );
  assert.equal(ours.aggregationTemporality, theirs.aggregationTemporality);
  assert.equal(ours.dataPointType, theirs.dataPointType);
  assert.deepEqual(ours.dataPoints.map((p) => [p.attributes, p.value]), theirs.dataPoints.map((p) => [p.attributes, p.value]));
  await provider.shutdown();
});

test('the Prometheus pull page of cells is byte-identical to the one of instrumentation-http', async (t) => {
  const scrape = async (cells: boolean): Promise<string> => {
    const port = await freePort();
    const endpoint = cells
      ? startPrometheusEndpoint('127.0.0.1', port, () => {}, withCells)
      : startPrometheusEndpoint('127.0.0.1', port, () => {});
    t.after(() => endpoint.close());
    if (!endpoint.server.listening) await once(endpoint.server, 'listening');
    const provider = new MeterProvider({ readers: [endpoint.reader] });
    t.after(() => provider.shutdown());
    if (!cells) {
      const upstream = upstreamRecorder(provider);
      for (let i = 0; i < cellRounds; i++) recordBoth(upstream, false);
    }
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(res.status, 200);
    return res.text();
  };
  // Cells are process-wide (the test above recorded into them too): upstream records as many rounds.
  recordBoth(undefined, true);
  const upstream = await scrape(false);
  const ours = await scrape(true);
  assert.match(upstream, /^http_server_request_duration_seconds_bucket\{.*http_route="\/users\/:id".*le="0.005"\} \d+$/m);
  assert.equal(ours, upstream);
});
