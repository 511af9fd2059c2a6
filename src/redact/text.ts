// Free text (log bodies, exception messages) scrubbed of the secret shapes we can recognise:
// key=value and "key": "value" pairs with a secret-looking key, bearer/basic credentials, URL queries.
import { REDACTED, redactUrl } from './url.js';

const URL_IN_TEXT = /\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s"'<>]+|(?<=\s|^)\/[^\s"'<>?]*\?[^\s"'<>]+/g;
const AUTH_SCHEME = /\b(Bearer|Basic|Token|Digest)\s+[A-Za-z0-9._~+/=-]+/gi;

export function textRedactor(isSecretKey: (k: string) => boolean, keepQuery: ReadonlySet<string>): (s: string) => string {
  const pair = /(["']?)([A-Za-z0-9_.-]+)\1(\s*[:=]\s*)(["']?)([^"'\s,;&}]+)\4/g;
  return (s) => {
    let out = s.replace(AUTH_SCHEME, (_m, scheme: string) => `${scheme} ${REDACTED}`);
    out = out.replace(URL_IN_TEXT, (u) => redactUrl(u, keepQuery));
    out = out.replace(pair, (m, q1: string, key: string, sep: string, q2: string) =>
      (isSecretKey(key) ? `${q1}${key}${q1}${sep}${q2}${REDACTED}${q2}` : m));
    return out;
  };
}
