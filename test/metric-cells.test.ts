// Metric cells export what sdk-metrics would: the same values recorded into cells and into real
// sdk-metrics instruments on the same readers (cumulative, delta, a second delta reader) give equal
// descriptors, temporality, attributes, bucket counts, sums, min/max and the same start-time rule.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type { Attributes } from '@opentelemetry/api';
import type { MetricReader as Reader } from '@opentelemetry/sdk-metrics';
import { counterCells, histogramCells, CELL_LIMIT } from '../src/sdk/metric-cells/cell-set.js';
import { withCells } from '../src/sdk/metric-cells/producer.js';
import { assertSame, BOUNDS, metricOf, readersWithCells, TestReader, type Prev } from './support/metric-compare.js';

const require = createRequire(import.meta.url);
const { MeterProvider, AggregationTemporality } = require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');

test('histogram and counter cells export field by field what sdk-metrics exports, cumulative and delta', async () => {
  const { readers, provider } = readersWithCells();
  const meter = provider.getMeter('reference');
  const def = { name: 'test.duration', unit: 's', description: 'Duration of test things.' };
  const sdkHist = meter.createHistogram(def.name, { ...def, advice: { explicitBucketBoundaries: BOUNDS } });
  const sdkCount = meter.createCounter('test.count', { description: 'Counted test things.', unit: '{thing}' });
  const hist = histogramCells({ ...def, boundaries: BOUNDS });
  const count = counterCells({ name: 'test.count', description: 'Counted test things.', unit: '{thing}' });

  const A = { 'http.request.method': 'GET', 'http.route': '/a', 'http.response.status_code': 200 };
  const B = { 'http.request.method': 'POST', 'http.route': '/b', 'http.response.status_code': 500 };
  const C = { 'http.request.method': 'GET', 'http.route': '/c/:id', 'http.response.status_code': 404 };
  const both = (attrs: Attributes, values: number[]): void => {
    for (const v of values) {
      sdkHist.record(v, { ...attrs });
      hist.cell(attrs).record(v);
      sdkCount.add(Math.abs(Math.trunc(v * 10)), { ...attrs });
      count.cell(attrs).add(Math.abs(Math.trunc(v * 10)));
    }
  };

  const rounds: [Attributes, number[]][][] = [
    // boundaries are inclusive upper bounds; > 10 lands in the last bucket; negatives are dropped
    [[A, [0.003, 0.2, 7, 12, 0.005, 0.1, 0.1 + 0.2, -1]], [B, [1, 2]]],
    [[A, [0.05]], [C, [0.3]]],
    // B comes back after a silent interval: a new delta stream again
    [[B, [5, 0.0049]]],
    [],
  ];
  const prev: Record<string, { cells?: Prev; sdk?: Prev }> = {};
  // Date.now() has millisecond steps, as the start times of both sides.
  const testStartMs = Date.now();
  for (const [i, round] of rounds.entries()) {
    for (const [attrs, values] of round) both(attrs, values);
    for (const [name, reader] of Object.entries(readers) as [string, Reader][]) {
      const { resourceMetrics, errors } = await reader.collect();
      assert.deepEqual(errors, []);
      for (const metric of ['test.duration', 'test.count']) {
        const label = `round ${i} ${name} ${metric}`;
        prev[`${name} ${metric}`] = assertSame(
          metricOf(resourceMetrics, '@org/obs', metric), metricOf(resourceMetrics, 'reference', metric), label, prev[`${name} ${metric}`] ?? {},
          { minMax: name !== 'delta2', testStartMs },
        );
      }
    }
  }
  await provider.shutdown();
});

test('past the cardinality limit cells fold into the otel.metric.overflow set, as sdk-metrics does', async () => {
  const reader = withCells((p) => new TestReader(AggregationTemporality.CUMULATIVE, p));
  const provider = new MeterProvider({ readers: [reader] });
  const sdkCount = provider.getMeter('reference').createCounter('test.many');
  const count = counterCells({ name: 'test.many', description: '', unit: '' });
  const testStartMs = Date.now();
  for (let i = 0; i < CELL_LIMIT + 50; i++) {
    const attrs = { 'n': i };
    sdkCount.add(1, attrs);
    count.cell(attrs).add(1);
  }
  // Equal content in a new object is the same series, not a second one.
  count.cell({ 'n': 0 }).add(1);
  sdkCount.add(1, { 'n': 0 });
  const { resourceMetrics } = await reader.collect();
  assertSame(metricOf(resourceMetrics, '@org/obs', 'test.many'), metricOf(resourceMetrics, 'reference', 'test.many'), 'overflow', {}, { minMax: true, testStartMs });
  const points = metricOf(resourceMetrics, '@org/obs', 'test.many')?.dataPoints ?? [];
  assert.equal(points.length, CELL_LIMIT);
  assert.deepEqual(points.find((p) => p.attributes['otel.metric.overflow'] === true)?.value, 51);
  await provider.shutdown();
});
