// Bounds of one Prometheus page whatever the traffic did to the metrics: label values cut to a fixed
// length before rendering, and the rendered page cut at a line boundary past a hard size ceiling.
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';

/** Longest label value on the page (the route limiter keeps http.route within this already). */
export const MAX_LABEL_LENGTH = 128;
/** Hard ceiling of one page; past it whole lines are dropped and one comment line says so. */
export const MAX_PAGE_BYTES = 2 * 1024 * 1024;

function cut(value: unknown): unknown {
  return typeof value === 'string' && value.length > MAX_LABEL_LENGTH ? `${value.slice(0, MAX_LABEL_LENGTH - 1)}…` : value;
}

/**
 * Cuts every long string attribute of every data point. A point's attributes object can be the SDK's
 * own (shared with later collections): a point that needs a cut gets a new one instead.
 */
export function capLabels(rm: ResourceMetrics): void {
  for (const sm of rm.scopeMetrics) {
    for (const m of sm.metrics) {
      for (const dp of m.dataPoints) {
        const attrs = dp.attributes as Record<string, unknown>;
        let copy: Record<string, unknown> | undefined;
        for (const k of Object.keys(attrs)) {
          const v = attrs[k];
          if (typeof v === 'string' && v.length > MAX_LABEL_LENGTH) (copy ??= { ...attrs })[k] = cut(v);
        }
        if (copy) (dp as { attributes: unknown }).attributes = copy;
      }
    }
  }
}

/** The page as rendered, or its first lines up to MAX_PAGE_BYTES with a closing comment. */
export function capPage(page: string): string {
  if (Buffer.byteLength(page) <= MAX_PAGE_BYTES) return page;
  // Characters ≤ bytes: cutting at MAX_PAGE_BYTES characters then at the last newline stays within the ceiling for ASCII pages.
  let end = page.lastIndexOf('\n', MAX_PAGE_BYTES - 200);
  if (end < 0) end = 0;
  return `${page.slice(0, end + 1)}# @org/obs: page cut at ${MAX_PAGE_BYTES} bytes (too many series); see docs/safety.md\n`;
}
