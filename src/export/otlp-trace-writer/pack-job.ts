// A span batch redacted and encoded into its OTLP request a slice at a time, a few milliseconds per
// task, so packing a batch (src/export/guarded-exporter.ts, `pack`) never holds the app's loop long.
//
// Why: the first batches are encoded by code V8 has not optimised yet. A CPU profile of the bench app at
// 500 req/s (Node 24, 2026-12-05) showed the first 512-span batch's redaction and encoding as one 35-38 ms
// task, the second 10 ms, and the first batch of each new span shape (the /work phase's pg and redis
// spans) again; warm, the same batch takes 1-2 ms. The contract is no block over 20 ms.
// The request is byte-identical to encoding the batch in one go: span entries are written per scope group
// into a job buffer, then the request is assembled around them (test/export-pack-job.test.ts).
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { ByteWriter, KEEP_MAX_BYTES } from './buffer.js';
import { groupSpans, writeGroupedRequest, writeSpanEntries, type ResourceGroup, type ScopeGroup } from './spans.js';
import { EncodedSpans, encodeWith } from './serializer.js';

/** Spans redacted and encoded between two looks at the clock (a look costs ~40 ns, a warm span ~2 µs). */
const SPANS_PER_LOOK = 8;

/** Job buffers kept for the next batches (a fresh 200 KB buffer per batch costs its page faults). */
const idle: ByteWriter[] = [];
const IDLE_MAX = 2;

function acquire(): ByteWriter {
  const w = idle.pop() ?? new ByteWriter();
  w.reset();
  return w;
}

function release(w: ByteWriter): void {
  if (idle.length < IDLE_MAX && w.buf.length <= KEEP_MAX_BYTES) idle.push(w);
}

export class SpanPackJob {
  private readonly groups: ResourceGroup[];
  private readonly flat: ScopeGroup[];
  /** Where each scope group's span entries start and end in the job buffer (two numbers per group). */
  private readonly ranges: number[] = [];
  private group = 0;
  private next = 0;
  private w: ByteWriter | undefined;
  private result: EncodedSpans | undefined;
  private failure: unknown;

  /** `transform` redacts the spans it is given in place (it sees each span once, in slices). */
  constructor(private readonly spans: ReadableSpan[], private readonly transform: (slice: ReadableSpan[]) => void) {
    this.groups = groupSpans(spans);
    this.flat = this.groups.flatMap((r) => r.scopes);
  }

  /**
   * Works until `deadline` (performance.now() ms; Infinity: to the end). Returns the packed batch once
   * every span is encoded, else undefined: call again in a later task. Throws what the redaction or the
   * encoder throws (the job is then finished, and the batch's spans left as they were taken).
   */
  step(deadline: number): EncodedSpans | undefined {
    if (this.result !== undefined) return this.result;
    if (this.failure !== undefined) throw this.failure;
    const w = (this.w ??= acquire());
    try {
      while (this.group < this.flat.length) {
        const { spans } = this.flat[this.group];
        if (this.next === 0) this.ranges.push(w.pos);
        const to = Math.min(this.next + SPANS_PER_LOOK, spans.length);
        this.transform(this.next === 0 && to === spans.length ? spans : spans.slice(this.next, to));
        writeSpanEntries(w, spans, this.next, to);
        this.next = to;
        if (to === spans.length) {
          this.ranges.push(w.pos);
          this.group++;
          this.next = 0;
        }
        if (this.group < this.flat.length && performance.now() >= deadline) return undefined;
      }
      const { flat, ranges } = this;
      const body = encodeWith((out) => writeGroupedRequest(out, this.groups, (o, g) => {
        const i = flat.indexOf(g) * 2;
        o.raw(w.buf.subarray(ranges[i], ranges[i + 1]));
      }));
      this.result = new EncodedSpans(body, this.spans.length);
      // Emptied: the batch processor's array may live in the old generation (V8 pretenures the array
      // literal it refills its queue with once its arrays were seen surviving, e.g. while batches wait out
      // the exporters' warm-up), and an old array still pointing at the spans keeps them alive through
      // every scavenge until the next full GC.
      this.spans.length = 0;
      for (const g of flat) g.spans.length = 0;
      return this.result;
    } catch (err) {
      this.failure = err ?? new Error('packing failed');
      this.group = this.flat.length;
      throw err;
    } finally {
      if (this.group >= this.flat.length) {
        this.w = undefined;
        release(w);
      }
    }
  }
}
