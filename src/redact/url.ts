// URLs made safe to export: credentials dropped, every query value replaced unless its key is on the keep-list.
export const REDACTED = 'REDACTED';

function redactQuery(query: string, keep: ReadonlySet<string>): string {
  return query
    .split('&')
    .map((part) => {
      if (part === '') return part;
      const eq = part.indexOf('=');
      const key = eq === -1 ? part : part.slice(0, eq);
      if (eq === -1) return part;
      return keep.has(safeDecode(key).toLowerCase()) ? part : `${key}=${REDACTED}`;
    })
    .join('&');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** Works on absolute URLs, paths with a query, and bare query strings (url.query has no `?`). */
export function redactUrl(value: string, keep: ReadonlySet<string>, isBareQuery = false): string {
  if (isBareQuery) return redactQuery(value, keep);
  let v = value;
  // scheme://user:pass@host → scheme://REDACTED@host (the user name can itself be a token)
  v = v.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)[^/?#@]*@/, `$1${REDACTED}@`);
  const q = v.indexOf('?');
  if (q === -1) return v;
  const hash = v.indexOf('#', q);
  const query = hash === -1 ? v.slice(q + 1) : v.slice(q + 1, hash);
  const tail = hash === -1 ? '' : v.slice(hash);
  return v.slice(0, q + 1) + redactQuery(query, keep) + tail;
}
