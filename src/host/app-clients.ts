// The app's own database and cache clients as its traffic shows them: pg pools (first connect) and
// redis/ioredis clients (first command), held weakly so a client the app drops is not kept alive.
// /readyz checks through them (src/admin/ready-checks.ts); nothing here runs unless a check asks.
export type DependencyKind = 'pg' | 'redis';

/** Enough clients for any sane app; a client made per request must not grow this list. */
const MAX_PER_KIND = 16;

const known: Record<DependencyKind, WeakRef<object>[]> = { pg: [], redis: [] };
const seen = new WeakSet<object>();

export function registerDependency(kind: DependencyKind, client: unknown): void {
  if (typeof client !== 'object' || client === null || seen.has(client)) return;
  seen.add(client);
  const list = known[kind];
  for (let i = list.length - 1; i >= 0; i--) if (list[i].deref() === undefined) list.splice(i, 1);
  if (list.length < MAX_PER_KIND) list.push(new WeakRef(client));
}

/** The live clients of a kind, oldest first. */
export function dependencies(kind: DependencyKind): object[] {
  const out: object[] = [];
  for (const ref of known[kind]) {
    const c = ref.deref();
    if (c !== undefined) out.push(c);
  }
  return out;
}
