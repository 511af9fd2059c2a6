// Sends captured OTLP requests while the process is dying: the event loop will not run again, so a
// short-lived child process does the network I/O and we wait for it, never longer than the deadline.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { CapturedRequest } from './outbox.js';

const CHILD = fileURLToPath(new URL('./sync-send-child.js', import.meta.url));

/** True when the child reported every request delivered; false on timeout or any failure. */
export function sendSync(requests: readonly CapturedRequest[], timeoutMs: number): boolean {
  if (requests.length === 0) return true;
  const env = { ...process.env };
  // The child must not load the preload again (NODE_OPTIONS may carry --import @org/obs/register).
  delete env.NODE_OPTIONS;
  try {
    // Required here, not at load: nothing needs node:child_process before a crash (with node:cluster made
    // lazy too, under 1 M instructions of a start, callgrind: small, but for nothing).
    const { spawnSync } = createRequire(import.meta.url)('node:child_process') as typeof import('node:child_process');
    const result = spawnSync(process.execPath, [CHILD, String(timeoutMs)], {
      input: JSON.stringify(requests),
      env,
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    return result.status === 0;
  } catch {
    return false;
  }
}
