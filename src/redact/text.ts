// Free text (log bodies, exception messages and stacks, status messages, string attributes, our
// own stderr lines) scrubbed of every secret shape we recognise: URLs (credentials, query values),
// query-like `?k=v&k2=v2` runs, auth-scheme credentials, key=value pairs whose key looks like a
// secret, database and Redis error text, and secret-shaped values (src/redact/shapes.ts).
import { REDACTED, redactUrl } from './url.js';
import { DB_ERROR_HINT, redactDbErrors } from './db-errors.js';
import { SHAPE_HINT, redactShapes } from './shapes.js';

const URL_IN_TEXT = /\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s"'<>]+/g;
/** `?a=1&b=2` (or `&b=2`) anywhere, e.g. a path with a query inside JSON: values go, keys stay. */
const QUERY_PAIR = /([?&])([^=&\s"'<>#?]+)=([^&\s"'<>#]*)/g;
const AUTH_SCHEME = /\b(Bearer|Basic|Token|Digest|Negotiate|ApiKey)\s+[A-Za-z0-9._~+/=-]+/gi;
const SCHEME_WORD = /^(Bearer|Basic|Token|Digest|Negotiate|ApiKey)$/i;
/** key=value, key: value, "key": "value with spaces", 'key'='value', and JSON escaped inside a string (\"key\":\"value\"). */
const PAIR = /(\\?["']?)([A-Za-z0-9_.-]+)\1(\s*[:=]\s*)(?:(\\?["'])((?:(?!\4)[^\\]|\\.)*?)\4|([^"'\\\s,;&}]+))/g;

/** Anything the URL, query, scheme or pair passes could change contains one of these (or a secret-looking key word). */
const MAY_CHANGE = /[?&]|:\/\/|bearer|basic|digest|negotiate|apikey/i;
/** Shorter than this, a string cannot hold a shape worth a pass (`pwd=x` is the shortest pair). */
const MIN_LENGTH = 5;
/** Distinct strings remembered with their redacted form: span names, log templates and errors repeat. */
const CACHE_ENTRIES = 4096;
const CACHE_MAX_LENGTH = 256;
/**
 * Longer strings are cut before they are scrubbed, so one pathological value costs a bounded time
 * (hostile 16 KiB inputs: at most a few ms once warm; log records are scrubbed on the app's own
 * logging call).
 */
export const MAX_TEXT = 16 * 1024;

export interface TextOptions {
  /** false for identifier attributes (trace_id, host.id): hex and blob-like values are theirs. */
  readonly blobs: boolean;
}

export type TextRedactor = (s: string, options?: TextOptions) => string;

const WITH_BLOBS: TextOptions = { blobs: true };

export function textRedactor(isSecretKey: (k: string) => boolean, keepQuery: ReadonlySet<string>): TextRedactor {
  function scrub(s: string, options: TextOptions): string {
    let out = s;
    if (MAY_CHANGE.test(out) || isSecretKey(out)) {
      out = out.replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`);
      out = out.replace(URL_IN_TEXT, (u) => redactUrl(u, keepQuery));
      out = out.replace(QUERY_PAIR, (m, sep: string, key: string, value: string) =>
        (value === REDACTED || keepQuery.has(key.toLowerCase()) ? m : `${sep}${key}=${REDACTED}`));
      const pair = (m: string, q1: string, key: string, sep: string, q2: string | undefined, quoted: string | undefined, bare: string | undefined): string => {
        // A quoted value under an ordinary key can hold pairs itself (`"note":"Password=x;"`, JSON in a string).
        if (!isSecretKey(key)) return q2 && quoted && /[:=]/.test(quoted) ? `${q1}${key}${q1}${sep}${q2}${quoted.replace(PAIR, pair)}${q2}` : m;
        // "Authorization: Bearer <token>": the scheme word stays, its credential was replaced above.
        if (bare !== undefined && SCHEME_WORD.test(bare)) return m;
        return q2 ? `${q1}${key}${q1}${sep}${q2}${REDACTED}${q2}` : `${q1}${key}${q1}${sep}${REDACTED}`;
      };
      out = out.replace(PAIR, pair);
    }
    if (DB_ERROR_HINT.test(out)) out = redactDbErrors(out);
    if (SHAPE_HINT.test(out)) out = redactShapes(out, options);
    return out;
  }

  // Two caches, as identifier attributes are scrubbed without the blob rule.
  const caches = [new Map<string, string>(), new Map<string, string>()];

  return (s, options = WITH_BLOBS) => {
    if (s.length < MIN_LENGTH) return s;
    if (s.length > MAX_TEXT) return scrub(`${s.slice(0, MAX_TEXT)}… [${s.length - MAX_TEXT} characters cut by @org/obs]`, options);
    if (s.length > CACHE_MAX_LENGTH) return scrub(s, options);
    const cache = caches[options.blobs ? 0 : 1];
    const hit = cache.get(s);
    if (hit !== undefined) return hit;
    const out = scrub(s, options);
    // Cleared rather than evicted one by one: cheap, and a working set refills within one batch.
    if (cache.size >= CACHE_ENTRIES) cache.clear();
    cache.set(s, out);
    return out;
  };
}
