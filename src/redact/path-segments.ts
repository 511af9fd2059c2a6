// Which URL path segments are known-safe literals (real words, versions), shared by the fallback route
// templates (anything else becomes `:id`) and the URL attributes (anything else is REDACTED): a token made
// only of letters (`/reset/qazwsxed`) or a short one (`/k/x7Kq2`) leaves the process in neither.
import { isRouteWord } from './route-words.js';
import { REDACTED } from './url.js';

const MAX_SEGMENT_LENGTH = 32;
/** `persistentvolumeclaims` (22); longer letter runs are ids or prose. */
const MAX_WORD_LENGTH = 24;
/** Letters, lower case or capitalised (`Users`); no digits, no inner capitals (`aZk`), no percent-escapes. */
const WORD = /^[A-Za-z][a-z]*$/;
/** `v2`, and Kubernetes' `v1beta1` / `v2alpha3`. */
const VERSION = /^v\d{1,3}(?:(?:alpha|beta)\d{1,3})?$/i;
const SEPARATOR = /[._-]/;

/**
 * `users`, `live-events`, `index.html`, `v2`: a segment of real words (a dictionary or route-vocabulary
 * word, its plural, or 2-3 of them written together: src/redact/route-words.ts) and versions,
 * joined by `.`, `_`, `-`. A letters-only token (`qazwsxed`) is not a word, so it is not kept.
 */
export function isLiteral(segment: string): boolean {
  if (segment.length === 0 || segment.length > MAX_SEGMENT_LENGTH) return false;
  let parts = 0;
  for (const part of segment.split(SEPARATOR)) {
    if (part.length === 0) continue;
    parts++;
    if (VERSION.test(part)) continue;
    // Two or three letters (`cb`, `sdk`, `en`) hold at most 14 bits: too little to be a secret, and
    // dictionaries lack most abbreviations a path is built from.
    if (part.length <= 3 && WORD.test(part)) continue;
    if (part.length > MAX_WORD_LENGTH || !WORD.test(part) || !isRouteWord(part)) return false;
  }
  return parts > 0;
}

/** Ids made of digits only stay in URL paths (`/orders/1234`); a longer run is a card, phone or account number's length. */
const NUMBER = /^\d{1,12}$/;

/**
 * `/users/42/reset/qazwsxed` → `/users/42/reset/REDACTED`: each segment that is neither a literal (see
 * isLiteral) nor a short number is masked. Empty segments and the leading `/` stay; the caller keeps the
 * query and fragment out (they have their own rules, url.ts).
 */
export function redactPath(path: string): string {
  let out = '';
  let start = 0;
  while (start <= path.length) {
    let end = path.indexOf('/', start);
    if (end === -1) end = path.length;
    const segment = path.slice(start, end);
    out += segment === '' || NUMBER.test(segment) || isLiteral(segment) ? segment : REDACTED;
    if (end < path.length) out += '/';
    start = end + 1;
  }
  return out;
}
