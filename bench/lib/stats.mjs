// Small statistics helpers for the report: median with min and max.
export function median(values) {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return NaN;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

export function summarize(values) {
  const xs = values.filter((v) => Number.isFinite(v));
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length, values };
}
