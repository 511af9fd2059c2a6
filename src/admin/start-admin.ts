// The admin sockets' health probes: on the Prometheus port when OBS_HEALTH_PORT is that port (or unset
// beside a Prometheus endpoint), else on their own port. Called once by start.ts.
import type { Config } from '../config/config.js';
import type { PrometheusEndpoint } from './prometheus/endpoint.js';
import { startProbes } from './probes.js';
import { readyChecks } from './ready-checks.js';
import { errorLine, log } from '../log.js';

export interface AdminHandle {
  close(): void;
}

export function startAdmin(config: Config, prometheus: PrometheusEndpoint | undefined): AdminHandle {
  const s = config.signals;
  try {
    if (!prometheus && s.healthPort === undefined) return { close: () => undefined };
    const samePort = prometheus !== undefined && s.healthPort === config.prometheus.port && s.healthPort !== 0;
    const dependencies = s.readyChecks.length > 0 ? readyChecks(s.readyChecks, s.readyTimeoutMs) : undefined;
    const probes = startProbes({ maxLagMs: s.livenessMaxLagMs, port: samePort ? undefined : s.healthPort, host: s.healthHost, dependencies });
    prometheus?.routes.push(probes.route);
    return { close: () => probes.close() };
  } catch (err) {
    log.warn(`application signals not started (${errorLine(err)}); traces, metrics and logs run on`);
    return { close: () => undefined };
  }
}
