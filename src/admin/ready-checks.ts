// Dependency checks for /readyz (OBS_READY_CHECKS=pg,redis): through the app's own pg pools and redis
// clients, a redis client's connection state first (no command is queued on a client that is not
// connected), then a cheap active check (`SELECT 1`, `PING`) bounded by OBS_READY_TIMEOUT_MS. Results
// are shared by concurrent probes and reused for a short while, so probes never add load of their own
// beyond one check per client per CACHE_MS. Trade-off (cascading failures): docs/signals.md.
import { dependencies, type DependencyKind } from '../host/app-clients.js';
import { poolNameFromConnectionString } from '../instrumentations/pg-pool-name.js';
import { otel } from '../sdk/otel.js';

const { context } = otel('@opentelemetry/api');
const { suppressTracing } = otel('@opentelemetry/core');

const CACHE_MS = 2000;

export interface DependencyReport {
  readonly ok: boolean;
  /** "pg 127.0.0.1:5432/app" → "up" | "down: <why>"; "not_seen" when the app has not used one yet. */
  readonly checks: Record<string, string>;
}

interface PgPoolLike {
  options?: { connectionString?: string; host?: string; port?: number | string; database?: string };
  query(sql: string): Promise<unknown>;
}
interface RedisLike {
  /** ioredis: 'ready' when connected. */
  status?: string;
  /** node-redis 4+: true when connected. */
  isReady?: boolean;
  options?: { host?: string; port?: number; socket?: { host?: string; port?: number; path?: string }; url?: string; path?: string };
  ping(): Promise<unknown>;
}

function pgName(pool: PgPoolLike): string {
  const o = pool.options ?? {};
  return `pg ${poolNameFromConnectionString(o) ?? `${o.host ?? 'localhost'}:${o.port ?? 5432}/${o.database ?? ''}`}`;
}

function redisName(client: RedisLike): string {
  const o = client.options ?? {};
  if (o.host !== undefined || o.port !== undefined || o.path !== undefined) return `redis ${o.path ?? `${o.host ?? 'localhost'}:${o.port ?? 6379}`}`;
  if (o.socket?.path) return `redis ${o.socket.path}`;
  if (o.socket?.host || o.socket?.port) return `redis ${o.socket.host ?? 'localhost'}:${o.socket.port ?? 6379}`;
  try {
    // Host and port only: the URL may carry a password.
    const u = new URL(o.url ?? 'redis://localhost:6379');
    return `redis ${u.hostname}:${u.port || 6379}`;
  } catch {
    return 'redis';
  }
}

function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
    p.then(() => {
      clearTimeout(timer);
      resolve();
    }, (err: unknown) => {
      clearTimeout(timer);
      reject(err instanceof Error ? err : new Error(String(err)));
    });
  });
}

/** A short reason without the driver's possibly long or sensitive text: its code, or the first line cut short. */
function why(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e?.code === 'string') return e.code;
  return String(e?.message ?? err).split('\n')[0].slice(0, 120);
}

async function check(kind: DependencyKind, client: object, timeoutMs: number): Promise<[string, string]> {
  if (kind === 'redis') {
    const c = client as RedisLike;
    const name = redisName(c);
    if (c.status !== undefined && c.status !== 'ready') return [name, `down: ${c.status}`];
    if (c.isReady === false) return [name, 'down: not connected'];
    return [name, await attempt(() => c.ping(), timeoutMs)];
  }
  const pool = client as PgPoolLike;
  return [pgName(pool), await attempt(() => pool.query('SELECT 1'), timeoutMs)];
}

async function attempt(run: () => Promise<unknown>, timeoutMs: number): Promise<string> {
  try {
    // Our checks are not the app's traffic: no spans, no query metrics.
    await withTimeout(context.with(suppressTracing(context.active()), run), timeoutMs);
    return 'up';
  } catch (err) {
    return `down: ${why(err)}`;
  }
}

export function readyChecks(kinds: readonly DependencyKind[], timeoutMs: number): () => Promise<DependencyReport> {
  let cached: { at: number; report: Promise<DependencyReport> } | undefined;
  const run = async (): Promise<DependencyReport> => {
    const checks: Record<string, string> = {};
    const pending: Promise<[string, string]>[] = [];
    for (const kind of kinds) {
      const clients = dependencies(kind);
      if (clients.length === 0) checks[kind] = 'not_seen';
      for (const c of clients) pending.push(check(kind, c, timeoutMs));
    }
    for (const [name, state] of await Promise.all(pending)) {
      // Two clients to the same server: the worse answer stands.
      if (checks[name] === undefined || checks[name] === 'up') checks[name] = state;
    }
    return { ok: Object.values(checks).every((s) => !s.startsWith('down')), checks };
  };
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > CACHE_MS) cached = { at: now, report: run() };
    return cached.report;
  };
}
