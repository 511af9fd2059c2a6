// Our Prometheus pull endpoint (OTEL_METRICS_EXPORTER=prometheus): an explicit bind address (loopback
// by default), GET only, names as Prometheus's OTLP translation writes them, and a port conflict that
// costs one warning instead of the app. The probe routes of the admin port can be attached here.
// One scrape's cost is bounded: concurrent scrapes share one rendering, a rendering is reused for
// RENDER_CACHE_MS, label values and the page have a ceiling (page-bounds.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { MetricProducer, MetricReader, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { errorLine, log } from '../../log.js';
import { markOwnServer } from '../server-marks.js';
import { prometheusBaseName } from './names.js';
import { capLabels, capPage } from './page-bounds.js';
import { timed } from '../../lifecycle/loop-cost.js';
import { metricsPort } from './cluster-port.js';
import { otel } from '../../sdk/otel.js';

const { DataPointType } = otel('@opentelemetry/sdk-metrics');

/** A rendering is served again to scrapes within this long (Prometheus scrapes every 15-60 s). */
const RENDER_CACHE_MS = 1000;

export type ExtraRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface PrometheusEndpoint {
  readonly reader: MetricReader;
  readonly server: Server;
  /** Routes (health probes) answered on the same port; return true when handled. */
  readonly routes: ExtraRoute[];
  close(): Promise<void>;
}

function renamed(rm: ResourceMetrics): ResourceMetrics {
  return {
    resource: rm.resource,
    scopeMetrics: rm.scopeMetrics.map((sm) => ({
      scope: sm.scope,
      metrics: sm.metrics.map((m) => ({
        ...m,
        descriptor: {
          ...m.descriptor,
          name: prometheusBaseName(
            m.descriptor.name,
            m.descriptor.unit,
            m.dataPointType === DataPointType.GAUGE || (m.dataPointType === DataPointType.SUM && !m.isMonotonic),
          ),
        },
      })) as typeof sm.metrics,
    })),
  };
}

/** `redact` scrubs metric point attributes before they are rendered (the page is exported data too). */
export function startPrometheusEndpoint(
  host: string, port: number, redact: (rm: ResourceMetrics) => void,
  /** Attaches extra producers (our metric cells) to the reader it builds. */
  build: (make: (metricProducers: MetricProducer[]) => MetricReader) => MetricReader = (make) => make([]),
): PrometheusEndpoint {
  const { PrometheusExporter, PrometheusSerializer } = otel('@opentelemetry/exporter-prometheus');
  const reader = build((metricProducers) => new PrometheusExporter({ preventServerStart: true, metricProducers })) as InstanceType<typeof PrometheusExporter>;
  const serializer = new PrometheusSerializer('', false, undefined, false, true);
  const routes: ExtraRoute[] = [];

  let rendering: Promise<string> | undefined;
  let cached: { page: string; at: number } | undefined;
  const collectAndRender = async (): Promise<string> => {
    const { resourceMetrics, errors } = await reader.collect();
    // Host id and the like settle asynchronously; reading the resource earlier warns and loses them.
    await resourceMetrics.resource.waitForAsyncAttributes?.();
    if (errors.length > 0) log.debug(`metrics collection reported ${errors.length} error(s): ${errorLine(errors[0])}`);
    return timed('scrape', () => {
      const data = renamed(resourceMetrics);
      redact(data);
      capLabels(data);
      return capPage(serializer.serialize(data));
    });
  };
  /** One rendering at a time, shared by every scrape that arrives meanwhile, and reused briefly after. */
  const render = (): Promise<string> => {
    if (cached && performance.now() - cached.at < RENDER_CACHE_MS) return Promise.resolve(cached.page);
    rendering ??= collectAndRender().then(
      (page) => {
        cached = { page, at: performance.now() };
        rendering = undefined;
        return page;
      },
      (err: unknown) => {
        rendering = undefined;
        throw err;
      },
    );
    return rendering;
  };

  const server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    for (const route of routes) if (route(req, res)) return;
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    render().then(
      (page) => {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
        res.end(req.method === 'HEAD' ? undefined : page);
      },
      (err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`# metrics collection failed: ${errorLine(err)}\n`);
      },
    );
  });
  markOwnServer(server);
  // cluster / PM2: a worker serves on a port of its own (cluster-port.ts).
  const bind = metricsPort(port, host);
  server.on('error', (err: NodeJS.ErrnoException) => {
    const why = err.code === 'EADDRINUSE' ? 'the port is in use' : errorLine(err);
    log.warn(`cannot serve Prometheus metrics on ${host}:${bind.port} (${why}); set OTEL_EXPORTER_PROMETHEUS_PORT to a free port. The app runs on`);
  });
  server.listen({ port: bind.port, host, exclusive: bind.exclusive });
  // The endpoint must never keep the app alive on its own.
  server.unref();

  return {
    reader,
    server,
    routes,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections?.();
    }),
  };
}
