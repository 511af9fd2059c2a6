// http.server.request.duration: the stable-semconv histogram instrumentation-http recorded before (same
// name, unit, description and buckets, so docs/metrics.md and the Prometheus names stay), recorded into
// cached metric cells (src/sdk/metric-cells/server-duration.ts) with one shared attributes object per
// label set: no attribute hashing per request.
import type { Attributes } from '@opentelemetry/api';

export { recordServerDuration } from '../../sdk/metric-cells/server-duration.js';

/** Distinct attribute sets kept; past this the cache starts over (routes and statuses are bounded upstream of it). */
const CACHE_LIMIT = 4096;
/** Route → status → the sets for that pair (one per method, scheme and protocol seen: usually one). */
let byRoute = new Map<string, Map<number, Attributes[]>>();
let cached = 0;

/**
 * The metric's attribute set for one request, one shared object per distinct combination: the request
 * path allocates nothing. Same keys as upstream: method, scheme, protocol version, and at the response
 * route, status and, on a 5xx, error.type. Looked up by route, then status, then the three others
 * compared on the set itself: a key string of all five was built and hashed per request before (83 ms
 * of 7680 busy in `npm run bench -- --cpu-prof obs --endpoint /hello`), while the route is the
 * limiter's own string, hashed once.
 */
export function serverDurationAttributes(method: string, scheme: string, protocolVersion: string | undefined, route: string, status: number): Attributes {
  const protocol = protocolVersion || undefined;
  const byStatus = byRoute.get(route);
  const sets = byStatus?.get(status);
  if (sets !== undefined) {
    for (const attrs of sets) {
      if (attrs['http.request.method'] === method && attrs['url.scheme'] === scheme && attrs['network.protocol.version'] === protocol) return attrs;
    }
  }
  const built: Attributes = { 'http.request.method': method, 'url.scheme': scheme };
  if (protocol) built['network.protocol.version'] = protocol;
  built['http.route'] = route;
  if (status) {
    built['http.response.status_code'] = status;
    if (status >= 500 && status < 600) built['error.type'] = String(status);
  }
  if (cached >= CACHE_LIMIT) {
    byRoute = new Map();
    cached = 0;
  }
  let statuses = byRoute.get(route);
  if (statuses === undefined) byRoute.set(route, (statuses = new Map()));
  let list = statuses.get(status);
  if (list === undefined) statuses.set(status, (list = []));
  list.push(built);
  cached++;
  return built;
}
