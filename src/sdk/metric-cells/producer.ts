// The bridge from cells to the standard metrics pipeline: a MetricProducer per MetricReader (sdk-metrics'
// `metricProducers` option) that turns cells into the HistogramMetricData / SumMetricData sdk-metrics
// itself would produce for that reader, so exporters, temporality, the Prometheus roads and names stay
// exactly as documented (docs/metrics.md). Views are not applied to cells (none are configurable today).
import type { Attributes } from '@opentelemetry/api';
import type {
  AggregationTemporality as Temporality, CollectionResult, HistogramMetricData, MetricProducer, MetricReader, ScopeMetrics, SumMetricData,
} from '@opentelemetry/sdk-metrics';
import { interval, type CellState, type CounterCell, type HistogramCell } from './cells.js';
import { allCellSets, type CellScope, type CounterCells, type HistogramCells } from './cell-set.js';
import { otel } from '../otel.js';

const { ValueType } = otel('@opentelemetry/api');
const { millisToHrTime } = otel('@opentelemetry/core');
const { emptyResource } = otel('@opentelemetry/resources');
const { AggregationTemporality, AggregationType, DataPointType, InstrumentType } = otel('@opentelemetry/sdk-metrics');

/** The delta reader whose collections drive the cells' interval fields (exact sums, min and max). */
let intervalOwner: ReaderState | undefined;

/** What a delta reader that does not own the interval reported last, per cell (its diff base). */
interface Snapshot { count: number; sum: number; counts: Float64Array | undefined }

interface ReaderState {
  reader: MetricReader | undefined;
  lastAt: number;
  snapshots: Map<CellState, Snapshot>;
}

function startOf(cell: CellState, delta: boolean, reportedLast: boolean, lastAt: number): number {
  if (!delta) return cell.firstAt;
  // sdk-metrics: a stream reported at the reader's previous collection starts there, a new one at its first record.
  return reportedLast && lastAt > 0 ? lastAt : cell.epochAt;
}

function histogramData(set: HistogramCells, temporality: Temporality, state: ReaderState, owner: boolean, now: number): HistogramMetricData | undefined {
  const delta = temporality === AggregationTemporality.DELTA;
  const { boundaries } = set.definition;
  const points: HistogramMetricData['dataPoints'] = [];
  for (const c of set.cells as HistogramCell[]) {
    if (c.firstAt === 0) continue;
    let value: HistogramMetricData['dataPoints'][number]['value'];
    let reportedLast: boolean;
    if (!delta) {
      value = { min: c.min, max: c.max, sum: c.sum, count: c.count, buckets: { boundaries: [...boundaries], counts: Array.from(c.counts) } };
      reportedLast = false;
    } else if (owner) {
      if (c.epoch !== interval.epoch || c.iCount === 0) continue;
      value = { min: c.iMin, max: c.iMax, sum: c.iSum, count: c.iCount, buckets: { boundaries: [...boundaries], counts: Array.from(c.iCounts) } };
      reportedLast = c.reported === interval.epoch - 1;
      c.reported = interval.epoch;
    } else {
      // A second delta reader: the difference from what it reported last (no min/max: they are not differences).
      const prev = state.snapshots.get(c);
      if (prev && prev.count === c.count) continue;
      const counts = Array.from(c.counts, (n, i) => n - (prev?.counts?.[i] ?? 0));
      value = { min: undefined, max: undefined, sum: c.sum - (prev?.sum ?? 0), count: c.count - (prev?.count ?? 0), buckets: { boundaries: [...boundaries], counts } };
      reportedLast = prev !== undefined;
      state.snapshots.set(c, { count: c.count, sum: c.sum, counts: Float64Array.from(c.counts) });
    }
    points.push({ attributes: c.attributes, startTime: millisToHrTime(startOf(c, delta, reportedLast, state.lastAt)), endTime: millisToHrTime(now), value });
  }
  if (points.length === 0) return undefined;
  return {
    descriptor: {
      name: set.definition.name, type: InstrumentType.HISTOGRAM, description: set.definition.description, unit: set.definition.unit,
      valueType: ValueType.DOUBLE, advice: set.definition.advice ?? { explicitBucketBoundaries: [...boundaries] },
    } as HistogramMetricData['descriptor'],
    aggregationTemporality: temporality,
    dataPointType: DataPointType.HISTOGRAM,
    dataPoints: points,
  };
}

function sumData(set: CounterCells, temporality: Temporality, state: ReaderState, owner: boolean, now: number): SumMetricData | undefined {
  const delta = temporality === AggregationTemporality.DELTA;
  const points: SumMetricData['dataPoints'] = [];
  for (const c of set.cells as CounterCell[]) {
    if (c.firstAt === 0) continue;
    let value: number;
    let reportedLast = false;
    if (!delta) {
      value = c.value;
    } else if (owner) {
      if (c.epoch !== interval.epoch) continue;
      value = c.iValue;
      reportedLast = c.reported === interval.epoch - 1;
      c.reported = interval.epoch;
    } else {
      const prev = state.snapshots.get(c);
      if (prev && prev.count === c.adds) continue;
      value = c.value - (prev?.sum ?? 0);
      reportedLast = prev !== undefined;
      state.snapshots.set(c, { count: c.adds, sum: c.value, counts: undefined });
    }
    points.push({ attributes: c.attributes as Attributes, startTime: millisToHrTime(startOf(c, delta, reportedLast, state.lastAt)), endTime: millisToHrTime(now), value });
  }
  if (points.length === 0) return undefined;
  return {
    descriptor: {
      name: set.definition.name, type: set.kind === 'updown' ? InstrumentType.UP_DOWN_COUNTER : InstrumentType.COUNTER,
      description: set.definition.description, unit: set.definition.unit, valueType: ValueType.DOUBLE, advice: set.definition.advice ?? {},
    } as SumMetricData['descriptor'],
    aggregationTemporality: temporality,
    dataPointType: DataPointType.SUM,
    isMonotonic: set.kind !== 'updown',
    dataPoints: points,
  };
}

/** A producer for one reader; bind() it to the reader once the reader exists (its temporality decides the data). */
export class CellsProducer implements MetricProducer {
  private readonly state: ReaderState = { reader: undefined, lastAt: 0, snapshots: new Map() };

  bind(reader: MetricReader): void {
    this.state.reader = reader;
  }

  collect(): Promise<CollectionResult> {
    const scopeMetrics: ScopeMetrics[] = [];
    const errors: unknown[] = [];
    try {
      this.collectInto(scopeMetrics);
    } catch (err) {
      // A fault here must not cost the reader the SDK's own metrics: MetricReader awaits every producer together.
      scopeMetrics.length = 0;
      errors.push(err);
    }
    // MetricReader keeps the SDK's resource and ignores a producer's.
    return Promise.resolve({ resourceMetrics: { resource: emptyResource(), scopeMetrics }, errors });
  }

  private collectInto(scopeMetrics: ScopeMetrics[]): void {
    const reader = this.state.reader;
    const now = Date.now();
    if (!reader) return;
    const types = {
      histogram: InstrumentType.HISTOGRAM, counter: InstrumentType.COUNTER, updown: InstrumentType.UP_DOWN_COUNTER,
    } as const;
    const temporality = new Map<string, Temporality>();
    const dropped = new Set<string>();
    for (const [kind, type] of Object.entries(types)) {
      temporality.set(kind, reader.selectAggregationTemporality(type));
      if (reader.selectAggregation(type).type === AggregationType.DROP) dropped.add(kind);
    }
    if ([...temporality.values()].includes(AggregationTemporality.DELTA)) intervalOwner ??= this.state;
    const owner = intervalOwner === this.state;
    // One ScopeMetrics per scope, in the order the scopes first made cells.
    const byScope = new Map<CellScope, ScopeMetrics>();
    for (const set of allCellSets) {
      if (dropped.has(set.kind)) continue;
      const t = temporality.get(set.kind) as Temporality;
      const data = set.kind === 'histogram'
        ? histogramData(set as HistogramCells, t, this.state, owner, now)
        : sumData(set as CounterCells, t, this.state, owner, now);
      if (!data) continue;
      let scope = byScope.get(set.scope);
      if (!scope) {
        scope = { scope: { ...set.scope }, metrics: [] };
        byScope.set(set.scope, scope);
        scopeMetrics.push(scope);
      }
      scope.metrics.push(data);
    }
    if (owner) interval.epoch++;
    this.state.lastAt = now;
  }
}

/** Builds a reader with a cells producer of its own attached, e.g. `withCells((p) => new PeriodicExportingMetricReader({ ..., metricProducers: p }))`. */
export function withCells<R extends MetricReader>(make: (producers: MetricProducer[]) => R): R {
  const producer = new CellsProducer();
  const reader = make([producer]);
  producer.bind(reader);
  return reader;
}
