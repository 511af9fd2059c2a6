// Metric cells: per-attribute-set aggregation state that a request updates with a few stores, where
// upstream sdk-metrics hashes the attribute set on every record (sort + JSON.stringify, see
// open-telemetry/opentelemetry-js#4372 and #6515). Grouped per metric in cell-set.ts, exported through producer.ts.
//
// Measured with `node bench/micro/metric-cells.mjs` (Node 24.22.3, this 2-core machine shared with five
// other agents, load average ~14, 2026-12-05; ns/op medians of 7 and of 11 interleaved rounds):
// upstream Histogram.record(v, attrs) with 5 attributes 1657 / 2703 (12 label sets: 1447 / 2877);
// cell.record(v) on a held cell 10.4 / 32.5; cells.cell(attrs).record(v) on 12 cached attribute
// objects (a WeakMap hit) 27.1 / 58.0; upstream Counter.add(1, attrs) 1418 / 2563; cell.add(1) 4.9 / 8.0.
// A third run (9 rounds, load ~15): 3118 (12 sets: 2827) / 28.4 / 60.3 / 2305 / 8.3.
//
// The contract for callers: keep ONE attributes object per distinct label set (e.g. per method, route
// and status) and pass that same object to cell(), or better hold the cell it returns. Cells are
// keyed by object identity first (a WeakMap hit); a new object falls back to one canonical-key lookup,
// so two objects with equal content still share a cell (never two series with the same labels),
// they only pay upstream's hashing price once each.
import type { Attributes, MetricAdvice } from '@opentelemetry/api';

/**
 * The interval clock: bumped when the delta reader that owns the interval fields collects. A cell resets
 * its interval fields on its first record after a bump, so a record never walks a list of readers.
 */
export const interval = { epoch: 0 };

export interface MetricDefinition {
  readonly name: string;
  readonly unit: string;
  readonly description: string;
  /** The descriptor's advice as sdk-metrics reports it (the creator's options.advice); our own histograms: their boundaries. */
  readonly advice?: MetricAdvice;
}

export interface HistogramDefinition extends MetricDefinition {
  readonly boundaries: readonly number[];
}

/** What every cell has: its attributes (a private copy), and when it was first and last-interval-first recorded. */
export interface CellState {
  readonly attributes: Attributes;
  /** ms since epoch of the first record ever; 0 while never recorded (then it is not exported). */
  firstAt: number;
  /** interval.epoch the interval fields belong to; -1 before any record. */
  epoch: number;
  /** ms since epoch of the first record in that interval. */
  epochAt: number;
  /** interval.epoch of the last delta collection that reported this cell (start-time rule of sdk-metrics); -2: never. */
  reported: number;
}

export class HistogramCell implements CellState {
  firstAt = 0;
  epoch = -1;
  epochAt = 0;
  reported = -2;
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  readonly counts: Float64Array;
  // The same fields for the interval since the owning delta reader's last collection.
  iCount = 0;
  iSum = 0;
  iMin = Infinity;
  iMax = -Infinity;
  readonly iCounts: Float64Array;

  constructor(readonly attributes: Attributes, private readonly bounds: Float64Array) {
    this.counts = new Float64Array(bounds.length + 1);
    this.iCounts = new Float64Array(bounds.length + 1);
  }

  /** A measurement; negative values and NaN are dropped, as sdk-metrics' Histogram.record drops them. */
  record(v: number): void {
    if (!(v >= 0)) return;
    const e = interval.epoch;
    if (this.epoch !== e) {
      this.epoch = e;
      this.epochAt = Date.now();
      if (this.firstAt === 0) this.firstAt = this.epochAt;
      this.iCount = 0;
      this.iSum = 0;
      this.iMin = Infinity;
      this.iMax = -Infinity;
      this.iCounts.fill(0);
    }
    // Upper bounds are inclusive (OTLP explicit buckets); 14 bounds: a linear walk beats a binary search.
    const b = this.bounds;
    let i = 0;
    while (i < b.length && b[i] < v) i++;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.counts[i]++;
    this.iCount++;
    this.iSum += v;
    if (v < this.iMin) this.iMin = v;
    if (v > this.iMax) this.iMax = v;
    this.iCounts[i]++;
  }
}

export class CounterCell implements CellState {
  firstAt = 0;
  epoch = -1;
  epochAt = 0;
  reported = -2;
  value = 0;
  iValue = 0;
  /** add() calls: add(0) still makes a point for sdk-metrics, and a second delta reader tells change by it. */
  adds = 0;

  /** `monotonic` false: an up-down counter's cell, which takes negative values too. */
  constructor(readonly attributes: Attributes, private readonly monotonic = true) {}

  /** An increment; NaN is dropped, and a negative value by a counter, as sdk-metrics' Counter.add drops it. */
  add(n: number): void {
    if (n !== n || (n < 0 && this.monotonic)) return;
    const e = interval.epoch;
    if (this.epoch !== e) {
      this.epoch = e;
      this.epochAt = Date.now();
      if (this.firstAt === 0) this.firstAt = this.epochAt;
      this.iValue = 0;
    }
    this.value += n;
    this.iValue += n;
    this.adds++;
  }
}

