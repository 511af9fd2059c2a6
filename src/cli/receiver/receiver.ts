// OtlpReceiver: an in-process OTLP collector stand-in (gRPC + HTTP) that records what it receives
// and can misbehave on demand. Used by the end-to-end tests and by `obs tail`.
import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { FaultBook, type FaultInput, type FaultTarget } from './faults.js';
import { createGrpcTransport, type GrpcTransport } from './grpc-server.js';
import { createHttpTransport } from './http-server.js';
import { SocketListener } from './listener.js';
import { ExportPipeline } from './pipeline.js';
import { describeReceived } from './summary.js';
import type {
  DecodedBatch, ReceivedLog, ReceivedMetricPoint, ReceivedRequest, ReceivedSpan, ReceiverStats, Signal,
} from './types.js';

export interface ReceiverStartOptions {
  /** 0 (default): an ephemeral port. */
  grpcPort?: number;
  httpPort?: number;
  host?: string;
  /** Faults in force from the first request, e.g. `{ all: 'hang' }` or `{ traces: { kind: 'status', status: 503 } }`. */
  faults?: Partial<Record<FaultTarget, FaultInput>>;
  /** Keep only the latest N entries of `requests` (long-running `obs tail`); default: all. */
  maxRequests?: number;
}

export type OtlpProtocol = 'grpc' | 'http/protobuf' | 'http/json';

export interface EnvForOptions {
  traces?: OtlpProtocol;
  metrics?: OtlpProtocol;
  logs?: OtlpProtocol;
  /** Export intervals short enough for tests (default true). */
  fastExport?: boolean;
}

export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** What was awaited, for the timeout message. */
  description?: string;
}

/** Emitted as 'batch' for every accepted request (also 'spans' / 'metrics' / 'logs' with the items). */
export interface BatchEvent extends DecodedBatch {
  request: ReceivedRequest;
}

export class OtlpReceiver extends EventEmitter {
  readonly spans: ReceivedSpan[] = [];
  readonly metrics: ReceivedMetricPoint[] = [];
  readonly logs: ReceivedLog[] = [];
  /** Every export request, including refused, failed and undecodable ones. */
  readonly requests: ReceivedRequest[] = [];

  private readonly faults = new FaultBook();
  private readonly pipeline = new ExportPipeline(
    this.faults,
    (r) => this.recordRequest(r),
    (r, b) => this.store(r, b),
  );
  private http: http.Server | undefined;
  private grpc: GrpcTransport | undefined;
  private httpListener: SocketListener | undefined;
  private grpcListener: SocketListener | undefined;
  private host = '127.0.0.1';
  private maxRequests = Infinity;
  private listenerUpdate: Promise<void> = Promise.resolve();

  get grpcPort(): number {
    return this.grpcListener?.port ?? 0;
  }

  get httpPort(): number {
    return this.httpListener?.port ?? 0;
  }

  get grpcUrl(): string {
    return `http://${this.urlHost()}:${this.grpcPort}`;
  }

  get httpUrl(): string {
    return `http://${this.urlHost()}:${this.httpPort}`;
  }

  async start(options: ReceiverStartOptions = {}): Promise<this> {
    if (this.httpListener) throw new Error('OtlpReceiver already started');
    this.host = options.host ?? '127.0.0.1';
    this.maxRequests = options.maxRequests ?? Infinity;
    for (const [target, fault] of Object.entries(options.faults ?? {}) as Array<[FaultTarget, FaultInput]>) {
      if (target === 'all') this.faults.set(fault, 'all');
    }
    for (const [target, fault] of Object.entries(options.faults ?? {}) as Array<[FaultTarget, FaultInput]>) {
      if (target !== 'all') this.faults.set(fault, target);
    }
    const httpServer = createHttpTransport(this.pipeline);
    this.http = httpServer;
    this.httpListener = new SocketListener(this.host, (s) => httpServer.emit('connection', s));
    const grpcListener = new SocketListener(this.host, (s) => this.grpc?.injector.injectConnection(s));
    this.grpcListener = grpcListener;
    this.grpc = createGrpcTransport(this.pipeline, (peer) => grpcListener.destroyPeer(peer));
    await this.httpListener.open(options.httpPort ?? 0);
    await this.grpcListener.open(options.grpcPort ?? 0);
    // Started in 'refuse': ports are reserved above, then released, so URLs are known but dead.
    await this.syncListeners();
    return this;
  }

  /** Closes everything at once: listeners, open connections, hanging and delayed requests. */
  async stop(): Promise<void> {
    this.pipeline.cancelTimers();
    const listeners = [this.httpListener, this.grpcListener];
    this.httpListener = this.grpcListener = undefined;
    const closing = listeners.map((l) => l?.close());
    this.http?.closeAllConnections();
    if (this.grpc) {
      this.grpc.injector.destroy();
      this.grpc.server.forceShutdown();
    }
    await Promise.all(closing);
  }

  /**
   * Changes the fault for one signal or for all ('all' also clears per-signal overrides).
   * Resolves once the listeners reflect it (closed for an unlimited 'refuse' of everything, open otherwise).
   */
  async setFault(fault: FaultInput, target: FaultTarget = 'all'): Promise<void> {
    this.faults.set(fault, target);
    await this.syncListeners();
  }

  faultsInForce(): ReturnType<FaultBook['describe']> {
    return this.faults.describe();
  }

  /** Per signal: requests, accepted, items, inFlight, maxInFlight, faultsInjected (a copy). */
  stats(): ReceiverStats {
    return structuredClone(this.pipeline.stats);
  }

  /** Forgets everything received and resets the counters (requests still open stay in flight). */
  clear(): void {
    this.spans.length = this.metrics.length = this.logs.length = this.requests.length = 0;
    this.pipeline.resetStats();
  }

  /** Environment that points the preload (or any OTel SDK) at this receiver. */
  envFor(options: EnvForOptions = {}): Record<string, string> {
    const env: Record<string, string> = {};
    const protocols: Record<Signal, OtlpProtocol> = {
      traces: options.traces ?? 'grpc',
      metrics: options.metrics ?? 'http/protobuf',
      logs: options.logs ?? 'http/protobuf',
    };
    for (const [signal, protocol] of Object.entries(protocols) as Array<[Signal, OtlpProtocol]>) {
      const key = signal.toUpperCase();
      env[`OTEL_EXPORTER_OTLP_${key}_ENDPOINT`] = protocol === 'grpc' ? this.grpcUrl : `${this.httpUrl}/v1/${signal}`;
      env[`OTEL_EXPORTER_OTLP_${key}_PROTOCOL`] = protocol;
    }
    if (options.fastExport !== false) {
      Object.assign(env, { OTEL_METRIC_EXPORT_INTERVAL: '300', OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_BLRP_SCHEDULE_DELAY: '100' });
    }
    return env;
  }

  /**
   * Polls `predicate(receiver)` until it returns something truthy, and resolves with that. On timeout
   * rejects with a message listing what did arrive.
   */
  async waitFor<T>(predicate: (r: this) => T | undefined | null | false | 0 | '', options: WaitForOptions = {}): Promise<T> {
    const { timeoutMs = 10_000, intervalMs = 20 } = options;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = predicate(this);
      if (result) return result;
      if (Date.now() >= deadline) {
        const what = options.description ?? predicate.toString().slice(0, 200);
        throw new Error(`OtlpReceiver.waitFor timed out after ${timeoutMs} ms waiting for: ${what}\n${this.summary()}`);
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }

  /** Waits for a span by name (or predicate) and returns it. */
  waitForSpan(match: string | ((s: ReceivedSpan) => boolean), options?: WaitForOptions): Promise<ReceivedSpan> {
    const fn = typeof match === 'string' ? (s: ReceivedSpan) => s.name === match : match;
    return this.waitFor((r) => r.spans.find(fn), { description: `span ${String(match)}`, ...options });
  }

  /** Waits for a metric data point by metric name (or predicate) and returns it. */
  waitForMetric(match: string | ((p: ReceivedMetricPoint) => boolean), options?: WaitForOptions): Promise<ReceivedMetricPoint> {
    const fn = typeof match === 'string' ? (p: ReceivedMetricPoint) => p.name === match : match;
    return this.waitFor((r) => r.metrics.find(fn), { description: `metric ${String(match)}`, ...options });
  }

  /** Waits for a log record by predicate and returns it. */
  waitForLog(match: (l: ReceivedLog) => boolean, options?: WaitForOptions): Promise<ReceivedLog> {
    return this.waitFor((r) => r.logs.find(match), { description: `log ${String(match)}`, ...options });
  }

  /** A short human-readable account of what was received (names, counts, outcomes). */
  summary(): string {
    return describeReceived(this.spans, this.metrics, this.logs, this.requests);
  }

  private recordRequest(request: ReceivedRequest): void {
    this.requests.push(request);
    if (this.requests.length > this.maxRequests) this.requests.splice(0, this.requests.length - this.maxRequests);
  }

  private store(request: ReceivedRequest, batch: DecodedBatch): void {
    this.spans.push(...batch.spans);
    this.metrics.push(...batch.metrics);
    this.logs.push(...batch.logs);
    this.emit('batch', { request, ...batch } satisfies BatchEvent);
    if (batch.spans.length) this.emit('spans', batch.spans, request);
    if (batch.metrics.length) this.emit('metrics', batch.metrics, request);
    if (batch.logs.length) this.emit('logs', batch.logs, request);
  }

  /** Serialized, so quick successive setFault calls cannot interleave closes and reopens. */
  private syncListeners(): Promise<void> {
    const next = this.listenerUpdate.then(async () => {
      const listeners = [this.httpListener, this.grpcListener];
      if (this.faults.refusesEverything()) await Promise.all(listeners.map((l) => l?.close()));
      else for (const l of listeners) if (l && !l.listening) await l.open();
    });
    // A failed reopen (port taken meanwhile) rejects this call only, not every later one.
    this.listenerUpdate = next.catch(() => {});
    return next;
  }

  private urlHost(): string {
    return this.host.includes(':') ? `[${this.host}]` : this.host;
  }
}
