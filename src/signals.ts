// Wiring of the application signals that live outside the instrumentations (called once by start.ts):
// health probes on the admin port(s) and the console bridge.
import type { Config } from './config/config.js';
import type { PrometheusEndpoint } from './admin/prometheus/endpoint.js';
import { startProbes } from './admin/probes.js';
import { readyChecks } from './admin/ready-checks.js';
import { installConsoleBridge } from './app-signals/console-bridge.js';
import { describe, log } from './log.js';

export interface SignalsHandle {
  close(): void;
}

export function startSignals(config: Config, opts: { prometheus?: PrometheusEndpoint; logs: boolean }): SignalsHandle {
  const closers: (() => void)[] = [];
  const s = config.signals;
  try {
    const samePort = opts.prometheus !== undefined && s.healthPort === config.prometheus.port && s.healthPort !== 0;
    if (opts.prometheus || s.healthPort !== undefined) {
      const dependencies = s.readyChecks.length > 0 ? readyChecks(s.readyChecks, s.readyTimeoutMs) : undefined;
      const probes = startProbes({ maxLagMs: s.livenessMaxLagMs, port: samePort ? undefined : s.healthPort, host: s.healthHost, dependencies });
      opts.prometheus?.routes.push(probes.route);
      closers.push(() => probes.close());
    }
    if (s.consoleCapture && opts.logs) closers.push(installConsoleBridge());
  } catch (err) {
    log.warn(`application signals not started (${describe(err)}); traces, metrics and logs run on`);
  }
  return {
    close: () => {
      for (const c of closers.splice(0)) c();
    },
  };
}
