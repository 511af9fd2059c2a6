// http.server.request.duration: the stable-semconv histogram instrumentation-http recorded before (same
// name, unit, description and buckets, so docs/metrics.md and the Prometheus names stay), recorded into
// cached metric cells (src/sdk/metric-cells/server-duration.ts) with one shared attributes object per
// label set: no attribute hashing per request.
import type { Attributes } from '@opentelemetry/api';

export { recordServerDuration } from '../../sdk/metric-cells/server-duration.js';

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
