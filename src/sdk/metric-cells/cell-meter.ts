// The MeterProvider the upstream instrumentations get (pg, redis, undici, http's client side...): their
// synchronous histograms, counters and up-down counters record into metric cells, so a record costs a
// walk of its entries (cell-set.ts cellOf) instead of sdk-metrics' sort + JSON.stringify per call (instrumentation-pg
// alone makes 7 of them per pooled query: its operation duration and 6 pool-counter adds). Everything
// else (observable instruments, gauges, INT-valued instruments) goes to the real provider unchanged.
// Cells export under the instrumentation's own scope with the descriptor sdk-metrics would give
// (test/metric-cells-meter.test.ts compares the two field by field).
import type {
  Counter, Histogram, Meter, MeterOptions, MeterProvider, MetricAttributes, MetricOptions, UpDownCounter,
} from '@opentelemetry/api';
import { counterCells, histogramCells, type CellScope, type CounterCells, type HistogramCells } from './cell-set.js';
import { otel } from '../otel.js';

const { ValueType } = otel('@opentelemetry/api');

/** sdk-metrics' boundaries for a histogram without advice (view/Aggregation: HistogramAggregation). */
const DEFAULT_BOUNDARIES: readonly number[] = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10_000];

/** One cell set per (scope, kind, name), as sdk-metrics keeps one storage per instrument identity in a meter. */
const registry = new Map<string, HistogramCells | CounterCells>();
const scopes = new Map<string, CellScope>();

function internScope(name: string, version: string | undefined, schemaUrl: string | undefined): CellScope {
  const key = `${name}\u0000${version ?? ''}\u0000${schemaUrl ?? ''}`;
  let scope = scopes.get(key);
  if (!scope) {
    scope = Object.freeze({ name, ...(version !== undefined ? { version } : {}), ...(schemaUrl !== undefined ? { schemaUrl } : {}) });
    scopes.set(key, scope);
  }
  return scope;
}

/** Cells stand in only where they give exactly what sdk-metrics would: double values, explicit buckets. */
function cellable(options: MetricOptions | undefined): boolean {
  if (options?.valueType !== undefined && options.valueType !== ValueType.DOUBLE) return false;
  const advice = options?.advice as { explicitBucketBoundaries?: unknown } | undefined;
  if (advice === undefined) return true;
  const keys = Object.keys(advice);
  return keys.every((k) => k === 'explicitBucketBoundaries') && (advice.explicitBucketBoundaries === undefined || Array.isArray(advice.explicitBucketBoundaries));
}

/** What sdk-metrics' ExplicitBucketHistogramAggregation does with the boundaries it is given. */
function boundariesOf(options: MetricOptions | undefined): number[] {
  const given = (options?.advice as { explicitBucketBoundaries?: number[] } | undefined)?.explicitBucketBoundaries;
  if (!given) return [...DEFAULT_BOUNDARIES];
  const sorted = [...given].sort((a, b) => a - b);
  const lo = sorted.lastIndexOf(-Infinity);
  const hi = sorted.indexOf(Infinity);
  return sorted.slice(lo + 1, hi === -1 ? undefined : hi);
}

function cellsFor<T extends HistogramCells | CounterCells>(scope: CellScope, kind: 'histogram' | 'counter' | 'updown', name: string, make: () => T): T {
  const key = `${scope.name}\u0000${scope.version ?? ''}\u0000${scope.schemaUrl ?? ''}\u0000${kind}\u0000${name}`;
  let set = registry.get(key);
  if (!set) {
    set = make();
    registry.set(key, set);
  }
  return set as T;
}

function cellMeter(real: Meter, scope: CellScope): Meter {
  const definition = (name: string, options: MetricOptions | undefined) => ({
    name, unit: options?.unit ?? '', description: options?.description ?? '', advice: options?.advice ?? {},
  });
  const meter: Meter = {
    createHistogram(name: string, options?: MetricOptions): Histogram {
      if (!cellable(options)) return real.createHistogram(name, options);
      const set = cellsFor(scope, 'histogram', name, () => histogramCells({ ...definition(name, options), boundaries: boundariesOf(options) }, scope));
      return { record: (value: number, attributes?: MetricAttributes) => set.cellOf(attributes ?? {}).record(value) };
    },
    createCounter(name: string, options?: MetricOptions): Counter {
      if (!cellable(options)) return real.createCounter(name, options);
      const set = cellsFor(scope, 'counter', name, () => counterCells(definition(name, options), scope, 'counter'));
      return { add: (value: number, attributes?: MetricAttributes) => set.cellOf(attributes ?? {}).add(value) };
    },
    createUpDownCounter(name: string, options?: MetricOptions): UpDownCounter {
      if (!cellable(options)) return real.createUpDownCounter(name, options);
      const set = cellsFor(scope, 'updown', name, () => counterCells(definition(name, options), scope, 'updown'));
      return { add: (value: number, attributes?: MetricAttributes) => set.cellOf(attributes ?? {}).add(value) };
    },
    createGauge: (name, options) => real.createGauge(name, options),
    createObservableGauge: (name, options) => real.createObservableGauge(name, options),
    createObservableCounter: (name, options) => real.createObservableCounter(name, options),
    createObservableUpDownCounter: (name, options) => real.createObservableUpDownCounter(name, options),
    addBatchObservableCallback: (callback, observables) => real.addBatchObservableCallback(callback, observables),
    removeBatchObservableCallback: (callback, observables) => real.removeBatchObservableCallback(callback, observables),
  };
  return meter;
}

/** The provider handed to upstream instrumentations (instrumentations/load.ts attach()). */
export function cellMeterProvider(real: MeterProvider): MeterProvider {
  return {
    getMeter(name: string, version?: string, options?: MeterOptions): Meter {
      return cellMeter(real.getMeter(name, version, options), internScope(name, version, options?.schemaUrl));
    },
  };
}
