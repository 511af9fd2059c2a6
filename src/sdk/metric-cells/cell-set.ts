// One metric's cells and the process-wide list of them: lookup by the caller's cached attributes object,
// bounded like sdk-metrics (the CELL_LIMIT-th label set and later ones share the overflow cell). The
// caller contract and measurements are in cells.ts.
import type { Attributes } from '@opentelemetry/api';
import { CounterCell, HistogramCell, type CellState, type HistogramDefinition, type MetricDefinition } from './cells.js';

/** Distinct attribute sets per metric, as sdk-metrics' default cardinality limit (2000 per instrument). */
export const CELL_LIMIT = 2000;
/** The attribute set the points beyond CELL_LIMIT fold into: the one sdk-metrics uses for its overflow. */
export const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ 'otel.metric.overflow': true });
/** Caller keys remembered by cellFor(); past this the key lookup is skipped (content lookup still bounds cells). */
const KEY_LIMIT = CELL_LIMIT * 4;

/** The same canonical form sdk-metrics hashes with: sorted keys, JSON of [key, value] pairs. */
function canonicalKey(attributes: Attributes): string {
  const keys = Object.keys(attributes).sort();
  return JSON.stringify(keys.map((k) => [k, attributes[k]]));
}

/** One metric's cells, bounded: the CELL_LIMIT-th distinct attribute set and later ones share the overflow cell. */
export class CellSet<C extends CellState> {
  readonly cells: C[] = [];
  private readonly byObject = new WeakMap<object, C>();
  private readonly byContent = new Map<string, C>();
  private readonly byKey = new Map<string, C>();
  private overflow: C | undefined;

  constructor(readonly kind: 'histogram' | 'counter', readonly definition: MetricDefinition, private readonly make: (attributes: Attributes) => C) {}

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

  private slow(attributes: Attributes): C {
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
    this.byObject.set(attributes, c);
    return c;
  }

  private add(attributes: Attributes): C {
    const c = this.make(attributes);
    this.cells.push(c);
    return c;
  }
}

export type HistogramCells = CellSet<HistogramCell> & { readonly definition: HistogramDefinition };
export type CounterCells = CellSet<CounterCell>;

/** Every cell set made in this process: what the producers export. */
export const allCellSets: (HistogramCells | CounterCells)[] = [];

export function histogramCells(definition: HistogramDefinition): HistogramCells {
  const bounds = Float64Array.from(definition.boundaries);
  const frozen: HistogramDefinition = Object.freeze({ ...definition, boundaries: Object.freeze([...definition.boundaries]) });
  const set = new CellSet<HistogramCell>('histogram', frozen, (a) => new HistogramCell(a, bounds)) as HistogramCells;
  allCellSets.push(set);
  return set;
}

export function counterCells(definition: MetricDefinition): CounterCells {
  const set = new CellSet<CounterCell>('counter', Object.freeze({ ...definition }), (a) => new CounterCell(a));
  allCellSets.push(set);
  return set;
}
