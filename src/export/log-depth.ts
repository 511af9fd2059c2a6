// One very deep log record (a generated structure in a log body or attribute) must neither throw into
// the app (the SDK validates attributes recursively on emit) nor cost its whole batch (the OTLP encoders
// recurse once per level and overflow the stack). Values nested deeper than MAX_LOG_DEPTH are replaced
// by a marker, in a copy: the app's objects are untouched.
import type { LoggerProvider, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { LogRecord } from '@opentelemetry/api-logs';
import { errorLine, log } from '../log.js';
import { needsNormalizing, normalized } from './log-values.js';

/**
 * Each level of a nested value is three protobuf messages (AnyValue, KeyValueList, KeyValue) and a
 * decoder allows 100 (protoc's default recursion limit, also protobufjs's): 24 levels stay decodable
 * with the request's envelope around them.
 */
export const MAX_LOG_DEPTH = 24;
export const DEPTH_MARKER = `[@org/obs: nested deeper than ${MAX_LOG_DEPTH} levels]`;

/** True when `v` has containers nested more than `left` levels deep. */
function tooDeep(v: unknown, left: number): boolean {
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return false;
  if (left <= 0) return true;
  for (const x of Array.isArray(v) ? v : Object.values(v)) if (tooDeep(x, left - 1)) return true;
  return false;
}

function capped(v: unknown, left: number): unknown {
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return v;
  if (left <= 0) return DEPTH_MARKER;
  if (Array.isArray(v)) return v.map((x) => capped(x, left - 1));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = capped(x, left - 1);
  return out;
}

/**
 * Replaces, in the batch, each record whose body or attributes nest too deep by a view of it with
 * those values capped. Emitted records are read-only, so the view is a new object over the record.
 */
export function capLogDepth(records: ReadableLogRecord[]): void {
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const deepBody = tooDeep(r.body, MAX_LOG_DEPTH);
    const deepAttrs = tooDeep(r.attributes, MAX_LOG_DEPTH + 1);
    if (!deepBody && !deepAttrs) continue;
    const view = Object.create(r) as Record<string, unknown>;
    if (deepBody) Object.defineProperty(view, 'body', { value: capped(r.body, MAX_LOG_DEPTH), enumerable: true });
    if (deepAttrs) Object.defineProperty(view, 'attributes', { value: capped(r.attributes, MAX_LOG_DEPTH + 1), enumerable: true });
    records[i] = view as unknown as ReadableLogRecord;
  }
}

/**
 * Every logger of `provider` makes what it is handed representable (log-values.ts) and caps its depth
 * before the SDK sees it, and an emit never throws into the app (a record that cannot be recorded costs
 * one debug line). The check is one walk that allocates nothing; only a record that needs it is copied.
 */
export function guardLogEmit(provider: LoggerProvider): void {
  const getLogger = provider.getLogger.bind(provider);
  provider.getLogger = (...args: Parameters<LoggerProvider['getLogger']>) => {
    const logger = getLogger(...args);
    const emit = logger.emit.bind(logger);
    logger.emit = (record: LogRecord) => {
      try {
        const fixBody = needsNormalizing(record.body, MAX_LOG_DEPTH);
        const fixAttrs = needsNormalizing(record.attributes, MAX_LOG_DEPTH + 1);
        if (fixBody || fixAttrs) {
          record = {
            ...record,
            ...(fixBody ? { body: normalized(record.body, MAX_LOG_DEPTH, DEPTH_MARKER) as LogRecord['body'] } : {}),
            ...(fixAttrs ? { attributes: normalized(record.attributes, MAX_LOG_DEPTH + 1, DEPTH_MARKER) as LogRecord['attributes'] } : {}),
          };
        }
        emit(record);
      } catch (err) {
        log.debug(`a log record could not be recorded (${errorLine(err)})`);
      }
    };
    return logger;
  };
}
