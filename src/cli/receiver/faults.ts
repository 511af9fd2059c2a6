// Fault injection for the receiver: what a broken collector does, per signal or for all of them.
import { SIGNALS, type Signal } from './types.js';

export type FaultKind = 'ok' | 'refuse' | 'hang' | 'status' | 'malformed';

export interface Fault {
  kind: FaultKind;
  /** Wait this long before answering (ok, status, malformed). */
  delayMs?: number;
  /** HTTP status for kind 'status' (default 503). */
  status?: number;
  /** gRPC status code for kind 'status'; default: mapped from `status` (see grpcCodeFor). */
  grpcCode?: number;
  /** Sent as Retry-After (HTTP) and as a google.rpc.RetryInfo status detail (gRPC). */
  retryAfterSeconds?: number;
  /** Error message in the status body / grpc-message. */
  message?: string;
  /** Apply to this many requests, then behave as 'ok' again. */
  times?: number;
}

export type FaultTarget = Signal | 'all';
export type FaultInput = Fault | FaultKind;

const OK: Fault = Object.freeze({ kind: 'ok' });

export function toFault(input: FaultInput): Fault {
  return typeof input === 'string' ? { kind: input } : { ...input };
}

/** HTTP status → gRPC code, following what OTLP exporters treat as retryable on each side. */
export function grpcCodeFor(httpStatus: number): number {
  const map: Record<number, number> = {
    400: 3, 401: 16, 403: 7, 404: 12, 408: 4, 409: 10, 413: 8, 429: 8, 499: 1,
    500: 13, 501: 12, 502: 14, 503: 14, 504: 4,
  };
  return map[httpStatus] ?? (httpStatus >= 500 ? 13 : 2);
}

interface Slot { fault: Fault; remaining: number }

/** The current faults: an 'all' default plus per-signal overrides, each optionally limited to N requests. */
export class FaultBook {
  private readonly slots = new Map<FaultTarget, Slot>();

  /** Setting 'all' drops the per-signal overrides, so `set('ok')` always heals everything. */
  set(input: FaultInput, target: FaultTarget = 'all'): void {
    const fault = toFault(input);
    if (target === 'all') this.slots.clear();
    this.slots.set(target, { fault, remaining: fault.times ?? Infinity });
  }

  /** The fault a request for `signal` would get now, without consuming a `times` count. */
  peek(signal: Signal): Fault {
    return this.slotFor(signal)?.fault ?? OK;
  }

  /** The fault for the next request of `signal`; counts it against `times`. */
  take(signal: Signal): Fault {
    const target: FaultTarget = this.slots.has(signal) ? signal : 'all';
    const slot = this.slots.get(target);
    if (!slot) return OK;
    slot.remaining -= 1;
    if (slot.remaining <= 0) this.slots.delete(target);
    return slot.fault;
  }

  /** True when every signal refuses with no count limit: the listeners should be closed outright. */
  refusesEverything(): boolean {
    return SIGNALS.every((s) => {
      const slot = this.slotFor(s);
      return slot?.fault.kind === 'refuse' && slot.remaining === Infinity;
    });
  }

  describe(): Record<FaultTarget, Fault | undefined> {
    return {
      all: this.slots.get('all')?.fault,
      traces: this.slots.get('traces')?.fault,
      metrics: this.slots.get('metrics')?.fault,
      logs: this.slots.get('logs')?.fault,
    };
  }

  private slotFor(signal: Signal): Slot | undefined {
    return this.slots.get(signal) ?? this.slots.get('all');
  }
}

/** Parses '500ms', '2s', '1.5s', '250' (ms) into milliseconds. */
export function parseDurationMs(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text);
  if (!m) throw new Error(`bad duration "${text}" (use e.g. 500ms, 2s)`);
  const n = Number(m[1]);
  return Math.round(m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n);
}

/**
 * Parses a fault from text, for CLIs: comma-separated tokens such as `503`, `status=429,retry-after=2`,
 * `refuse`, `hang`, `malformed`, `ok`, `delay=2s`, `times=3`. A bare delay means "ok, but slow".
 */
export function parseFault(text: string): Fault {
  const fault: Fault = { kind: 'ok' };
  for (const raw of text.split(',').map((t) => t.trim()).filter(Boolean)) {
    const [key, value = ''] = raw.split(/[=:]/, 2).map((t) => t.trim());
    if (/^\d{3}$/.test(key)) Object.assign(fault, { kind: 'status', status: Number(key) });
    else if (key === 'ok' || key === 'refuse' || key === 'hang' || key === 'malformed') fault.kind = key;
    else if (key === 'status') Object.assign(fault, { kind: 'status', status: Number(value) || 503 });
    else if (key === 'grpc-code') fault.grpcCode = Number(value);
    else if (key === 'retry-after') fault.retryAfterSeconds = parseDurationMs(value.replace(/^(\d+(\.\d+)?)$/, '$1s')) / 1000;
    else if (key === 'delay') fault.delayMs = parseDurationMs(value);
    else if (key === 'times') fault.times = Number(value);
    else if (key === 'message') fault.message = value;
    else throw new Error(`unknown fault token "${raw}"`);
  }
  return fault;
}
