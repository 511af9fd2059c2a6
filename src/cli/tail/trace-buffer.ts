// Holds spans per trace until the trace looks complete (root seen and quiet for a moment, or quiet
// for longer), because a trace's spans arrive in several export batches, children usually first.
import type { ReceivedSpan } from '../../receiver/types.js';

interface Pending {
  spans: ReceivedSpan[];
  timer: NodeJS.Timeout;
}

export class TraceBuffer {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly onTrace: (spans: ReceivedSpan[]) => void,
    private readonly quietMs = 400,
    private readonly orphanMs = 3000,
  ) {}

  add(spans: readonly ReceivedSpan[]): void {
    for (const span of spans) {
      const entry = this.pending.get(span.traceId);
      if (entry) {
        clearTimeout(entry.timer);
        entry.spans.push(span);
      } else {
        this.pending.set(span.traceId, { spans: [span], timer: undefined as unknown as NodeJS.Timeout });
      }
    }
    for (const traceId of new Set(spans.map((s) => s.traceId))) this.schedule(traceId);
  }

  /** Emits every held trace now (on exit). */
  flush(): void {
    for (const traceId of [...this.pending.keys()]) this.emit(traceId);
  }

  private schedule(traceId: string): void {
    const entry = this.pending.get(traceId);
    if (!entry) return;
    clearTimeout(entry.timer);
    const hasRoot = entry.spans.some((s) => s.parentSpanId === '');
    entry.timer = setTimeout(() => this.emit(traceId), hasRoot ? this.quietMs : this.orphanMs);
    entry.timer.unref();
  }

  private emit(traceId: string): void {
    const entry = this.pending.get(traceId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(traceId);
    this.onTrace(entry.spans);
  }
}
