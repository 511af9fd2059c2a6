// Field-by-field comparison of what metric cells and sdk-metrics export for the same records: a test
// reader with a fixed temporality, a metric by scope and name, and the comparison with its time rules.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Attributes } from '@opentelemetry/api';
import type { AggregationTemporality as Temporality, MeterProvider as SdkMeterProvider, MetricData, MetricProducer, MetricReader as Reader, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { withCells } from '../../src/sdk/metric-cells/producer.js';

const require = createRequire(import.meta.url);
const { MeterProvider, MetricReader, AggregationTemporality } = require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');

export class TestReader extends MetricReader {
  constructor(temporality: Temporality, metricProducers: MetricProducer[]) {
    super({ aggregationTemporalitySelector: () => temporality, metricProducers });
  }
  protected override onShutdown(): Promise<void> { return Promise.resolve(); }
  protected override onForceFlush(): Promise<void> { return Promise.resolve(); }
}

export const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const hrMs = (t: [number, number]): number => t[0] * 1000 + t[1] / 1e6;

/** How far the SDK's clock (timeOrigin + monotonic) may sit behind Date.now(). */
const CLOCK_SKEW_MS = 5;

export function metricOf(rm: ResourceMetrics, scope: string, name: string): MetricData | undefined {
  const found = rm.scopeMetrics.filter((s) => s.scope.name === scope).flatMap((s) => s.metrics).filter((m) => m.descriptor.name === name);
  assert.ok(found.length <= 1, `${name} once in ${scope}`);
  return found[0];
}

export interface Prev { endMs: number; keys: Set<string> }

/** Field by field; times by the rule they follow (a continued delta stream starts at the previous end). */
export function assertSame(
  cells: MetricData | undefined, sdk: MetricData | undefined, label: string, prev: { cells?: Prev; sdk?: Prev },
  opts: { minMax: boolean; testStartMs: number },
): { cells?: Prev; sdk?: Prev } {
  if (!sdk) {
    assert.equal(cells, undefined, `${label}: no data on either side`);
    return { cells: prev.cells && { ...prev.cells, keys: new Set() }, sdk: prev.sdk && { ...prev.sdk, keys: new Set() } };
  }
  assert.ok(cells, `${label}: cells exported data`);
  assert.deepEqual(cells.descriptor, sdk.descriptor, `${label}: descriptor`);
  assert.equal(cells.aggregationTemporality, sdk.aggregationTemporality, `${label}: temporality`);
  assert.equal(cells.dataPointType, sdk.dataPointType, `${label}: point type`);
  assert.equal((cells as { isMonotonic?: boolean }).isMonotonic, (sdk as { isMonotonic?: boolean }).isMonotonic, `${label}: monotonic`);
  const key = (a: Attributes): string => JSON.stringify(Object.entries(a).sort());
  const sorted = (m: MetricData) => [...m.dataPoints].sort((x, y) => key(x.attributes).localeCompare(key(y.attributes)));
  const c = sorted(cells);
  const s = sorted(sdk);
  assert.deepEqual(c.map((p) => p.attributes), s.map((p) => p.attributes), `${label}: attribute sets`);
  const next: { cells?: Prev; sdk?: Prev } = {};
  for (const [side, points, p] of [['cells', c, prev.cells], ['sdk', s, prev.sdk]] as const) {
    const ends = new Set(points.map((pt) => hrMs(pt.endTime)));
    assert.equal(ends.size, 1, `${label} ${side}: one end time per collection`);
    next[side] = { endMs: [...ends][0], keys: new Set(points.map((pt) => key(pt.attributes))) };
    for (const pt of points) {
      const start = hrMs(pt.startTime);
      assert.ok(start <= next[side].endMs, `${label} ${side}: start before end`);
      const continued = sdk.aggregationTemporality === AggregationTemporality.DELTA && p !== undefined && p.keys.has(key(pt.attributes));
      if (continued) assert.equal(start, p.endMs, `${label} ${side}: a continued delta stream starts at the previous collection`);
      // After the previous collection, on that side's own clock: the SDK's times come from the
      // monotonic clock plus timeOrigin, which can sit a millisecond or more behind Date.now(), so a
      // comparison with the round's Date.now() failed now and then (2 of 8 runs on a loaded machine).
      else if (sdk.aggregationTemporality === AggregationTemporality.DELTA) assert.ok(start >= (p?.endMs ?? opts.testStartMs - CLOCK_SKEW_MS), `${label} ${side}: a new delta stream starts at its first record, after the previous collection`);
      else assert.ok(start >= opts.testStartMs - CLOCK_SKEW_MS, `${label} ${side}: a cumulative stream starts at its first record`);
    }
  }
  for (let i = 0; i < s.length; i++) {
    const want = s[i].value as unknown;
    const got = c[i].value as unknown;
    if (opts.minMax || typeof want !== 'object') assert.deepEqual(got, want, `${label}: value of ${key(s[i].attributes)}`);
    else {
      // A second delta reader diffs cumulative sums: equal up to float rounding; no min/max (not differences).
      const w = want as { sum: number };
      const g = got as { sum: number };
      assert.ok(Math.abs(g.sum - w.sum) < 1e-9, `${label}: sum of ${key(s[i].attributes)}`);
      assert.deepEqual({ ...g, sum: 0 }, { ...w, sum: 0, min: undefined, max: undefined }, `${label}: value of ${key(s[i].attributes)} (second delta reader)`);
    }
  }
  return next;
}

/** A cumulative reader, a delta reader and a second delta reader, each with its cells producer, on one sdk-metrics provider. */
export function readersWithCells(): { readers: Record<'cumulative' | 'delta' | 'delta2', Reader>; provider: SdkMeterProvider } {
  const readers = {
    cumulative: withCells((p) => new TestReader(AggregationTemporality.CUMULATIVE, p)),
    delta: withCells((p) => new TestReader(AggregationTemporality.DELTA, p)),
    delta2: withCells((p) => new TestReader(AggregationTemporality.DELTA, p)),
  };
  return { readers, provider: new MeterProvider({ readers: Object.values(readers) }) };
}
