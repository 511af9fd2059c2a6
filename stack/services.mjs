// The native stack's services: how each binary is started (the flags of collector/docker-compose.yml, with
// container paths mapped to the state dir), where it listens and how its health is read.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { collectorDir } from './paths.mjs';
import { PORTS, builtComponents, writeAlertmanagerConfig, writeOtelcolConfig, writePrometheusConfig } from './configs.mjs';

const loop = '127.0.0.1';

/**
 * The services in start order (backends first, the collector last so its first exports find them).
 * opts: { bin, state, interval?, env }.
 */
export function defineServices({ bin, state, interval, env = process.env }) {
  const conf = path.join(state, 'config');
  const data = path.join(state, 'data');
  mkdirSync(conf, { recursive: true });
  return [
    {
      // Native stand-in for Loki (not built here: AGPL); OTLP logs in, LogsQL queries by trace_id.
      name: 'logs',
      binary: 'victoria-logs',
      prepare: () => [
        `-storageDataPath=${path.join(data, 'victoria-logs')}`,
        `-httpListenAddr=${loop}:${PORTS.logs}`,
        '-retentionPeriod=7d',
      ],
      health: `http://${loop}:${PORTS.logs}/health`,
      endpoints: { otlp: `http://${loop}:${PORTS.logs}/insert/opentelemetry/v1/logs`, query: `http://${loop}:${PORTS.logs}/select/logsql/query`, ui: `http://${loop}:${PORTS.logs}/select/vmui/` },
    },
    {
      name: 'jaeger',
      binary: 'jaeger',
      prepare: () => ['--config', path.join(collectorDir, 'jaeger/jaeger.yaml')],
      env: {
        JAEGER_LISTEN_HOST: loop,
        JAEGER_OTLP_GRPC_PORT: String(PORTS.jaegerOtlpGrpc),
        JAEGER_OTLP_HTTP_PORT: String(PORTS.jaegerOtlpHttp),
        JAEGER_HEALTH_PORT: String(PORTS.jaegerHealth),
        JAEGER_METRICS_PORT: String(PORTS.jaegerMetrics),
        JAEGER_QUERY_HTTP_PORT: String(PORTS.jaegerQuery),
        JAEGER_QUERY_GRPC_PORT: String(PORTS.jaegerQueryGrpc),
      },
      health: `http://${loop}:${PORTS.jaegerHealth}/status`,
      endpoints: { ui: `http://${loop}:${PORTS.jaegerQuery}`, api: `http://${loop}:${PORTS.jaegerQuery}/api/traces`, otlpGrpc: `${loop}:${PORTS.jaegerOtlpGrpc}` },
    },
    {
      name: 'alertmanager',
      binary: 'alertmanager',
      prepare: () => [
        `--config.file=${writeAlertmanagerConfig(conf, env)}`,
        `--storage.path=${path.join(data, 'alertmanager')}`,
        `--web.listen-address=${loop}:${PORTS.alertmanager}`,
        // One instance: no gossip port (it would listen on all interfaces).
        '--cluster.listen-address=',
      ],
      health: `http://${loop}:${PORTS.alertmanager}/-/ready`,
      endpoints: { ui: `http://${loop}:${PORTS.alertmanager}`, api: `http://${loop}:${PORTS.alertmanager}/api/v2` },
    },
    {
      name: 'prometheus',
      binary: 'prometheus',
      prepare: () => [
        `--config.file=${writePrometheusConfig(conf, { interval })}`,
        `--storage.tsdb.path=${path.join(data, 'prometheus')}`,
        '--storage.tsdb.retention.time=15d',
        '--web.enable-otlp-receiver',
        '--web.enable-lifecycle',
        '--enable-feature=exemplar-storage',
        `--web.listen-address=${loop}:${PORTS.prometheus}`,
      ],
      health: `http://${loop}:${PORTS.prometheus}/-/ready`,
      endpoints: { ui: `http://${loop}:${PORTS.prometheus}`, otlp: `http://${loop}:${PORTS.prometheus}/api/v1/otlp` },
    },
    {
      name: 'otelcol',
      binary: 'otelcol-contrib',
      prepare: (self) => {
        const components = builtComponents(path.join(bin, 'otelcol-contrib'));
        const main = writeOtelcolConfig(conf, path.join(collectorDir, 'otelcol.yaml'), components);
        self.dropped = [...main.dropped, ...main.skipped];
        return ['--config', main.file, '--config', path.join(collectorDir, 'otelcol.overrides.yaml')];
      },
      env: {
        // The variables otelcol.yaml reads, as docker-compose.yml passes them, for this host.
        POSTGRES_MONITOR_PASSWORD: env.POSTGRES_MONITOR_PASSWORD || 'set-POSTGRES_MONITOR_PASSWORD',
        POSTGRES_ENDPOINT: env.POSTGRES_ENDPOINT ?? `${loop}:5432`,
        REDIS_ENDPOINT: env.REDIS_ENDPOINT ?? `${loop}:6379`,
        OTEL_RESOURCE_ATTRIBUTES: env.OTEL_RESOURCE_ATTRIBUTES ?? 'host.name=obs-stack-native',
      },
      health: `http://${loop}:${PORTS.otelcolHealth}/`,
      endpoints: { otlpGrpc: `http://${loop}:${PORTS.otlpGrpc}`, otlpHttp: `http://${loop}:${PORTS.otlpHttp}`, health: `http://${loop}:${PORTS.otelcolHealth}/`, metrics: `http://${loop}:${PORTS.otelcolMetrics}/metrics` },
    },
  ];
}
