// Free text (log bodies, exception messages, string attributes) scrubbed of the secret shapes we can
// recognise: URLs (credentials, query values), query-like `?k=v&k2=v2` runs, bearer/basic
// credentials, and key=value / "key": "value" pairs whose key looks like a secret.
import { REDACTED, redactUrl } from './url.js';

const URL_IN_TEXT = /\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s"'<>]+/g;
/** `?a=1&b=2` (or `&b=2`) anywhere, e.g. a path with a query inside JSON: values go, keys stay. */
const QUERY_PAIR = /([?&])([^=&\s"'<>#?]+)=([^&\s"'<>#]*)/g;
const AUTH_SCHEME = /\b(Bearer|Basic|Token|Digest|Negotiate|ApiKey)\s+[A-Za-z0-9._~+/=-]+/gi;
const SCHEME_WORD = /^(Bearer|Basic|Token|Digest|Negotiate|ApiKey)$/i;
/** key=value, key: value, "key": "value with spaces", 'key'='value'. */
const PAIR = /(["']?)([A-Za-z0-9_.-]+)\1(\s*[:=]\s*)(?:(["'])((?:(?!\4)[^\\]|\\.)*)\4|([^"'\s,;&}]+))/g;

/** Anything any pass below could change contains one of these (or a secret-looking key word). */
const MAY_CHANGE = /[?&]|:\/\/|bearer|basic|digest|negotiate|apikey/i;

export function textRedactor(isSecretKey: (k: string) => boolean, keepQuery: ReadonlySet<string>): (s: string) => string {
  return (s) => {
    // Fast path: most strings (span names, methods, routes, hosts) hold none of the shapes, and this
    // runs for every string attribute of every span, so two tests replace four regex passes.
    if (!MAY_CHANGE.test(s) && !isSecretKey(s)) return s;
    let out = s.replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`);
    out = out.replace(URL_IN_TEXT, (u) => redactUrl(u, keepQuery));
    out = out.replace(QUERY_PAIR, (m, sep: string, key: string, value: string) =>
      (value === REDACTED || keepQuery.has(key.toLowerCase()) ? m : `${sep}${key}=${REDACTED}`));
    out = out.replace(PAIR, (m, q1: string, key: string, sep: string, q2: string | undefined, _quoted: string, bare: string | undefined) => {
      // "Authorization: Bearer <token>": the scheme word stays, its credential was replaced above.
      if (!isSecretKey(key) || (bare !== undefined && SCHEME_WORD.test(bare))) return m;
      return q2 ? `${q1}${key}${q1}${sep}${q2}${REDACTED}${q2}` : `${q1}${key}${q1}${sep}${REDACTED}`;
    });
    return out;
  };
}
