// URLs made safe to export: credentials dropped, every query value replaced unless its key is on the
// keep-list; fragments are treated like queries (OAuth implicit flow puts access_token there).
export const REDACTED = 'REDACTED';

function redactPairs(query: string, keep: ReadonlySet<string>): string {
  return query
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq === -1) return part;
      const key = part.slice(0, eq);
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

/**
 * Works on absolute URLs, paths with a query, and bare query strings (url.query has no `?`).
 * `path`: masks the path's segments that are not known-safe literals (path-segments.ts).
 */
export function redactUrl(value: string, keep: ReadonlySet<string>, isBareQuery = false, path?: (p: string) => string): string {
  if (isBareQuery) return redactPairs(value, keep);
  if (path) return redactUrl(withPath(value, path), keep);
  // scheme://user:pass@host and //user:pass@host → REDACTED@host (the user name can itself be a token)
  let v = value.replace(/^((?:[a-zA-Z][a-zA-Z0-9+.-]*:)?\/\/)[^/?#@]*@/, `$1${REDACTED}@`);
  const hash = v.indexOf('#');
  let fragment = '';
  if (hash !== -1) {
    // A fragment with key=value pairs is redacted like a query; a plain anchor (#section) stays.
    const f = v.slice(hash + 1);
    fragment = '#' + (f.includes('=') ? redactPairs(f, keep) : f);
    v = v.slice(0, hash);
  }
  const q = v.indexOf('?');
  if (q === -1) return v + fragment;
  return v.slice(0, q + 1) + redactPairs(v.slice(q + 1), keep) + fragment;
}

/** The URL with its path (after scheme://authority, before ? and #) passed through `redact`. */
function withPath(value: string, redact: (p: string) => string): string {
  const authority = /^(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?\/\/[^/?#]*/.exec(value);
  const from = authority ? authority[0].length : 0;
  let to = value.length;
  for (const c of ['?', '#']) {
    const i = value.indexOf(c, from);
    if (i !== -1 && i < to) to = i;
  }
  if (to === from || value[from] !== '/') return value;
  return value.slice(0, from) + redact(value.slice(from, to)) + value.slice(to);
}
