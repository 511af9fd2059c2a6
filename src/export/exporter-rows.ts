// The status rows that say where each signal goes (for `obs doctor` and status()): kind, protocol and
// endpoint, the endpoint passed through the text redactor (it may carry credentials).
import type { Config } from '../config/config.js';
import type { ObsStatus } from '../lifecycle/obs-state.js';

export function exporterRows(config: Config, redactText: (s: string) => string): ObsStatus['exporters'] {
  const rows: ObsStatus['exporters'] = [];
  for (const signal of ['traces', 'metrics', 'logs'] as const) {
    for (const kind of config.exporters[signal]) {
      rows.push(kind === 'otlp'
        ? { signal, exporter: kind, protocol: config.otlp[signal].protocol, endpoint: redactText(config.otlp[signal].endpoint) }
        : kind === 'prometheus'
          ? { signal, exporter: kind, endpoint: `http://${config.prometheus.host}:${config.prometheus.port}/metrics` }
          : { signal, exporter: kind });
    }
  }
  return rows;
}
