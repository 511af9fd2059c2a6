// Upstream instrumentations' instruments through cellMeterProvider export what sdk-metrics exports for the
// same records (instrumentation-pg's shapes: advised histogram, pool up-down counters; plus a plain
// histogram and counter), under the instrumentation's own scope; what cells cannot stand for stays with sdk-metrics.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type { Attributes, MeterProvider as ApiMeterProvider } from '@opentelemetry/api';
import type { MetricReader as Reader } from '@opentelemetry/sdk-metrics';
import { cellMeterProvider } from '../src/sdk/metric-cells/cell-meter.js';
import { withCells } from '../src/sdk/metric-cells/producer.js';
import { assertSame, metricOf, readersWithCells, TestReader, type Prev } from './support/metric-compare.js';

const require = createRequire(import.meta.url);
const { MeterProvider, AggregationTemporality } = require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
const { ValueType } = require('@opentelemetry/api') as typeof import('@opentelemetry/api');

/** instrumentation-pg's advice, given out of order and with an infinite bound, as a careless caller might. */
const PG_BOUNDS = [0.005, 0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, Infinity];

function instruments(provider: ApiMeterProvider, scope: string) {
  const meter = provider.getMeter(scope, '1.2.3', { schemaUrl: 'https://opentelemetry.io/schemas/1.27.0' });
  return {
    duration: meter.createHistogram('db.client.operation.duration', {
      description: 'Duration of database client operations.', unit: 's', valueType: ValueType.DOUBLE, advice: { explicitBucketBoundaries: PG_BOUNDS },
    }),
    plain: meter.createHistogram('test.plain.duration', { unit: 'ms' }),
    connections: meter.createUpDownCounter('db.client.connection.count', { description: 'Connections by state.', unit: '{connection}' }),
    requests: meter.createCounter('test.requests'),
  };
}

test('upstream instruments through cellMeterProvider export field by field what sdk-metrics exports, cumulative and delta', async () => {
  const { readers, provider } = readersWithCells();
  const sdk = instruments(provider, 'reference-lib');
  const cells = instruments(cellMeterProvider(provider), 'cells-lib');
  // A second getMeter / create of the same instrument records into the same series, as in sdk-metrics.
  const again = instruments(cellMeterProvider(provider), 'cells-lib');

  // Fresh objects per call, as upstream builds them; the same set in another key order is one series.
  const query = (db: string, op: string, error?: string): Attributes => ({
    'db.system.name': 'postgresql', 'db.namespace': db, 'server.address': '127.0.0.1', 'server.port': 5432, 'db.operation.name': op,
    ...(error ? { 'error.type': error } : {}),
  });
  const reordered = (a: Attributes): Attributes => Object.fromEntries(Object.entries(a).reverse());
  const pool = (state: string): Attributes => ({ 'db.client.connection.state': state, 'db.client.connection.pool.name': '127.0.0.1:5432/test' });
  /** The same records on both sides; `viaAgain`: the cells side through the instruments created a second time. */
  const both = (f: (i: ReturnType<typeof instruments>) => void, viaAgain = false): void => {
    f(sdk);
    f(viaAgain ? again : cells);
  };
  const rounds: (() => void)[] = [
    () => both((i) => {
      for (const v of [0.0004, 0.001, 0.003, 0.2, 12, -1]) i.duration.record(v, query('test', 'SELECT'));
      i.duration.record(0.02, reordered(query('test', 'SELECT')));
      i.duration.record(0.5, query('test', 'INSERT', '23505'));
      i.plain.record(7, { 'tags': ['a', 'b'] });
      i.plain.record(700);
      i.connections.add(1, pool('used'));
      i.connections.add(-1, pool('idle'));
      i.requests.add(2, { 'ok': true });
      i.requests.add(-3, { 'ok': true });
    }),
    () => both((i) => {
      i.connections.add(-1, reordered(pool('used')));
      i.connections.add(0, pool('idle'));
      i.duration.record(0.07, query('test', 'SELECT'));
    }, true),
    () => both((i) => {
      i.requests.add(1, { 'ok': false });
    }),
    () => undefined,
  ];
  const names = ['db.client.operation.duration', 'test.plain.duration', 'db.client.connection.count', 'test.requests'];
  const prev: Record<string, { cells?: Prev; sdk?: Prev }> = {};
  const testStartMs = Date.now();
  for (const [n, round] of rounds.entries()) {
    round();
    for (const [name, reader] of Object.entries(readers) as [string, Reader][]) {
      const { resourceMetrics, errors } = await reader.collect();
      assert.deepEqual(errors, []);
      const scope = resourceMetrics.scopeMetrics.filter((s) => s.scope.name === 'cells-lib');
      assert.ok(scope.length <= 1, 'one ScopeMetrics for the instrumentation');
      if (scope[0]) assert.deepEqual(scope[0].scope, { name: 'cells-lib', version: '1.2.3', schemaUrl: 'https://opentelemetry.io/schemas/1.27.0' });
      for (const metric of names) {
        prev[`${name} ${metric}`] = assertSame(
          metricOf(resourceMetrics, 'cells-lib', metric), metricOf(resourceMetrics, 'reference-lib', metric), `round ${n} ${name} ${metric}`,
          prev[`${name} ${metric}`] ?? {}, { minMax: name !== 'delta2', testStartMs },
        );
      }
    }
  }
  await provider.shutdown();
});

test('cellMeterProvider: INT-valued, gauge and observable instruments stay with sdk-metrics; a value cannot forge another label set', async () => {
  const reader = withCells((p) => new TestReader(AggregationTemporality.CUMULATIVE, p));
  const provider = new MeterProvider({ readers: [reader] });
  const meter = cellMeterProvider(provider).getMeter('passthrough-lib');
  meter.createHistogram('test.int.size', { valueType: ValueType.INT }).record(3.7, { k: 'v' });
  meter.createGauge('test.gauge').record(5);
  meter.createObservableGauge('test.observed').addCallback((r) => r.observe(9));
  // A value holding what looks like another entry is its own series.
  const forged = meter.createCounter('test.forged');
  forged.add(1, { a: 'x', b: 'y' });
  forged.add(10, { a: 'x1:bs1:y' });
  forged.add(100, { a: 'x', b: 'y' });
  const { resourceMetrics } = await reader.collect();
  const int = metricOf(resourceMetrics, 'passthrough-lib', 'test.int.size');
  assert.equal(int?.descriptor.valueType, ValueType.INT, 'an INT histogram is sdk-metrics\' (cells are DOUBLE only)');
  assert.equal((int?.dataPoints[0].value as { sum: number }).sum, 3, 'and truncated as sdk-metrics does');
  assert.equal(metricOf(resourceMetrics, 'passthrough-lib', 'test.gauge')?.dataPoints[0].value, 5);
  assert.equal(metricOf(resourceMetrics, 'passthrough-lib', 'test.observed')?.dataPoints[0].value, 9);
  const points = metricOf(resourceMetrics, 'passthrough-lib', 'test.forged')?.dataPoints ?? [];
  assert.deepEqual(points.map((p) => [p.attributes, p.value]).sort((x, y) => Number(x[1]) - Number(y[1])), [[{ a: 'x1:bs1:y' }, 10], [{ a: 'x', b: 'y' }, 101]]);
  assert.equal(resourceMetrics.scopeMetrics.filter((s) => s.scope.name === 'passthrough-lib').length, 2, 'cells and sdk-metrics each report the scope once');
  await provider.shutdown();
});
