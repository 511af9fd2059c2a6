// cache.lookups from redis replies (node-redis and ioredis responseHook): hits and misses of read
// commands, per key for multi-key reads, so the cache hit rate needs no app code.
import type { Attributes, Counter } from '@opentelemetry/api';
import { ownMeter } from '../sdk/own-meter.js';

type Verdicts = [hits: number, misses: number];

function isEmpty(reply: unknown): boolean {
  if (reply === null || reply === undefined) return true;
  if (Array.isArray(reply)) return reply.length === 0;
  if (reply instanceof Map) return reply.size === 0;
  if (typeof reply === 'object' && !Buffer.isBuffer(reply)) return Object.keys(reply).length === 0;
  return false;
}

function perEntry(reply: unknown): Verdicts | undefined {
  if (!Array.isArray(reply)) return undefined;
  let hits = 0;
  for (const v of reply) if (v !== null && v !== undefined) hits++;
  return [hits, reply.length - hits];
}

function truthy(reply: unknown): Verdicts | undefined {
  if (reply === 1 || reply === true || reply === '1') return [1, 0];
  if (reply === 0 || reply === false || reply === '0') return [0, 1];
  return undefined;
}

function flags(reply: unknown): Verdicts | undefined {
  if (!Array.isArray(reply)) return undefined;
  let hits = 0;
  for (const v of reply) if (v === 1 || v === true) hits++;
  return [hits, reply.length - hits];
}

function existsCount(reply: unknown, keys: number): Verdicts | undefined {
  const n = typeof reply === 'number' ? reply : typeof reply === 'string' ? Number(reply) : NaN;
  if (!Number.isInteger(n) || keys <= 0) return undefined;
  const hits = Math.min(n, keys);
  return [hits, keys - hits];
}

const single = (reply: unknown): Verdicts => (isEmpty(reply) ? [0, 1] : [1, 0]);

/** The read commands we count, and how a reply turns into hits and misses. Documented in docs/signals.md. */
const READS: Readonly<Record<string, (reply: unknown, args: readonly unknown[]) => Verdicts | undefined>> = {
  GET: single, GETEX: single, GETDEL: single, HGET: single, HGETALL: single,
  LINDEX: single, ZSCORE: single, 'JSON.GET': single,
  MGET: perEntry, HMGET: perEntry, 'JSON.MGET': perEntry,
  EXISTS: (reply, args) => existsCount(reply, args.length),
  HEXISTS: truthy, SISMEMBER: truthy,
  SMISMEMBER: flags,
};

export const CACHE_READ_COMMANDS: readonly string[] = Object.keys(READS);

/** Hits and misses in one reply, or undefined when the command is not a counted read. */
export function classifyReply(command: string, args: readonly unknown[], reply: unknown): Verdicts | undefined {
  const f = READS[command.toUpperCase()];
  return f ? f(reply, args) : undefined;
}

let counter: Counter | undefined;

function add(n: number, attrs: Attributes): void {
  if (n <= 0) return;
  counter ??= ownMeter().createCounter('cache.lookups', {
    description: 'Read commands answered by the cache (per key for multi-key reads), by hit or miss.',
    unit: '{lookup}',
  });
  counter.add(n, attrs);
}

/** A responseHook body for instrumentation-redis and instrumentation-ioredis. */
export function countCacheReply(command: string, args: readonly unknown[], reply: unknown): void {
  const v = classifyReply(command, args, reply);
  if (!v) return;
  const op = command.toUpperCase();
  add(v[0], { 'cache.result': 'hit', 'db.system.name': 'redis', 'db.operation.name': op });
  add(v[1], { 'cache.result': 'miss', 'db.system.name': 'redis', 'db.operation.name': op });
}
