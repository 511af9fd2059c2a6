// Our own stderr voice: one prefixed line per event, level-filtered, repeated lines rate-limited by kind.
export type LogLevel = 'none' | 'error' | 'warn' | 'info' | 'debug' | 'verbose' | 'all';

const RANK: Record<LogLevel, number> = { none: 0, error: 1, warn: 2, info: 3, debug: 4, verbose: 5, all: 6 };
const PREFIX = '@org/obs: ';
// Lines of one kind (lineKind) are printed at most once per window so a failing collector cannot flood the app's stderr.
const REPEAT_WINDOW_MS = 60_000;

let threshold = RANK.warn;
/** Set by start() to the redactor's text rules; before that, lines are config warnings already masked. */
let scrub: (line: string) => string = (line) => line;
const lastPrinted = new Map<string, number>();

/**
 * A line's kind: its text with timestamps, durations, counts and other numbers blanked, so a failure
 * whose text carries a time or an attempt number is still one line a minute.
 */
export function lineKind(message: string): string {
  return message
    .replace(/\d{4}-\d{2}-\d{2}[T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?/g, '#')
    .replace(/\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b/g, '#')
    .replace(/\d+/g, '#');
}

export function setLogLevel(level: LogLevel): void {
  threshold = RANK[level];
}

/** Every line passes through `fn` before it is printed (src/redact/text.ts: endpoints, error texts). */
export function setLogScrubber(fn: (line: string) => string): void {
  scrub = fn;
}

export function enabled(level: LogLevel): boolean {
  return RANK[level] <= threshold && level !== 'none';
}

function write(level: LogLevel, raw: string): void {
  if (!enabled(level)) return;
  let message: string;
  try {
    message = scrub(raw);
  } catch {
    // A scrubber failure must not print the raw line instead: say only that something was withheld.
    message = 'a diagnostic line was withheld (it could not be redacted)';
  }
  const now = Date.now();
  const kind = lineKind(message);
  const last = lastPrinted.get(kind);
  if (last !== undefined && now - last < REPEAT_WINDOW_MS) return;
  if (lastPrinted.size > 500) lastPrinted.clear();
  lastPrinted.set(kind, now);
  try {
    process.stderr.write(PREFIX + message + '\n');
  } catch {
    // stderr closed: nothing sensible left to do, and we must not throw into the app.
  }
}

export const log = {
  error: (m: string) => write('error', m),
  warn: (m: string) => write('warn', m),
  info: (m: string) => write('info', m),
  debug: (m: string) => write('debug', m),
};

/** The error's message without a stack, for one-line reports. */
export function errorLine(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`.split('\n')[0];
  return String(err).split('\n')[0];
}
