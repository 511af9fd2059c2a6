// Bounded http.route for requests no framework routed: a path segment stays only when it reads as a
// known-safe literal (words, versions), anything else becomes `:id`. Of OBS_ROUTE_LIMIT slots, half
// are given at first sight (a service's first requests, `obs doctor`'s one request, get their name);
// past that a template gets a slot when it recurs, and the least recently seen gives its slot up when
// they are all taken: junk paths can neither carry a token into a label nor take the slots for good.
export const OVERFLOW_ROUTE = '_OTHER';
/** Longest template kept as a label value; a longer one is `_OTHER`. */
export const MAX_ROUTE_LENGTH = 128;
/** Sightings before a template gets a slot once the free half is taken: one-off paths (scanners, junk) then never take one. */
export const ADMIT_AFTER = 2;

const MAX_SEGMENT_LENGTH = 32;
const MAX_WORD_LENGTH = 20;
/** A word: lower case, or capitalised (`Users`); no digits, no inner capitals (`aZk`), no percent-escapes. */
const WORD = /^[A-Za-z][a-z]*$/;
const VERSION = /^v\d{1,3}$/i;
/** Five consonants in a row: random letters (`xkcdq`), not a word a route is built from. */
const CONSONANT_RUN = /[bcdfghjklmnpqrstvwxz]{5}/i;
const SEPARATOR = /[._-]/;

/** `users`, `live-events`, `index.html`, `v2`: a segment made of words and versions joined by `.`, `_`, `-`. */
export function isLiteral(segment: string): boolean {
  if (segment.length === 0 || segment.length > MAX_SEGMENT_LENGTH) return false;
  for (const part of segment.split(SEPARATOR)) {
    if (part.length === 0) continue;
    if (VERSION.test(part)) continue;
    if (part.length > MAX_WORD_LENGTH || !WORD.test(part) || CONSONANT_RUN.test(part)) return false;
  }
  return segment.split(SEPARATOR).some((p) => p.length > 0);
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
  for (let i = 0; i < parts.length; i++) if (parts[i] !== '' && !isLiteral(parts[i])) parts[i] = ':id';
  const template = parts.join('/');
  return template.length > MAX_ROUTE_LENGTH ? OVERFLOW_ROUTE : template;
}

export interface RouteLimiter {
  /** The template for `url`, or `_OTHER` while it has no slot. */
  route(url: string): string;
  /** Templates holding a slot. */
  readonly size: number;
}

/** Raw URLs remembered with their template: a hot endpoint is templated once, not per request. */
const CACHE_SIZE = 1024;
/** Raw URLs longer than this are templated every time rather than kept as cache keys. */
const MAX_CACHED_URL = 256;

export function routeLimiter(limit: number): RouteLimiter {
  /** Slot holders, least recently seen first (a Map keeps insertion order; a hit re-inserts). */
  const slots = new Map<string, true>();
  /** Templates seen but not (yet) admitted, with their sightings; oldest first, bounded. */
  const candidates = new Map<string, number>();
  const maxCandidates = Math.max(64, limit * 4);
  /** Slots given at first sight; the rest need a template to recur. */
  const freeSlots = Math.floor(limit / 2);
  const cache = new Map<string, string>();

  const template = (url: string): string => {
    if (url.length > MAX_CACHED_URL) return routeTemplate(url);
    let t = cache.get(url);
    if (t === undefined) {
      t = routeTemplate(url);
      // Unbounded id-bearing URLs would grow the cache forever: start over when it is full.
      if (cache.size >= CACHE_SIZE) cache.clear();
      cache.set(url, t);
    }
    return t;
  };

  return {
    route(url) {
      const t = template(url);
      if (t === OVERFLOW_ROUTE) return t;
      if (slots.has(t)) {
        slots.delete(t);
        slots.set(t, true);
        return t;
      }
      const seen = (candidates.get(t) ?? 0) + 1;
      if (seen < ADMIT_AFTER && slots.size >= freeSlots) {
        candidates.delete(t);
        if (candidates.size >= maxCandidates) candidates.delete(candidates.keys().next().value!);
        candidates.set(t, seen);
        return OVERFLOW_ROUTE;
      }
      candidates.delete(t);
      // The coldest template gives its slot up: nothing holds one for good that is not used.
      if (slots.size >= limit) slots.delete(slots.keys().next().value!);
      slots.set(t, true);
      return t;
    },
    get size() {
      return slots.size;
    },
  };
}
