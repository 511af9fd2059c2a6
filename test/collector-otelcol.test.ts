// Structural checks of collector/otelcol.yaml (+ overrides): wiring, memory_limiter first, 0.0.0.0 binds, no inline secrets, current component names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { collectorDir, readYaml } from './support/collector-files.js';
import { componentType, leaves, loadOtelcol, mergeConfigs } from './support/collector-otelcol.js';

const config = loadOtelcol();
const pipelines = Object.entries(config.service.pipelines);

// Component types of otelcol-contrib 0.160.0 under their 2026 snake_case names.
const KNOWN = {
  receivers: ['otlp', 'postgresql', 'redis', 'host_metrics', 'tlscheck', 'http_check', 'prometheus'],
  processors: ['memory_limiter', 'resource_detection', 'resource', 'redaction', 'batch', 'transform', 'filter', 'tail_sampling'],
  exporters: ['otlp_grpc', 'otlp_http', 'load_balancing', 'prometheus_remote_write', 'debug'],
  connectors: ['span_metrics'],
  extensions: ['health_check', 'file_storage'],
} as const;
// Deprecated aliases that still load but log a warning on every start.
const DEPRECATED = ['otlphttp', 'hostmetrics', 'resourcedetection', 'spanmetrics', 'loadbalancing', 'tailsampling', 'healthcheck', 'httpcheck', 'prometheusremotewrite'];

test('the overrides file loads last and merges maps, replacing lists (as the collector does)', () => {
  const merged = mergeConfigs({ a: { b: 1, l: [1, 2] } }, { a: { c: 2, l: [3] } });
  assert.deepEqual(merged, { a: { b: 1, c: 2, l: [3] } });
  const compose = readYaml<{ services: { otelcol: { command: string[] } } }>(path.join(collectorDir, 'docker-compose.yml'));
  const configs = compose.services.otelcol.command.filter((a) => a.startsWith('--config='));
  assert.deepEqual(configs, ['--config=/etc/otelcol/otelcol.yaml', '--config=/etc/otelcol/otelcol.overrides.yaml']);
});

test('every component a pipeline uses is defined, and every defined component is used', () => {
  const used = { receivers: new Set<string>(), processors: new Set<string>(), exporters: new Set<string>() };
  for (const [name, p] of pipelines) {
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      for (const id of p[kind] ?? []) {
        const defined = config[kind]?.[id] !== undefined || (kind !== 'processors' && config.connectors?.[id] !== undefined);
        assert.ok(defined, `pipeline ${name}: ${kind.slice(0, -1)} ${id} is not defined`);
        used[kind].add(id);
      }
    }
  }
  for (const kind of ['receivers', 'processors', 'exporters'] as const) {
    for (const id of Object.keys(config[kind] ?? {})) assert.ok(used[kind].has(id), `${kind.slice(0, -1)} ${id} is defined but no pipeline uses it`);
  }
  for (const id of Object.keys(config.extensions ?? {})) assert.ok(config.service.extensions?.includes(id), `extension ${id} is defined but not enabled`);
  for (const id of config.service.extensions ?? []) assert.ok(config.extensions?.[id] !== undefined, `extension ${id} enabled but not defined`);
});

test('memory_limiter is the first processor of every pipeline', () => {
  assert.ok(pipelines.length >= 4);
  for (const [name, p] of pipelines) assert.equal(componentType(p.processors?.[0] ?? ''), 'memory_limiter', `pipeline ${name}`);
});

test('each signal has its backend: metrics → Prometheus OTLP, traces → Jaeger, logs → Loki /otlp', () => {
  const exporters = config.exporters as Record<string, { endpoint: string }>;
  const endpointsOf = (signal: string) =>
    pipelines.filter(([n]) => n.split('/')[0] === signal).flatMap(([, p]) => p.exporters.map((e) => exporters[e].endpoint));
  assert.ok(endpointsOf('metrics').every((e) => e === 'http://prometheus:9090/api/v1/otlp'));
  assert.deepEqual([...new Set(endpointsOf('traces'))], ['jaeger:4317']);
  assert.deepEqual([...new Set(endpointsOf('logs'))], ['http://loki:3100/otlp']);
  for (const [id, e] of Object.entries(config.exporters as Record<string, { sending_queue?: { enabled: boolean }; retry_on_failure?: { enabled: boolean } }>)) {
    assert.equal(e.sending_queue?.enabled, true, `${id}: sending queue`);
    assert.equal(e.retry_on_failure?.enabled, true, `${id}: retry`);
  }
});

test('the infrastructure receivers the seed watches are configured, with redis.maxmemory enabled', () => {
  const infra = pipelines.flatMap(([, p]) => p.receivers).map(componentType);
  for (const r of ['postgresql', 'redis', 'host_metrics', 'tlscheck']) assert.ok(infra.includes(r), `receiver ${r}`);
  const redis = config.receivers.redis as { metrics: Record<string, { enabled: boolean }> };
  assert.equal(redis.metrics['redis.maxmemory'].enabled, true);
  const host = config.receivers.host_metrics as { scrapers: Record<string, unknown> };
  assert.ok('filesystem' in host.scrapers);
});

test('every server endpoint binds 0.0.0.0 (the collector default is localhost since 0.104)', () => {
  const otlp = config.receivers.otlp as { protocols: Record<string, { endpoint: string }> };
  for (const [proto, p] of Object.entries(otlp.protocols)) assert.match(p.endpoint, /^0\.0\.0\.0:43(17|18)$/, `otlp ${proto}`);
  assert.equal((config.extensions?.health_check as { endpoint: string }).endpoint, '0.0.0.0:13133');
  const telemetry = leaves(config.service.telemetry);
  assert.ok(telemetry.some(([k, v]) => k.endsWith('prometheus.host') && v === '0.0.0.0'), 'self-metrics on 0.0.0.0:8888');
  assert.ok(telemetry.some(([k, v]) => k.endsWith('prometheus.port') && v === 8888));
});

test('no inline secrets: secret-looking settings come from ${env:...} or files', () => {
  const secretKey = /(password|passwd|secret|token|api_?key|authorization|credential|private_key)$/i;
  for (const [key, value] of leaves(config)) {
    const last = key.split('.').pop() ?? '';
    // Keys of processors that *name* secret attributes (redaction patterns) are not secrets themselves.
    if (key.startsWith('processors.redaction')) continue;
    if (secretKey.test(last) && typeof value === 'string' && value !== '') {
      assert.match(value, /^\$\{(env|file):[A-Z0-9_]+(:-[^}]*)?\}$/, `${key} must come from the environment or a file`);
      assert.doesNotMatch(value, /:-.+\}$/, `${key}: no default value for a secret`);
    }
  }
});

test('every ${env:VAR} in otelcol.yaml is passed to the collector by docker-compose.yml', () => {
  const text = readFileSync(path.join(collectorDir, 'otelcol.yaml'), 'utf8');
  const vars = [...text.matchAll(/\$\{env:([A-Z0-9_]+)/g)].map((m) => m[1]);
  assert.ok(vars.length > 0);
  const compose = readYaml<{ services: { otelcol: { environment: Record<string, string> } } }>(path.join(collectorDir, 'docker-compose.yml'));
  for (const v of vars) assert.ok(v in compose.services.otelcol.environment, `${v} not set for otelcol in docker-compose.yml`);
});

test('component types are current otelcol-contrib names, not deprecated aliases', () => {
  for (const kind of ['receivers', 'processors', 'exporters', 'connectors', 'extensions'] as const) {
    for (const id of Object.keys(config[kind] ?? {})) {
      const type = componentType(id);
      assert.ok(!DEPRECATED.includes(type), `${kind}: ${id} uses a deprecated alias`);
      assert.ok((KNOWN[kind] as readonly string[]).includes(type), `${kind}: unknown component type ${type}`);
    }
  }
});

test('redaction masks secret-looking keys in traces and logs', () => {
  const redaction = config.processors.redaction as { allow_all_keys: boolean; blocked_key_patterns: string[] };
  assert.equal(redaction.allow_all_keys, true);
  const re = new RegExp(redaction.blocked_key_patterns[0].replace('(?i)', ''), 'i');
  for (const key of ['db.password', 'http.request.header.authorization', 'user.api_key', 'session_id', 'X-Auth-Token']) assert.ok(re.test(key), key);
  assert.ok(!re.test('http.route'));
  for (const [name, p] of pipelines) {
    if (name.startsWith('traces') || name.startsWith('logs')) assert.ok(p.processors?.includes('redaction'), `pipeline ${name}`);
  }
});
