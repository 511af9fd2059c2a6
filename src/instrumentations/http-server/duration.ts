// http.server.request.duration: the stable-semconv histogram instrumentation-http recorded before (same
// name, unit, description and buckets, so docs/metrics.md and the Prometheus names stay), recorded
// through one narrow call so cached metric cells (src/sdk/metric-cells/) can take its place.
import type { Attributes, Histogram, Meter } from '@opentelemetry/api';

/** instrumentation-http 0.301's explicit bucket boundaries for this metric (seconds). */
export const SERVER_DURATION_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

let histogram: Histogram | undefined;

export function setServerDurationMeter(meter: Meter): void {
  histogram = meter.createHistogram('http.server.request.duration', {
    description: 'Duration of HTTP server requests.',
    unit: 's',
    // ValueType.DOUBLE
    valueType: 1,
    advice: { explicitBucketBoundaries: [...SERVER_DURATION_BUCKETS] },
  });
}

/** `attributes` must be one of serverDurationAttributes()'s cached objects: callers never build their own. */
export function recordServerDuration(attributes: Attributes, seconds: number): void {
  histogram?.record(seconds, attributes);
}

/** Distinct attribute sets kept; past this the cache starts over (routes and statuses are bounded upstream of it). */
const CACHE_LIMIT = 4096;
const cache = new Map<string, Attributes>();

/**
 * The metric's attribute set for one request, one shared object per distinct combination: the request
 * path then allocates only the lookup key. Same keys as upstream: method, scheme, protocol version, and
 * at the response route, status and, on a 5xx, error.type.
 */
export function serverDurationAttributes(method: string, scheme: string, protocolVersion: string | undefined, route: string | undefined, status: number): Attributes {
  const key = `${method} ${scheme} ${protocolVersion ?? ''} ${status} ${route ?? ''}`;
  let attrs = cache.get(key);
  if (attrs === undefined) {
    const built: Attributes = { 'http.request.method': method, 'url.scheme': scheme };
    if (protocolVersion) built['network.protocol.version'] = protocolVersion;
    if (route !== undefined) built['http.route'] = route;
    if (status) {
      built['http.response.status_code'] = status;
      if (status >= 500 && status < 600) built['error.type'] = String(status);
    }
    attrs = built;
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, attrs);
  }
  return attrs;
}
