// Wraps a real exporter: loads it on first use (gRPC/protobuf stay off the start-up path), keeps at
// most one export in flight per signal even after timeouts, and counts what it has to drop.
import type { ExportResult } from '@opentelemetry/core';
import { errorLine, log } from '../log.js';
import { capturing } from '../crash/outbox.js';
import { registerStats, type ExportStats } from './stats.js';
import { exportFailure } from './failure-message.js';
import { timed } from '../lifecycle/loop-cost.js';
import { otel } from '../sdk/otel.js';

const { ExportResultCode } = otel('@opentelemetry/core');

export interface ExporterLike<T> {
  export(items: T, resultCallback: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

export interface GuardOptions<T> {
  /** 'traces' | 'metrics' | 'logs', for messages and the drop counter. */
  readonly signal: string;
  /** A short description of the destination, for messages. */
  readonly target: string;
  readonly create: () => ExporterLike<T>;
  /** How many telemetry items a batch holds (for drop counts). */
  readonly size: (items: T) => number;
  /** Applied to every batch before it leaves the process (redaction). */
  readonly transform?: (items: T) => void;
  readonly onDrop?: (count: number, reason: string) => void;
  /** Items that may wait behind the export in flight (the processor's queue size); past it the oldest are dropped. */
  readonly maxWaitingItems: number;
  /**
   * Turns a batch into the compact form it waits and travels in (traces under our writer: its encoded
   * request, otlp-trace-writer/pack-job.ts), applying `transform` itself. The job works in slices of
   * PACK_SLICE_MS, each a task of its own (never inside the processor's call), so a cold encoder on a large
   * batch is not one long block, and a slow collector holds bytes rather than span objects; the real
   * exporter and `capture` accept both forms.
   */
  readonly pack?: (items: T) => PackJob<T>;
  /** Crash path: serializes a batch into the capture outbox instead of sending it (see capture.ts). */
  readonly capture?: (items: T) => void;
  /** Retry policy for transports that do not retry themselves (gRPC): delay in ms, or undefined for no retry. */
  readonly retryDelay?: (error: unknown, attempt: number) => number | undefined;
  /** No retry is scheduled past this long after the first attempt (default 10 s, the OTLP exporter timeout). */
  readonly retryBudgetMs?: number;
  /**
   * Our own deadline for one attempt (unref'd), for exporters created without a timer of their own
   * (gRPC: grpc-js's deadline timer would hold a finished app open). On expiry the real exporter is
   * shut down (its call cancelled) and a fresh one is created for the next batch.
   */
  readonly attemptTimeoutMs?: number;
}

/** A batch being packed: `step` works until `deadline` (performance.now() ms) and returns the packed batch once done. */
export interface PackJob<T> {
  step(deadline: number): T | undefined;
}

/** Packing work per task (the warm-up's slice too): well under the 20 ms block the contract allows. */
const PACK_SLICE_MS = 2;

interface Pending<T> {
  items: T;
  /** Its packing, when begun and not finished. */
  job?: PackJob<T>;
  callback: (result: ExportResult) => void;
  /** Transformed (redacted) and packed already. */
  ready: boolean;
  /** Packing was attempted (and failed if not ready): not tried again before its send. */
  packTried?: boolean;
}

export class GuardedExporter<T> implements ExporterLike<T> {
  private real: ExporterLike<T> | undefined;
  private failedToLoad = false;
  private inFlight = false;
  /** Batches waiting behind the one in flight (flushAll hands over several at once), bounded by item count. */
  private readonly waiting: Pending<T>[] = [];
  private waitingItems = 0;
  private shutDown = false;
  private abandoned = false;
  private abandonedUntil = 0;
  private onAbandon: () => void = () => undefined;
  private abandonedSignal = this.newAbandonedSignal();
  private drained: (() => void)[] = [];
  private retryTimer: NodeJS.Timeout | undefined;
  /** The task that packs waiting batches, when one is due. */
  private packTimer: NodeJS.Timeout | undefined;
  /** Settles the export in flight now (a pending retry, or an abandoned request). */
  private abortInFlight: ((error: Error) => void) | undefined;
  private readonly stats: ExportStats;
  /** The batch being delivered, until the collector acknowledged it (the exit path sends it again). */
  private current: T | undefined;
  /** Whether `current` went through `transform` (redaction) yet: the exit path redacts it otherwise. */
  private currentTransformed = false;
  /** `current`'s packing, while it is under way (the exit path finishes it). */
  private currentJob: PackJob<T> | undefined;

  constructor(private readonly options: GuardOptions<T>) {
    this.stats = registerStats(options.signal, options.maxWaitingItems);
    live.add(this as GuardedExporter<unknown>);
  }

  /** Builds the real exporter ahead of the first export (an idle tick after start), then sends what waited for it. */
  prepare(): void {
    if (this.shutDown || capturing()) return;
    this.exporter();
    const next = this.inFlight ? undefined : this.waiting.shift();
    if (next) {
      this.waitingItems -= this.options.size(next.items);
      this.send(next.items, next.callback, next.ready, next.job);
    }
  }

  private exporter(): ExporterLike<T> | undefined {
    if (this.real || this.failedToLoad) return this.real;
    try {
      this.real = this.options.create();
    } catch (err) {
      this.failedToLoad = true;
      log.error(`cannot create the ${this.options.signal} exporter for ${this.options.target} (${errorLine(err)}); ${this.options.signal} are not exported`);
    }
    return this.real;
  }

  private drop(items: T, reason: string): void {
    const n = this.options.size(items);
    if (n > 0) {
      this.stats.dropped[reason] = (this.stats.dropped[reason] ?? 0) + n;
      this.options.onDrop?.(n, reason);
    }
  }

  export(items: T, callback: (result: ExportResult) => void): void {
    if (capturing() && this.options.capture) {
      // The process is dying: no event loop turn is left for a network export, and one in flight must not block this.
      try {
        this.options.transform?.(items);
        this.options.capture(items);
        callback({ code: ExportResultCode.SUCCESS });
      } catch (err) {
        callback({ code: ExportResultCode.FAILED, error: err instanceof Error ? err : new Error(String(err)) });
      }
      return;
    }
    if (this.abandoned && Date.now() >= this.abandonedUntil) this.revive();
    if (this.shutDown) {
      this.drop(items, 'shutdown');
      callback({ code: ExportResultCode.FAILED, error: new Error('exporter is shut down') });
      return;
    }
    // The batch is ours from here: the processor is answered at once, so its own export-timeout timer
    // (ref'd, 30 s by default) never holds a finished app open while we deliver or retry in the background.
    const ack = callback;
    callback = () => undefined;
    ack({ code: ExportResultCode.SUCCESS });
    if (this.inFlight || !gateOpen) {
      this.waiting.push({ items, callback, ready: false });
      this.waitingItems += this.options.size(items);
      this.schedulePack();
      while (this.waitingItems > this.options.maxWaitingItems && this.waiting.length > 1) {
        const oldest = this.waiting.shift()!;
        this.waitingItems -= this.options.size(oldest.items);
        this.drop(oldest.items, 'queue_full');
        oldest.callback({ code: ExportResultCode.FAILED, error: new Error(`${this.options.signal} dropped: the exporter is busy and its queue is full`) });
      }
      this.stats.waitingItems = this.waitingItems;
      this.stats.waitingBatches = this.waiting.length;
      return;
    }
    this.send(items, callback);
  }

  /**
   * Packs the waiting batches after this task, one batch per task (see GuardOptions.pack): a queue set
   * large (OTEL_BSP_MAX_QUEUE_SIZE) must not become one long block of the app's loop.
   */
  private schedulePack(): void {
    if (!this.options.pack || this.packTimer !== undefined) return;
    this.packTimer = setTimeout(() => {
      this.packTimer = undefined;
      const pending = this.waiting.find((p) => !p.ready && !p.packTried);
      if (pending === undefined) return;
      try {
        const job = (pending.job ??= this.options.pack!(pending.items));
        const packed = timed('export', () => job.step(performance.now() + PACK_SLICE_MS));
        if (packed !== undefined) {
          pending.items = packed;
          pending.ready = true;
          pending.job = undefined;
        }
      } catch {
        // left as it came: its send transforms it again and reports the failure
        pending.packTried = true;
        pending.job = undefined;
      }
      if (this.waiting.some((p) => !p.ready && !p.packTried)) this.schedulePack();
    }, 0);
    // The exit path captures what still waits, packed or not: this task must not hold the app open.
    this.packTimer.unref();
  }

  private send(items: T, callback: (result: ExportResult) => void, ready = false, job?: PackJob<T>): void {
    const real = this.exporter();
    if (!real) {
      this.drop(items, 'no_exporter');
      callback({ code: ExportResultCode.FAILED, error: new Error('no exporter') });
      return;
    }
    this.inFlight = true;
    // Reassigned once packed: the closures below hold the packed batch, not the spans.
    let batch = items;
    this.current = batch;
    this.currentTransformed = ready;
    this.currentJob = job;
    this.stats.inFlight++;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.stats.inFlight);
    this.stats.exports++;
    const startedAt = Date.now();
    const budget = this.options.retryBudgetMs ?? 10_000;
    let attempt = 0;

    let settled = false;
    const complete = (result: ExportResult): void => {
      // Once abandoned, the real exporter's late answer is ignored.
      if (settled) return;
      settled = true;
      this.abortInFlight = undefined;
      this.inFlight = false;
      this.current = undefined;
      this.currentJob = undefined;
      this.stats.inFlight--;
      let reported = result;
      if (result.code !== ExportResultCode.SUCCESS) {
        this.stats.failures++;
        this.drop(batch, 'export_failed');
        const error = exportFailure(this.options.signal, this.options.target, result.error);
        log.warn(errorLine(error));
        reported = { code: result.code, error };
      }
      try {
        callback(reported);
        if (result.code !== ExportResultCode.SUCCESS && Date.now() < abandonOnFailureUntil) abandonExports();
      } finally {
        const next = this.waiting.shift();
        if (next) {
          this.waitingItems -= this.options.size(next.items);
          this.stats.waitingItems = this.waitingItems;
          this.stats.waitingBatches = this.waiting.length;
          this.send(next.items, next.callback, next.ready, next.job);
        } else {
          for (const resolve of this.drained.splice(0)) resolve();
        }
      }
    };

    const attemptOnce = (): void => {
      let done = false;
      let deadline: NodeJS.Timeout | undefined;
      const finish = (result: ExportResult): void => {
        if (done) return;
        done = true;
        if (deadline) clearTimeout(deadline);
        if (result.code !== ExportResultCode.SUCCESS && !this.shutDown) {
          const delay = this.options.retryDelay?.(result.error, attempt);
          if (delay !== undefined && Date.now() - startedAt + delay <= budget) {
            attempt++;
            this.stats.retries++;
            // Still one export in flight: the retry holds the slot, later batches wait (bounded) behind it.
            this.retryTimer = setTimeout(() => {
              this.retryTimer = undefined;
              attemptOnce();
            }, delay);
            this.retryTimer.unref();
            return;
          }
        }
        complete(result);
      };
      const limit = this.options.attemptTimeoutMs;
      if (limit !== undefined) {
        deadline = setTimeout(() => {
          // The real exporter has no timer of its own here: cancel its call by closing it, start afresh next time.
          if (this.real === real) this.real = undefined;
          real.shutdown().catch(() => undefined);
          finish({ code: ExportResultCode.FAILED, error: new Error(`no answer within ${limit} ms`) });
        }, limit);
        deadline.unref();
      }
      try {
        // Serialization happens here, synchronously: one batch's cost is what the app's loop pays.
        timed('export', () => real.export(batch, finish));
      } catch (err) {
        finish({ code: ExportResultCode.FAILED, error: err instanceof Error ? err : new Error(String(err)) });
      }
    };

    this.abortInFlight = (error) => complete({ code: ExportResultCode.FAILED, error });
    const begin = (): void => {
      if (settled) return;
      // Captured by the exit path meanwhile (it finished the packing and took the batch): delivered there.
      if (this.current === undefined) return complete({ code: ExportResultCode.SUCCESS });
      try {
        // Redaction, depth caps and packing are ours too: measured with the export they belong to.
        if (!ready && this.options.pack) {
          const packing = (this.currentJob ??= this.options.pack(batch));
          const packed = timed('export', () => packing.step(performance.now() + PACK_SLICE_MS));
          // The rest in a later task, after the app's due timers and I/O.
          if (packed === undefined) return void setTimeout(begin, 0);
          batch = packed;
          this.current = batch;
          this.currentJob = undefined;
        } else if (!ready) {
          // Without packing the batch keeps its form: transformed (redaction, caps) once, here.
          timed('export', () => this.options.transform?.(batch));
        }
        this.currentTransformed = true;
      } catch (err) {
        complete({ code: ExportResultCode.FAILED, error: err instanceof Error ? err : new Error(String(err)) });
        return;
      }
      attemptOnce();
    };
    // A task of its own, after the app's due timers: the caller is a batch processor's timer or a metric
    // reader that has just collected, and a collection followed by redaction and serialization in the
    // same task was one 30+ ms block of the app's loop at the first metric export (CPU profile of
    // test/safety-stalls). A timer rather than setImmediate, which runs before the loop's next timers.
    setTimeout(begin, 0);
  }

  async forceFlush(): Promise<void> {
    if (this.abandoned) return;
    // Batches are acknowledged on receipt (see export()): a flush waits until ours are delivered or failed.
    // Once abandoned, nobody should wait for them.
    if (this.inFlight) await Promise.race([new Promise<void>((resolve) => this.drained.push(resolve)), this.abandonedSignal]);
    if (this.real?.forceFlush) await Promise.race([this.real.forceFlush(), this.abandonedSignal]);
  }

  /**
   * The exit path: puts the batch still being delivered and every waiting batch into the capture
   * outbox (capture.ts), to be sent synchronously before the process ends. At-least-once: a batch
   * the collector took but had not acknowledged yet is sent again.
   */
  captureUnsent(): void {
    const capture = this.options.capture;
    if (!capture) return;
    // The batch in flight was redacted when its send began (if it did); waiting ones not packed yet are
    // redacted here, and packing under way is finished (its job redacts what it has not reached).
    const inFlight: Pending<T>[] = this.current !== undefined
      ? [{ items: this.current, callback: () => undefined, ready: this.currentTransformed, job: this.currentJob }] : [];
    const batches = [...inFlight, ...this.waiting.splice(0)];
    this.waitingItems = 0;
    this.current = undefined;
    this.currentJob = undefined;
    for (const { items, ready, job } of batches) {
      try {
        if (job) capture(job.step(Infinity)!);
        else {
          if (!ready) this.options.transform?.(items);
          capture(items);
        }
      } catch {
        // one batch that cannot be serialized must not cost the others
      }
    }
  }

  async shutdown(): Promise<void> {
    // Batches held for the warm-up (or for the gate's next tick) go out before we close.
    if (!gateOpen) onGateOpen?.();
    prepareAll();
    this.shutDown = true;
    // A retry waiting for its timer is given up: shutdown has a deadline and the timer would outlive it.
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = undefined;
      this.abortInFlight?.(new Error('retry cancelled by shutdown'));
    }
    // Batches still waiting go out before the real exporter closes; the caller's shutdown deadline bounds the wait.
    if (this.inFlight) await new Promise<void>((resolve) => this.drained.push(resolve));
    await this.real?.shutdown();
  }

  private newAbandonedSignal(): Promise<void> {
    return new Promise<void>((resolve) => (this.onAbandon = resolve));
  }

  /** Back to normal with a fresh real exporter (the old one was shut down when abandoned). */
  private revive(): void {
    this.abandonedSignal = this.newAbandonedSignal();
    this.abandoned = false;
    this.shutDown = false;
    this.real = undefined;
    this.failedToLoad = false;
    live.add(this as GuardedExporter<unknown>);
  }

  /**
   * Gives up for a while (the collector failed the shutdown flush while the app drains on its own): the
   * export in flight and every waiting batch settle now, later ones fail at once, so the processors'
   * timers and retries stop holding the app's event loop open. An app still alive after ABANDON_MS (it
   * treated the signal as something else) exports again.
   */
  abandon(): void {
    if (this.abandoned) return;
    this.abandoned = true;
    this.abandonedUntil = Date.now() + ABANDON_MS;
    this.shutDown = true;
    for (const pending of this.waiting.splice(0)) {
      this.drop(pending.items, 'shutdown');
      pending.callback({ code: ExportResultCode.FAILED, error: new Error(`${this.options.signal} dropped: export abandoned at shutdown`) });
    }
    this.waitingItems = 0;
    this.stats.waitingItems = 0;
    this.stats.waitingBatches = 0;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.abortInFlight?.(new Error('abandoned at shutdown: the collector did not answer in time'));
    this.onAbandon();
    this.real?.shutdown().catch(() => undefined);
    live.delete(this as GuardedExporter<unknown>);
  }
}

const live = new Set<GuardedExporter<unknown>>();
/** An app still running this long after abandoning (it treated SIGTERM as something else) exports again. */
const ABANDON_MS = 5 * 60_000;
let abandonOnFailureUntil = 0;

/**
 * For the next `windowMs`, the first failed export abandons them all (the app is draining after a
 * termination signal). Bounded, so an app that treats SIGTERM as something else keeps its telemetry.
 */
export function abandonExportsOnFailure(windowMs: number): void {
  abandonOnFailureUntil = Date.now() + windowMs;
}

/**
 * Closed while warm-up.ts loads the exporters' modules: batches wait (acknowledged, bounded) instead of
 * loading them synchronously in the middle of the app's traffic.
 */
let gateOpen = true;
let onGateOpen: (() => void) | undefined;

/** Batches wait until openExportGate(); `force` is what a flush calls to load what is left at once. */
export function closeExportGate(force: () => void): void {
  gateOpen = false;
  onGateOpen = force;
}

/** Exporters the gate has yet to prepare (one per tick, see openExportGate). */
let unprepared: GuardedExporter<unknown>[] = [];

function prepareNext(): void {
  const exporter = unprepared.shift();
  if (!exporter) return;
  timed('export', () => exporter.prepare());
  if (unprepared.length > 0) setImmediate(prepareNext).unref();
}

/**
 * Creates every guarded exporter's real exporter and lets waiting batches go: one exporter per tick,
 * each a timed task of its own. All of them in one go (create, redact and serialize the first batch of
 * traces, metrics and logs) was one 30+ ms block of the app's loop in a profile of test/safety-stalls.
 * `now`: all at once, for a flush that must send everything before it resolves.
 */
export function openExportGate(now = false): void {
  gateOpen = true;
  onGateOpen = undefined;
  unprepared = [...live];
  if (now) prepareAll();
  else prepareNext();
}

function prepareAll(): void {
  for (const exporter of unprepared.splice(0)) exporter.prepare();
}

/** Resolves when every guarded exporter delivered (or failed) what it accepted. */
export async function flushExports(): Promise<void> {
  // A flush (shutdown, beforeExit) cannot wait for the warm-up: what is left loads now.
  if (!gateOpen) onGateOpen?.();
  prepareAll();
  await Promise.allSettled([...live].map((e) => e.forceFlush()));
}

/** captureUnsent() on every guarded exporter of the process (the synchronous exit path). */
export function captureUnsentExports(): void {
  for (const exporter of live) exporter.captureUnsent();
}

/** abandon() on every guarded exporter of the process. */
export function abandonExports(): void {
  for (const exporter of [...live]) exporter.abandon();
}
