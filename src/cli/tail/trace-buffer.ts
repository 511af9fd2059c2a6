// Holds spans per trace until the trace looks complete (root seen and quiet for a moment, or quiet
// for longer), because a trace's spans arrive in several export batches, children usually first, and
// from several services, each exporting on its own schedule. A trace whose outgoing HTTP/RPC call has
// no child yet waits for the called service's batch (up to remoteWaitMs, past the SDK's 5 s batch
// delay); spans that still come late bring the whole trace back, printed again as an update.
import type { ReceivedSpan } from '../receiver/types.js';

interface Pending {
  spans: ReceivedSpan[];
  timer: NodeJS.Timeout;
  /** Printed before: this emission is an update with more spans. */
  update: boolean;
}

/** Printed traces kept for late spans: enough for a busy dev service, bounded for a long tail. */
const RECENT_MAX = 500;

/** An outgoing call another instrumented service may answer with spans of its own. */
function callsOut(span: ReceivedSpan): boolean {
  if (span.kind !== 'CLIENT' && span.kind !== 'PRODUCER') return false;
  const a = span.attributes;
  if (a['db.system.name'] !== undefined || a['db.system'] !== undefined) return false;
  return a['http.request.method'] !== undefined || a['http.method'] !== undefined || a['rpc.system'] !== undefined || a['messaging.system'] !== undefined;
}

export class TraceBuffer {
  private readonly pending = new Map<string, Pending>();
  private readonly recent = new Map<string, ReceivedSpan[]>();

  constructor(
    private readonly onTrace: (spans: ReceivedSpan[], update: boolean) => void,
    private readonly quietMs = 400,
    private readonly orphanMs = 3000,
    private readonly remoteWaitMs = 6000,
  ) {}

  add(spans: readonly ReceivedSpan[]): void {
    for (const span of spans) {
      const entry = this.pending.get(span.traceId);
      if (entry) {
        clearTimeout(entry.timer);
        entry.spans.push(span);
        continue;
      }
      const printed = this.recent.get(span.traceId);
      if (printed) this.recent.delete(span.traceId);
      this.pending.set(span.traceId, { spans: [...(printed ?? []), span], timer: undefined as unknown as NodeJS.Timeout, update: printed !== undefined });
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
    const parents = new Set(entry.spans.map((s) => s.parentSpanId));
    const awaitsRemote = entry.spans.some((s) => callsOut(s) && !parents.has(s.spanId));
    const wait = !hasRoot ? this.orphanMs : awaitsRemote ? this.remoteWaitMs : this.quietMs;
    entry.timer = setTimeout(() => this.emit(traceId), wait);
    entry.timer.unref();
  }

  private emit(traceId: string): void {
    const entry = this.pending.get(traceId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(traceId);
    this.recent.set(traceId, entry.spans);
    if (this.recent.size > RECENT_MAX) this.recent.delete(this.recent.keys().next().value as string);
    this.onTrace(entry.spans, entry.update);
  }
}
