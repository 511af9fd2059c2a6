// Flush on the way out without changing how the process exits: SIGTERM/SIGINT with no app handler
// still end the process by that signal (exit status 128+n), with one the app decides; beforeExit flushes.
import { log, errorLine } from '../log.js';

export interface ShutdownOptions {
  readonly flush: () => Promise<void>;
  readonly shutdown: () => Promise<void>;
  readonly timeoutMs: number;
  /** Gives up every export in flight or waiting (the flush missed its deadline). */
  readonly abandonExports: () => void;
  /** For the next windowMs, the first failed export abandons them all (the app is draining). */
  readonly abandonExportsOnFailure: (windowMs: number) => void;
}

const listeners: { draining: boolean } = { draining: false };
/** When the first exit flush (signal or beforeExit) began: the exit path's deadline counts from there. */
let exitStartedAt: number | undefined;

/** What is left of OBS_SHUTDOWN_TIMEOUT for the synchronous send on 'exit' (exit-flush.ts). */
export function exitBudgetMs(timeoutMs: number): number {
  return exitStartedAt === undefined ? timeoutMs : Math.max(0, exitStartedAt + timeoutMs - Date.now());
}
/** How long after a signal the app owns we treat a failed export as "the collector is gone, stop". */
const DRAIN_WINDOW_MS = 5 * 60_000;

/** True once a termination signal arrived: readiness probes answer 503 from then on. */
export function isDraining(): boolean {
  return listeners.draining;
}

/** Resolves true when work finished, false when the deadline passed; the timer holds the process open meanwhile. */
export function withDeadline(work: Promise<void>, ms: number, keepAlive: boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      log.warn(`telemetry flush did not finish within ${ms} ms; continuing without it`);
      resolve(false);
    }, ms);
    if (!keepAlive) timer.unref();
    work.then(
      () => { clearTimeout(timer); resolve(true); },
      (err: unknown) => { clearTimeout(timer); log.warn(`telemetry flush failed: ${errorLine(err)}`); resolve(true); },
    );
  });
}

export function installShutdown({ flush, shutdown, timeoutMs, abandonExports, abandonExportsOnFailure }: ShutdownOptions): void {
  let exiting = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    listeners.draining = true;
    exitStartedAt ??= Date.now();
    const appHandles = process.listenerCount(signal) > 1;
    if (appHandles) {
      // The app owns this signal: flush what we have, never exit for it. If the collector fails or cannot
      // take the flush in time, it will not take the drain's telemetry either: stop exporting, so our
      // timers, retries and requests do not keep the drained app alive.
      abandonExportsOnFailure(DRAIN_WINDOW_MS);
      void withDeadline(flush(), timeoutMs, false).then((finished) => {
        if (!finished) abandonExports();
      });
      return;
    }
    const reRaise = (): void => {
      process.removeListener('SIGTERM', onSignal);
      process.removeListener('SIGINT', onSignal);
      // Re-raise so Node's default action ends the process exactly as it would have without us.
      process.kill(process.pid, signal);
    };
    // A second signal while we flush (Ctrl-C twice) means "now": give up the flush.
    if (exiting) {
      reRaise();
      return;
    }
    exiting = true;
    void withDeadline(shutdown(), timeoutMs, true).then(reRaise);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  let lastExitFlush = 0;
  process.on('beforeExit', () => {
    // A flush schedules I/O, which brings another beforeExit; flush again only if time has passed (the app worked).
    if (exiting || Date.now() - lastExitFlush < 1000) return;
    exitStartedAt ??= Date.now();
    void withDeadline(flush(), timeoutMs, true).then((finished) => {
      lastExitFlush = Date.now();
      // The app had nothing left to do when beforeExit fired; what still holds the loop open now is our
      // exporter (a hung or refusing collector, its retry timers). Exit as Node would have, with the app's code.
      if (!finished) process.exit(process.exitCode ?? 0);
    });
  });
}
