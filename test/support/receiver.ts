// Test-side access to the OTLP receiver: re-exports plus a start helper that cleans up after the test.
import { OtlpReceiver, type ReceiverStartOptions } from '../../src/cli/receiver/index.js';

export * from '../../src/cli/receiver/index.js';

/** The part of node:test's TestContext / SuiteContext we need, so any of them can be passed. */
interface AfterHook {
  after(fn: () => unknown): void;
}

/** Starts a receiver on ephemeral ports; with a test context, it is stopped when the test ends. */
export async function startReceiver(t?: AfterHook, options?: ReceiverStartOptions): Promise<OtlpReceiver> {
  const receiver = new OtlpReceiver();
  await receiver.start(options);
  t?.after(() => receiver.stop());
  return receiver;
}

/** Polls `predicate` until it returns something truthy; on timeout rejects with `describe()`'s text. */
export async function waitFor<T>(
  predicate: () => T | undefined | null | false | 0 | '',
  options: { timeoutMs?: number; intervalMs?: number; describe?: () => string } = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 20 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = predicate();
    if (result) return result;
    if (Date.now() >= deadline) {
      throw new Error(`waitFor timed out after ${timeoutMs} ms: ${options.describe?.() ?? predicate.toString().slice(0, 200)}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
