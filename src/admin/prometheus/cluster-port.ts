// cluster / PM2 with the Prometheus exporter: every process has its own metrics, so every worker
// serves them on its own port — OTEL_EXPORTER_PROMETHEUS_PORT + 1 + its index — bound exclusively
// (a worker's listen() would otherwise go through the primary, which already holds the base port).
// The primary keeps the base port; one line says where the workers are.
import { createRequire } from 'node:module';
import type { Cluster } from 'node:cluster';
import { log } from '../../log.js';

/** Required when a port is asked for (Prometheus endpoint, probes), not at load: node:cluster brings child_process and dgram with it (small: under 1 M instructions of a start with sync-send.ts's, callgrind). */
const clusterModule = (): Cluster => createRequire(import.meta.url)('node:cluster') as Cluster;

export interface MetricsPort {
  readonly port: number;
  /** Bind without the cluster module's handle sharing. */
  readonly exclusive: boolean;
}

/** PM2 numbers its instances 0..n-1 and keeps the number across restarts; node:cluster counts forks from 1. */
function workerIndex(): number {
  const pm2 = process.env.NODE_APP_INSTANCE;
  if (pm2 !== undefined && /^\d{1,4}$/.test(pm2)) return Number(pm2);
  return Math.max(0, (clusterModule().worker?.id ?? 1) - 1);
}

/** The same rule for a worker's health-probe port (OBS_HEALTH_PORT): its own, base + 1 + index, exclusive. */
export function workerPort(basePort: number): MetricsPort {
  if (!clusterModule().isWorker) return { port: basePort, exclusive: false };
  if (basePort === 0) return { port: 0, exclusive: true };
  return { port: Math.min(65_535, basePort + 1 + workerIndex()), exclusive: true };
}

export function metricsPort(basePort: number, host: string): MetricsPort {
  const cluster = clusterModule();
  if (!cluster.isWorker) {
    if (basePort !== 0) {
      // Known only once the app forks: said once, by the primary.
      cluster.once('fork', () => log.info(workersLine(basePort, host)));
    }
    return { port: basePort, exclusive: false };
  }
  if (basePort === 0) return { port: 0, exclusive: true };
  const index = workerIndex();
  // Under PM2 (pm_id set) the primary is PM2's own daemon, without us: the first instance says it instead.
  if (process.env.pm_id !== undefined && process.env.NODE_APP_INSTANCE === '0') log.info(workersLine(basePort, host));
  return { port: Math.min(65_535, basePort + 1 + index), exclusive: true };
}

function workersLine(basePort: number, host: string): string {
  return `cluster: each worker serves its Prometheus metrics on its own port, ${basePort} + 1 + its index `
    + `(http://${host}:${basePort + 1}/metrics for the first, ${basePort + 2} for the second, …); `
    + `the primary keeps ${basePort}. Scrape them all (docs/safety.md, "cluster and PM2")`;
}
