// auth.attempts from responses on the routes listed in OBS_AUTH_ROUTES: the outcome and failure
// reason come from the status code, so HighAuthFailureRate works without a line of app code.
import { counterCells, type CounterCells } from '../sdk/metric-cells/cell-set.js';

export interface AuthRoute {
  /** Upper-case method, or undefined for any method. */
  readonly method?: string;
  /** The route as configured; `:name` matches one path segment, a trailing `*` any rest. */
  readonly route: string;
  readonly segments: readonly string[];
  readonly prefix: boolean;
}

export type AuthOutcome = 'success' | 'failure' | 'locked' | 'rate_limited';

const REASONS: Readonly<Record<number, string>> = {
  400: 'bad_request', 401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict',
  422: 'unprocessable', 423: 'locked', 429: 'rate_limited',
};

export function parseAuthRoutes(entries: readonly string[]): AuthRoute[] {
  const out: AuthRoute[] = [];
  for (const entry of entries) {
    const parts = entry.trim().split(/\s+/);
    const [method, route] = parts.length >= 2 ? [parts[0].toUpperCase(), parts[1]] : [undefined, parts[0]];
    if (!route?.startsWith('/')) continue;
    const prefix = route.endsWith('*');
    const body = prefix ? route.slice(0, -1) : route;
    out.push({ method, route, segments: body.split('/'), prefix });
  }
  return out;
}

function segmentsMatch(pattern: AuthRoute, path: string): boolean {
  const parts = path.split('/');
  const want = pattern.segments;
  if (pattern.prefix ? parts.length < want.length - 1 : parts.length !== want.length) return false;
  for (let i = 0; i < want.length; i++) {
    const w = want[i];
    if (pattern.prefix && i === want.length - 1) return w === '' || parts[i]?.startsWith(w) === true;
    if (w.startsWith(':') || w === parts[i]) continue;
    return false;
  }
  return true;
}

/** The configured route that `method` + `route` (framework route, else the raw path) falls on. */
export function matchAuthRoute(routes: readonly AuthRoute[], method: string, route: string): AuthRoute | undefined {
  const path = route.length > 1 ? route.replace(/\/+$/, '') : route;
  for (const r of routes) {
    if (r.method !== undefined && r.method !== method) continue;
    if (r.route === route || segmentsMatch(r, path)) return r;
  }
  return undefined;
}

/** undefined: not an authentication verdict (1xx, 5xx: the server failed, not the caller). */
export function authOutcome(status: number): { outcome: AuthOutcome; reason?: string } | undefined {
  if (status >= 200 && status < 400) return { outcome: 'success' };
  if (status === 423) return { outcome: 'locked', reason: 'locked' };
  if (status === 429) return { outcome: 'rate_limited', reason: 'rate_limited' };
  if (status >= 400 && status < 500) return { outcome: 'failure', reason: REASONS[status] ?? 'client_error' };
  return undefined;
}

let counter: CounterCells | undefined;

export function recordAuthAttempt(routes: readonly AuthRoute[], method: string, route: string, status: number, frameworkRoute: boolean): void {
  const match = matchAuthRoute(routes, method, route);
  if (!match) return;
  const verdict = authOutcome(status);
  if (!verdict) return;
  counter ??= counterCells({
    name: 'auth.attempts',
    description: 'Responses on the configured authentication routes, by outcome.',
    unit: '{attempt}',
  });
  // The raw path never becomes a label: a framework route, else the configured pattern.
  const labelRoute = frameworkRoute ? route : match.route;
  const { outcome, reason } = verdict;
  counter.cellFor(`${outcome}\u0000${reason ?? ''}\u0000${labelRoute}\u0000${method}`, () => ({
    'auth.outcome': outcome,
    ...(reason ? { 'auth.failure.reason': reason } : {}),
    'http.route': labelRoute,
    'http.request.method': method,
  })).add(1);
}
