// Exporter findings: for every signal, where it goes and whether an OTLP collector answers there.
import type { Config, Signal } from '../../config/config.js';
import type { Finding } from './finding.js';
import { maskValue } from './mask.js';
import { parseHeaderList, probeOtlp, type ProbeProtocol } from './probe-otlp.js';
import type { DoctorReport } from './report.js';

export interface ExporterTarget {
  signal: Signal;
  exporter: string;
  protocol?: string;
  endpoint?: string;
}

const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];

export function targetsFromConfig(config: Config): ExporterTarget[] {
  const out: ExporterTarget[] = [];
  for (const signal of SIGNALS) {
    const exporters = config.exporters[signal];
    if (exporters.length === 0) out.push({ signal, exporter: 'none' });
    for (const exporter of exporters) {
      out.push(exporter === 'otlp' ? { signal, exporter, ...config.otlp[signal] } : { signal, exporter });
    }
  }
  return out;
}

export function targetsFromReport(report: DoctorReport): ExporterTarget[] {
  return report.exporters.map((e) => ({ signal: e.signal, exporter: e.exporter, protocol: e.protocol, endpoint: e.endpoint }));
}

function headersFor(env: NodeJS.ProcessEnv, signal: Signal): Record<string, string> {
  return { ...parseHeaderList(env.OTEL_EXPORTER_OTLP_HEADERS), ...parseHeaderList(env[`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_HEADERS`]) };
}

export async function exporterFindings(targets: readonly ExporterTarget[], env: NodeJS.ProcessEnv, config: Config): Promise<Finding[]> {
  return Promise.all(targets.map(async (t): Promise<Finding> => {
    const id = `exporter.${t.signal}`;
    const label = t.signal.padEnd(7);
    if (t.exporter === 'none') {
      return { id, section: 'exporters', level: 'warn', text: `${label} off (OTEL_${t.signal.toUpperCase()}_EXPORTER=none)` };
    }
    if (t.exporter === 'console') return { id, section: 'exporters', level: 'info', text: `${label} console (printed to stdout)` };
    if (t.exporter === 'prometheus') {
      const { host, port } = config.prometheus;
      return { id, section: 'exporters', level: 'info', text: `${label} prometheus: scrape http://${host}:${port}/metrics` };
    }
    const endpoint = t.endpoint ?? '';
    const protocol = (t.protocol ?? 'http/protobuf') as ProbeProtocol;
    const shown = `${label} ${maskValue('endpoint', endpoint)} ${protocol} →`;
    const result = await probeOtlp({ endpoint, protocol, signal: t.signal, headers: headersFor(env, t.signal) });
    return result.ok
      ? { id, section: 'exporters', level: 'ok', text: `${shown} answers (${result.detail})` }
      : { id, section: 'exporters', level: 'fail', text: `${shown} ${result.detail}`, fix: result.fix };
  }));
}
