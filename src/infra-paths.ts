// Health-check and metrics paths (OBS_IGNORE_PATHS): no spans, no request metrics. A pattern is an
// exact path, or a prefix when it ends in `*`; the query string is ignored.
export type PathMatcher = (url: string | undefined) => boolean;

export function pathMatcher(patterns: readonly string[]): PathMatcher {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const p of patterns) {
    if (p.endsWith('*')) prefixes.push(p.slice(0, -1));
    else exact.add(p);
  }
  return (url) => {
    if (!url) return false;
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (exact.has(path)) return true;
    for (const prefix of prefixes) if (path.startsWith(prefix)) return true;
    return false;
  };
}
