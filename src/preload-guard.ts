// The guards every entry (register.ts for --import, register.cts for --require) passes before it
// starts anything: worker threads, a second copy, an unsupported Node, then the configuration.
import { isMainThread } from 'node:worker_threads';
import { readConfig, type ConfigResult } from './config/config.js';
import { supportedNode, unsupportedNodeLine } from './node-support.cjs';
import { secretKeyMatcher } from './redact/keys.js';
import { textRedactor } from './redact/text.js';

const LOADED = Symbol.for('@org/obs.register');
const PREFIX = '@org/obs: ';
let scrub: ((s: string) => string) | undefined;
/**
 * One line on stderr, never a throw: the app's stderr may be closed. Scrubbed with the default text
 * rules: a start failure quotes an error message, which can name an endpoint with its credentials.
 */
export function say(message: string): void {
  try {
    scrub ??= textRedactor(secretKeyMatcher([]), new Set());
    process.stderr.write(PREFIX + scrub(message) + '\n');
  } catch {
    // nowhere to report; stay silent rather than break the app
  }
}

/** The configuration to start with, or undefined when this process must be left alone (after at most one line). */
export function passGuards(): ConfigResult | undefined {
  const result = readConfig(process.env);
  const level = result.config.logLevel;
  if (!isMainThread) {
    // Workers inherit --import/--require; the main thread's SDK already serves the process.
    if (level === 'debug' || level === 'verbose' || level === 'all') say('worker thread: the main thread is instrumented, this one is left alone');
    return undefined;
  }
  const g = globalThis as Record<symbol, unknown>;
  if (g[LOADED]) {
    say('loaded twice (e.g. --import and NODE_OPTIONS); the second copy does nothing');
    return undefined;
  }
  Object.defineProperty(g, LOADED, { value: true });
  if (!supportedNode()) {
    say(unsupportedNodeLine());
    return undefined;
  }
  return result;
}
