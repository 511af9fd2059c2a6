// One bounded memo for the string functions that run per attribute or per request on values that
// recur (keys, paths, statements, URLs): a Map cleared when full rather than evicted one by one (cheap,
// and a working set refills within one batch), so a flood of distinct values costs time, never memory.

/** `compute` remembered per input for up to `max` inputs; inputs longer than `maxLength` are computed every time. */
export function boundedMemo<T>(compute: (input: string) => T, max: number, maxLength = Infinity): (input: string) => T {
  const cache = new Map<string, T>();
  return (input) => {
    let out = cache.get(input);
    if (out === undefined) {
      out = compute(input);
      if (input.length <= maxLength) {
        if (cache.size >= max) cache.clear();
        cache.set(input, out);
      }
    }
    return out;
  };
}
