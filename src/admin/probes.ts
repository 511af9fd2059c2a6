// Health probes with zero code: /startupz (the app's server is listening), /livez (the event loop
// answers within OBS_LIVENESS_MAX_LAG_MS) and /readyz (started and not draining after SIGTERM/SIGINT, and
// the dependencies named in OBS_READY_CHECKS answering, see src/admin/ready-checks.ts).
// Answered on the Prometheus port and/or OBS_HEALTH_PORT; JSON bodies say why.
import dc from 'node:diagnostics_channel';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { errorLine, log } from '../log.js';
import { isOwnServerRequest, markOwnServer } from './server-marks.js';
import { isDraining } from '../lifecycle/shutdown.js';
import { workerPort } from './prometheus/cluster-port.js';
import type { DependencyReport } from './ready-checks.js';

const TICK_MS = 100;
const PEAK_WINDOW_MS = 1000;
// Node 20.20+/22+ publish every completed listen() here; on older Nodes the first request is our proof.
const LISTEN_CHANNEL = 'tracing:net.server.listen:asyncEnd';
const REQUEST_CHANNEL = 'http.server.request.start';

export interface Probes {
  /** An extra route for the Prometheus endpoint: answers probe paths, returns false for anything else. */
  route(req: IncomingMessage, res: ServerResponse): boolean;
  close(): void;
}

interface Verdict {
  readonly ok: boolean;
  readonly body: Record<string, unknown>;
}

/** Our own servers (metrics, probes) do not make the app "started"; server-marks.ts knows them by socket. */
function isOwn(server: unknown): boolean {
  return isOwnServerRequest({ socket: { server } } as unknown as IncomingMessage);
}

export function startProbes(opts: { maxLagMs: number; port?: number; host: string; dependencies?: () => Promise<DependencyReport> }): Probes {
  let startedAt: Date | undefined;
  const onListen = (message: unknown): void => {
    const server = (message as { server?: unknown } | undefined)?.server;
    if (startedAt || server === undefined || isOwn(server)) return;
    startedAt = new Date();
  };
  const onRequest = (message: unknown): void => {
    const server = (message as { server?: unknown } | undefined)?.server;
    if (!startedAt && server !== undefined && !isOwn(server)) startedAt = new Date();
  };
  dc.subscribe(LISTEN_CHANNEL, onListen);
  dc.subscribe(REQUEST_CHANNEL, onRequest);

  // Event-loop lag: how late the next tick already is, or the worst lateness seen in the last second (a
  // probe answered right after a long block must still see it, whichever phase the loop resumes in).
  let lastTick = performance.now();
  let peakLag = 0;
  let peakAt = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    const lag = Math.max(0, now - lastTick - TICK_MS);
    if (lag >= peakLag || now - peakAt > PEAK_WINDOW_MS) {
      peakLag = lag;
      peakAt = now;
    }
    lastTick = now;
  }, TICK_MS);
  ticker.unref();
  const lagMs = (): number => {
    const now = performance.now();
    const recent = now - peakAt <= PEAK_WINDOW_MS ? peakLag : 0;
    return Math.round(Math.max(recent, now - lastTick - TICK_MS));
  };

  const started = (): Verdict => startedAt
    ? { ok: true, body: { status: 'started', since: startedAt.toISOString() } }
    : { ok: false, body: { status: 'starting', reason: 'no server of the app is listening yet' } };
  const live = (): Verdict => {
    const lag = lagMs();
    return lag <= opts.maxLagMs
      ? { ok: true, body: { status: 'live', event_loop_lag_ms: lag } }
      : { ok: false, body: { status: 'not_live', reason: `event loop lag ${lag} ms exceeds ${opts.maxLagMs} ms (OBS_LIVENESS_MAX_LAG_MS)`, event_loop_lag_ms: lag } };
  };
  const ready = (): Verdict => {
    if (isDraining()) return { ok: false, body: { status: 'not_ready', reason: 'draining: a termination signal arrived' } };
    if (!startedAt) return { ok: false, body: { status: 'not_ready', reason: 'no server of the app is listening yet' } };
    return { ok: true, body: { status: 'ready' } };
  };
  // Dependencies are asked only once the process itself is ready; their states go in the body either way.
  const readyWithDependencies = async (): Promise<Verdict> => {
    const own = ready();
    if (!own.ok || !opts.dependencies) return own;
    const deps = await opts.dependencies();
    if (deps.ok) return { ok: true, body: { status: 'ready', checks: deps.checks } };
    const failing = Object.entries(deps.checks).filter(([, s]) => s.startsWith('down')).map(([name]) => name);
    return { ok: false, body: { status: 'not_ready', reason: `dependency down: ${failing.join(', ')}`, checks: deps.checks } };
  };
  const paths: Readonly<Record<string, () => Verdict | Promise<Verdict>>> = { '/startupz': started, '/livez': live, '/readyz': readyWithDependencies };

  const route = (req: IncomingMessage, res: ServerResponse): boolean => {
    const check = paths[(req.url ?? '/').split('?')[0]];
    if (!check) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return true;
    }
    const answer = ({ ok, body }: Verdict): void => {
      res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body) + '\n');
    };
    const verdict = check();
    if (verdict instanceof Promise) {
      verdict.then(answer, (err: unknown) => answer({ ok: false, body: { status: 'not_ready', reason: `readiness check failed: ${errorLine(err)}` } }));
    } else {
      answer(verdict);
    }
    return true;
  };

  let server: Server | undefined;
  if (opts.port !== undefined) {
    const s = createServer((req, res) => {
      if (!route(req, res)) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    });
    markOwnServer(s);
    // cluster / PM2: a worker answers on a port of its own, as for metrics (prometheus/cluster-port.ts).
    const bind = workerPort(opts.port);
    s.on('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'the port is in use' : errorLine(err);
      log.warn(`cannot serve health probes on ${opts.host}:${bind.port} (${why}); set OBS_HEALTH_PORT to a free port. The app runs on`);
    });
    s.listen({ port: bind.port, host: opts.host, exclusive: bind.exclusive });
    // Probes must never keep the app alive on their own.
    s.unref();
    server = s;
  }

  return {
    route,
    close() {
      clearInterval(ticker);
      dc.unsubscribe(LISTEN_CHANNEL, onListen);
      dc.unsubscribe(REQUEST_CHANNEL, onRequest);
      server?.close();
      server?.closeAllConnections?.();
    },
  };
}
