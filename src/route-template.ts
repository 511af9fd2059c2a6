// Bounded http.route for requests no framework routed: id-like path segments become `:id`, and past
// OBS_ROUTE_LIMIT distinct templates every new one is `_OTHER`, so metrics never carry raw paths.
export const OVERFLOW_ROUTE = '_OTHER';

const NUMERIC = /^[+-]?\d+([.,_-]\d+)*$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const HEX = /^(0x)?[0-9a-f]{8,}$/i;
const TOKENISH = /^[A-Za-z0-9_~.+=%-]{16,}$/;

function isIdLike(segment: string): boolean {
  if (segment.length === 0) return false;
  if (NUMERIC.test(segment) || UUID.test(segment)) return true;
  if (HEX.test(segment) && /\d/.test(segment)) return true;
  // Emails, long tokens, base64/JWT-ish segments: anything long with a digit in it, or very long.
  if (segment.includes('@')) return true;
  if (TOKENISH.test(segment) && /\d/.test(segment)) return true;
  return segment.length > 40;
}

/** `/users/42/orders/9f1c...` → `/users/:id/orders/:id`; the query string is dropped. */
export function routeTemplate(url: string): string {
  let path = url;
  const q = path.search(/[?#]/);
  if (q !== -1) path = path.slice(0, q);
  if (!path.startsWith('/')) {
    // absolute-form request targets (proxies): keep only the path
    try {
      path = new URL(path).pathname;
    } catch {
      return OVERFLOW_ROUTE;
    }
  }
  const parts = path.split('/');
  for (let i = 0; i < parts.length; i++) if (isIdLike(parts[i])) parts[i] = ':id';
  return parts.join('/');
}

export interface RouteLimiter {
  /** The template for `url`, or `_OTHER` once the cap of distinct templates is reached. */
  route(url: string): string;
  readonly size: number;
}

/** Raw URLs remembered with their template: a hot endpoint is templated once, not per request. */
const CACHE_SIZE = 1024;

export function routeLimiter(limit: number): RouteLimiter {
  const seen = new Set<string>();
  const cache = new Map<string, string>();
  return {
    route(url) {
      let t = cache.get(url);
      if (t === undefined) {
        t = routeTemplate(url);
        // Unbounded id-bearing URLs would grow the cache forever: start over when it is full.
        if (cache.size >= CACHE_SIZE) cache.clear();
        cache.set(url, t);
      }
      if (seen.has(t)) return t;
      if (seen.size >= limit) return OVERFLOW_ROUTE;
      seen.add(t);
      return t;
    },
    get size() {
      return seen.size;
    },
  };
}
