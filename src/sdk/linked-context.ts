// The OTel Context our request contexts are made of: each setValue is one small node pointing at its
// parent, where the API's BaseContext copies its whole Map per setValue (new Map(parent) walks an
// iterator: a result object and an entry array per value held). Contexts are set per request by us
// (span, RPC metadata) and by every client span upstream starts (pg, redis...): in an allocation
// profile of the bench's /work (bench/alloc.mjs) BaseContext's copies were the largest single item
// we caused, ~7.5 KB of the ~34 KB per request the preload added. Measured by
// bench/micro/context.mjs (a request's pattern: 3 values on the server context, 3 client spans
// each setting one and reading 4): see the figures there and in docs/performance.md.
//
// A chain is walked on getValue; past MAX_DEPTH links the next setValue starts a flat node (one Map
// of every visible value), so code that sets values in a loop on one context cannot make reads
// linear in its history.
import type { Context } from '@opentelemetry/api';

/** Links walked at most before a flat node: request contexts are 2-6 deep. */
const MAX_DEPTH = 12;

export class LinkedContext implements Context {
  private constructor(
    private readonly parent: LinkedContext | undefined,
    private readonly key: symbol | undefined,
    private readonly value: unknown,
    private readonly depth: number,
    /** Set on a flat node: every value visible from it; then `parent` is undefined. */
    private readonly flat: Map<symbol, unknown> | undefined,
  ) {}

  /** The empty context: what our context manager answers when nothing is active, and where a request's context starts. */
  static readonly ROOT: LinkedContext = new LinkedContext(undefined, undefined, undefined, 0, undefined);

  getValue(key: symbol): unknown {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let node: LinkedContext | undefined = this;
    do {
      if (node.key === key) return node.value;
      if (node.flat !== undefined) return node.flat.get(key);
      node = node.parent;
    } while (node !== undefined);
    return undefined;
  }

  setValue(key: symbol, value: unknown): Context {
    return this.child(key, value);
  }

  /** A deleted key reads as undefined, as BaseContext's deleteValue leaves it. */
  deleteValue(key: symbol): Context {
    return this.child(key, undefined);
  }

  private child(key: symbol, value: unknown): LinkedContext {
    if (this.depth < MAX_DEPTH) return new LinkedContext(this, key, value, this.depth + 1, undefined);
    const flat = new Map<symbol, unknown>([[key, value]]);
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    let node: LinkedContext | undefined = this;
    while (node !== undefined) {
      if (node.flat !== undefined) {
        for (const [k, v] of node.flat) if (!flat.has(k)) flat.set(k, v);
        break;
      }
      if (node.key !== undefined && !flat.has(node.key)) flat.set(node.key, node.value);
      node = node.parent;
    }
    return new LinkedContext(undefined, undefined, undefined, 0, flat);
  }
}
