// cache.lookups from redis replies (node-redis and ioredis responseHook): hits and misses of read
// commands, per key for multi-key reads, so the cache hit rate needs no app code.
import type { CounterCell } from '../sdk/metric-cells/cells.js';
import { counterCells, type CounterCells } from '../sdk/metric-cells/cell-set.js';

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

let counter: CounterCells | undefined;
/** Per counted command (a fixed list): its hit and miss cells. */
const cellsByCommand = new Map<string, [hit: CounterCell, miss: CounterCell]>();

function cellsOf(op: string): [hit: CounterCell, miss: CounterCell] {
  let pair = cellsByCommand.get(op);
  if (!pair) {
    counter ??= counterCells({
      name: 'cache.lookups',
      description: 'Read commands answered by the cache (per key for multi-key reads), by hit or miss.',
      unit: '{lookup}',
    });
    pair = [
      counter.cell({ 'cache.result': 'hit', 'db.system.name': 'redis', 'db.operation.name': op }),
      counter.cell({ 'cache.result': 'miss', 'db.system.name': 'redis', 'db.operation.name': op }),
    ];
    cellsByCommand.set(op, pair);
  }
  return pair;
}

/** A responseHook body for instrumentation-redis and instrumentation-ioredis. */
export function countCacheReply(command: string, args: readonly unknown[], reply: unknown): void {
  const v = classifyReply(command, args, reply);
  if (!v) return;
  const [hit, miss] = cellsOf(command.toUpperCase());
  // A zero is not recorded (as before): a reply with no miss adds no miss series.
  if (v[0] > 0) hit.add(v[0]);
  if (v[1] > 0) miss.add(v[1]);
}
