// One export request's life, the same for gRPC and HTTP: count it, apply the fault, decode, answer.
import { decodeRequest, decompress } from './decode.js';
import type { Fault, FaultBook } from './faults.js';
import type {
  DecodedBatch, ReceivedRequest, ReceiverStats, SignalStats,
} from './types.js';

/** What a transport knows of a request before the pipeline reads it: the request's own fields. */
export interface ExportMeta extends Pick<ReceivedRequest, 'signal' | 'protocol' | 'path' | 'encoding' | 'contentType' | 'contentEncoding' | 'headers'> {
  /** True when `body` still needs `contentEncoding` undone (HTTP; grpc-js decompresses itself). */
  compressedBody: boolean;
}

/** How a transport answers; each method returns the HTTP status or gRPC code it sent. */
export interface Responder {
  ok(): number;
  malformed(): number;
  fail(fault: Fault): number;
  badRequest(message: string): number;
  /** Drops the connection without an answer. */
  destroy(): void;
  /** True once the exchange is over (answered, or the client went away). */
  readonly closed: boolean;
  /** Called once when the exchange is over, either way. */
  onClose(cb: () => void): void;
}

function emptyStats(): SignalStats {
  return { requests: 0, accepted: 0, items: 0, inFlight: 0, maxInFlight: 0, faultsInjected: 0 };
}

export function emptyReceiverStats(): ReceiverStats {
  return { traces: emptyStats(), metrics: emptyStats(), logs: emptyStats() };
}

export class ExportPipeline {
  stats: ReceiverStats = emptyReceiverStats();
  private nextId = 1;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly faults: FaultBook,
    private readonly record: (request: ReceivedRequest) => void,
    private readonly store: (request: ReceivedRequest, batch: DecodedBatch) => void,
  ) {}

  handle(meta: ExportMeta, body: Buffer, responder: Responder): void {
    const fault = this.faults.take(meta.signal);
    const stats = this.stats[meta.signal];
    const request: ReceivedRequest = {
      id: this.nextId++, signal: meta.signal, protocol: meta.protocol, path: meta.path,
      encoding: meta.encoding, contentType: meta.contentType, contentEncoding: meta.contentEncoding,
      headers: meta.headers, bytes: 0, items: 0, receivedAt: Date.now(),
    };
    this.record(request);
    stats.requests += 1;
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    // Looked up at close time: clear() may have replaced the stats object meanwhile.
    responder.onClose(() => {
      this.stats[meta.signal].inFlight -= 1;
      request.outcome ??= 'aborted';
    });
    if (fault.kind !== 'ok' || fault.delayMs) stats.faultsInjected += 1;

    if (fault.kind === 'refuse') {
      request.outcome = 'refused';
      responder.destroy();
      return;
    }
    let batch: DecodedBatch;
    try {
      const raw = meta.compressedBody ? decompress(body, meta.contentEncoding) : body;
      request.bytes = raw.length;
      batch = decodeRequest(meta.signal, meta.encoding, raw, { protocol: meta.protocol, requestId: request.id });
      request.items = batch.spans.length + batch.metrics.length + batch.logs.length;
    } catch (err) {
      request.error = err instanceof Error ? err.message : String(err);
      request.outcome = 'bad-request';
      request.status = responder.badRequest(`cannot decode ${meta.signal} request: ${request.error}`);
      return;
    }
    if (fault.kind === 'hang') {
      request.outcome = 'hang'; // stays in flight until the client gives up or the receiver stops
      return;
    }
    const answer = (): void => {
      if (responder.closed) return;
      if (fault.kind === 'status') {
        request.outcome = 'status';
        request.status = responder.fail(fault);
        return;
      }
      request.outcome = fault.kind === 'malformed' ? 'malformed' : 'accepted';
      this.stats[meta.signal].accepted += 1;
      this.stats[meta.signal].items += request.items;
      this.store(request, batch);
      request.status = fault.kind === 'malformed' ? responder.malformed() : responder.ok();
    };
    if (!fault.delayMs) return answer();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      answer();
    }, fault.delayMs);
    this.timers.add(timer);
  }

  /** Resets the counters; requests still open stay counted as in flight. */
  resetStats(): void {
    const old = this.stats;
    this.stats = emptyReceiverStats();
    for (const s of ['traces', 'metrics', 'logs'] as const) {
      this.stats[s].inFlight = old[s].inFlight;
      this.stats[s].maxInFlight = old[s].inFlight;
    }
  }

  cancelTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
