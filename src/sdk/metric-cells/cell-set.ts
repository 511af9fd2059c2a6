// One metric's cells and the process-wide list of them: lookup by the caller's cached attributes object,
// or by the entries of a fresh one (cellOf, a trie walk, for upstream instrumentations through cell-meter.ts), bounded
// like sdk-metrics (the CELL_LIMIT-th label set and later ones share the overflow cell). The caller
// contract and measurements are in cells.ts.
import type { Attributes } from '@opentelemetry/api';
import { CounterCell, HistogramCell, type CellState, type HistogramDefinition, type MetricDefinition } from './cells.js';

/** The instrumentation scope a metric is exported under (ours, or the upstream instrumentation's). */
export interface CellScope {
  readonly name: string;
  readonly version?: string;
  readonly schemaUrl?: string;
}

/** The scope our own cells have always been exported under (the counters' meter was getMeter('@org/obs')). */
export const OBS_CELL_SCOPE: CellScope = Object.freeze({ name: '@org/obs' });

/** histogram, counter (monotonic sum) or updown (non-monotonic sum): the sdk-metrics instrument it stands for. */
export type CellKind = 'histogram' | 'counter' | 'updown';

/** Distinct attribute sets per metric, as sdk-metrics' default cardinality limit (2000 per instrument). */
export const CELL_LIMIT = 2000;
/** The attribute set the points beyond CELL_LIMIT fold into: the one sdk-metrics uses for its overflow. */
export const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ 'otel.metric.overflow': true });
/** Caller keys remembered by cellFor(), and entry-trie nodes of cellOf(); past this those lookups are skipped (content lookup still bounds cells). */
const KEY_LIMIT = CELL_LIMIT * 4;

/** The same canonical form sdk-metrics hashes with: sorted keys, JSON of [key, value] pairs. */
function canonicalKey(attributes: Attributes): string {
  const keys = Object.keys(attributes).sort();
  return JSON.stringify(keys.map((k) => [k, attributes[k]]));
}

/**
 * A node of the entries trie cellOf() walks: per attribute key, then per value, the next node; `cell`
 * where a label set ends. Upstream builds its attributes in a fixed order per call site, so one set is
 * one path; another order of the same set is another path to the same cell (the canonical lookup joins
 * them). Measured with fresh 5-entry objects as instrumentation-pg makes them (Node 24, 7 rounds):
 * the walk ~105 ns per record; a string key of the entries ~600-800 ns (building and hashing the
 * string); sdk-metrics' Histogram.record ~1050 ns (bench/micro/metric-cells.mjs).
 */
interface EntryNode<C> {
  next: Map<string, Map<unknown, EntryNode<C>>> | undefined;
  cell: C | undefined;
}

/** One metric's cells, bounded: the CELL_LIMIT-th distinct attribute set and later ones share the overflow cell. */
export class CellSet<C extends CellState> {
  readonly cells: C[] = [];
  private readonly byObject = new WeakMap<object, C>();
  private readonly byContent = new Map<string, C>();
  private readonly byKey = new Map<string, C>();
  private readonly entries: EntryNode<C> = { next: undefined, cell: undefined };
  private entryNodes = 0;
  private overflow: C | undefined;

  constructor(
    readonly kind: CellKind, readonly definition: MetricDefinition, private readonly make: (attributes: Attributes) => C,
    readonly scope: CellScope = OBS_CELL_SCOPE,
  ) {}

  /** The cell for a caller-cached attributes object (see the contract at the top of this file). */
  cell(attributes: Attributes): C {
    return this.byObject.get(attributes) ?? this.slow(attributes);
  }

  /**
   * The cell for a caller's own key (e.g. `outcome|reason|route|method`); `attributes` builds the label set on
   * the key's first use only. The key must determine the attributes.
   */
  cellFor(key: string, attributes: () => Attributes): C {
    const hit = this.byKey.get(key);
    if (hit) return hit;
    const c = this.slow(attributes());
    if (this.byKey.size < KEY_LIMIT) this.byKey.set(key, c);
    return c;
  }

  /** The cell for an attributes object made afresh on every call (upstream's record(v, { ... })), without hashing it. */
  cellOf(attributes: Attributes): C {
    let node = this.entries;
    for (const k in attributes) {
      const v = attributes[k];
      // Arrays (and anything else that is not a primitive) take the canonical road: identity is not content.
      if (v !== undefined && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return this.slow(attributes, false);
      const byValue = node.next?.get(k);
      let child = byValue?.get(v);
      if (child === undefined) {
        if (this.entryNodes >= KEY_LIMIT) return this.slow(attributes, false);
        child = { next: undefined, cell: undefined };
        this.entryNodes++;
        node.next ??= new Map();
        if (byValue) byValue.set(v, child);
        else node.next.set(k, new Map([[v, child]]));
      }
      node = child;
    }
    return node.cell ??= this.slow(attributes, false);
  }

  private slow(attributes: Attributes, remember = true): C {
    const key = canonicalKey(attributes);
    let c = this.byContent.get(key);
    if (!c) {
      if (this.byContent.size >= CELL_LIMIT - 1) {
        c = this.overflow ??= this.add(OVERFLOW_ATTRIBUTES);
      } else {
        // A copy: a caller changing its object later must not relabel what was recorded.
        c = this.add({ ...attributes });
        this.byContent.set(key, c);
      }
    }
    if (remember) this.byObject.set(attributes, c);
    return c;
  }

  private add(attributes: Attributes): C {
    const c = this.make(attributes);
    this.cells.push(c);
    return c;
  }
}

export type HistogramCells = CellSet<HistogramCell> & { readonly definition: HistogramDefinition };
/** Counters and up-down counters (kind tells which). */
export type CounterCells = CellSet<CounterCell>;

/** Every cell set made in this process: what the producers export. */
export const allCellSets: (HistogramCells | CounterCells)[] = [];

export function histogramCells(definition: HistogramDefinition, scope?: CellScope): HistogramCells {
  const bounds = Float64Array.from(definition.boundaries);
  const frozen: HistogramDefinition = Object.freeze({ ...definition, boundaries: Object.freeze([...definition.boundaries]) });
  const set = new CellSet<HistogramCell>('histogram', frozen, (a) => new HistogramCell(a, bounds), scope) as HistogramCells;
  allCellSets.push(set);
  return set;
}

/** A monotonic counter's cells; `updown` for an up-down counter (negative increments kept). */
export function counterCells(definition: MetricDefinition, scope?: CellScope, kind: 'counter' | 'updown' = 'counter'): CounterCells {
  const set = new CellSet<CounterCell>(kind, Object.freeze({ ...definition }), (a) => new CounterCell(a, kind === 'counter'), scope);
  allCellSets.push(set);
  return set;
}
