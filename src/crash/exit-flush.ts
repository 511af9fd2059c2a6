// The app's own process.exit() (in its SIGTERM handler, at the end of a script): nothing asynchronous
// runs after 'exit', so what the batch processors and our exporters still hold is serialized and sent
// synchronously, as the crash path does, within what is left of OBS_SHUTDOWN_TIMEOUT.
import { beginCapture, markFinalSend, takeCaptured } from './outbox.js';
import { captureUnsentExports } from '../export/guarded-exporter.js';
import { sendSync } from './sync-send.js';
import { exitBudgetMs } from '../lifecycle/shutdown.js';

/** Below this, a child process could not even start: the exit is not delayed for nothing. */
const MIN_BUDGET_MS = 100;

export interface ExitFlushOptions {
  /** The batch span and log record processors (their exporters are our guarded ones). */
  readonly processors: readonly object[];
  readonly timeoutMs: number;
}

interface BatchInternals {
  _finishedSpans?: unknown[];
  _finishedLogRecords?: unknown[];
  _exporter?: { export(items: unknown[], done: () => void): void };
}

/**
 * Hands a batch processor's buffer to its exporter now. Their forceFlush() exports a microtask later at
 * best (the log processor always awaits first), and no microtask runs after 'exit'. Relies on the
 * processors' internals (as queue-drops.ts does); without them it hands over nothing.
 */
function handOver(processor: object): void {
  const p = processor as BatchInternals;
  const field = Array.isArray(p._finishedSpans) ? '_finishedSpans' : Array.isArray(p._finishedLogRecords) ? '_finishedLogRecords' : undefined;
  if (!field || typeof p._exporter?.export !== 'function') return;
  const items = p[field]!;
  p[field] = [];
  if (items.length > 0) p._exporter.export(items, () => undefined);
}

export function installExitFlush({ processors, timeoutMs }: ExitFlushOptions): void {
  process.on('exit', () => {
    try {
      const budget = exitBudgetMs(timeoutMs);
      if (budget < MIN_BUDGET_MS || !markFinalSend()) return;
      beginCapture();
      try {
        // What our exporters are delivering or hold waiting first, then the processors' buffers (captured as handed over).
        captureUnsentExports();
        for (const p of processors) handOver(p);
      } finally {
        // Nothing captured (a clean exit after a flush): no child process is started.
        sendSync(takeCaptured(), budget);
      }
    } catch {
      // The exit itself must go exactly as it would have.
    }
  });
}
