// Bounded http.route for requests no framework routed: a path segment stays only when it is a
// known-safe literal (real words, versions), anything else becomes `:id`. Of OBS_ROUTE_LIMIT slots, half
// are given at first sight (a service's first requests, `obs doctor`'s one request, get their name);
// past that a template gets a slot when it recurs, and the least recently seen gives its slot up when
// they are all taken: junk paths can neither carry a token into a label nor take the slots for good.
import { isLiteral } from '../redact/path-segments.js';
import { boundedMemo } from '../redact/bounded-memo.js';

export const OVERFLOW_ROUTE = '_OTHER';
/** Longest template kept as a label value; a longer one is `_OTHER`. */
export const MAX_ROUTE_LENGTH = 128;
/** Sightings before a template gets a slot once the free half is taken: one-off paths (scanners, junk) then never take one. */
export const ADMIT_AFTER = 2;

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
  // Counted as it is built, so a hostile path of thousands of segments stops being judged once the
  // template is too long (a word-made segment can cost a few µs: src/redact/route-words.ts).
  let length = parts.length - 1;
  if (length > MAX_ROUTE_LENGTH) return OVERFLOW_ROUTE;
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] !== '' && !isLiteral(parts[i])) parts[i] = ':id';
    length += parts[i].length;
    if (length > MAX_ROUTE_LENGTH) return OVERFLOW_ROUTE;
  }
  return parts.join('/');
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
  /**
   * Slot holders, least recently seen first (a Map keeps insertion order; a hit re-inserts), each with
   * the insertion count when it was last put at the recent end. A hit moves it only once `refresh`
   * insertions came after it: a hot route then costs one lookup per request, not a delete and an insert.
   * Until it moves, at least three quarters of the slots sit before it, so a route hit once in every
   * half-limit of insertions is never the one evicted; under 8 slots the order is exact LRU.
   */
  const slots = new Map<string, number>();
  let inserted = 0;
  const refresh = Math.max(1, Math.floor(limit / 4));
  /** Templates seen but not (yet) admitted, with their sightings; oldest first, bounded. */
  const candidates = new Map<string, number>();
  const maxCandidates = Math.max(64, limit * 4);
  /** Slots given at first sight; the rest need a template to recur. */
  const freeSlots = Math.floor(limit / 2);
  // Unbounded id-bearing URLs would grow the cache forever: it starts over when it is full.
  const template = boundedMemo(routeTemplate, CACHE_SIZE, MAX_CACHED_URL);

  return {
    route(url) {
      const t = template(url);
      if (t === OVERFLOW_ROUTE) return t;
      const placed = slots.get(t);
      if (placed !== undefined) {
        if (inserted - placed >= refresh) {
          slots.delete(t);
          slots.set(t, ++inserted);
        }
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
      slots.set(t, ++inserted);
      return t;
    },
    get size() {
      return slots.size;
    },
  };
}
