// Structural checks of collector/otelcol.yaml (+ overrides): wiring, memory_limiter first, 0.0.0.0 binds, no inline secrets, current component names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { collectorDir, readYaml } from './support/collector-files.js';
import { componentType, leaves, loadOtelcol, mergeConfigs, type OtelcolConfig } from './support/collector-otelcol.js';

const config = loadOtelcol();
const pipelines = Object.entries(config.service.pipelines);
// The single-machine config (with its overrides) and the scale-out agent and gateway share the generic rules.
const ALL: Array<[string, OtelcolConfig]> = [
  ['otelcol.yaml + overrides', config],
  ['scale/agent.yaml', loadOtelcol(['scale/agent.yaml'])],
  ['scale/gateway.yaml', loadOtelcol(['scale/gateway.yaml'])],
];

// Component types of otelcol-contrib 0.160.0 under their 2026 snake_case names.
const KNOWN = {
  receivers: ['otlp', 'postgresql', 'redis', 'host_metrics', 'tlscheck', 'http_check', 'prometheus'],
  processors: ['memory_limiter', 'resource_detection', 'resource', 'redaction', 'batch', 'transform', 'filter', 'tail_sampling'],
  exporters: ['otlp_grpc', 'otlp_http', 'load_balancing', 'prometheus_remote_write', 'debug'],
  connectors: ['span_metrics', 'forward'],
  extensions: ['health_check', 'file_storage'],
} as const;
// Deprecated aliases that still load but log a warning on every start.
const DEPRECATED = ['otlphttp', 'hostmetrics', 'resourcedetection', 'spanmetrics', 'loadbalancing', 'tailsampling', 'healthcheck', 'httpcheck', 'prometheusremotewrite'];

void test('the overrides file loads last and merges maps, replacing lists (as the collector does)', () => {
  const merged = mergeConfigs({ a: { b: 1, l: [1, 2] } }, { a: { c: 2, l: [3] } });
  assert.deepEqual(merged, { a: { b: 1, c: 2, l: [3] } });
  const compose = readYaml<{ services: { otelcol: { command: string[] } } }>(path.join(collectorDir, 'docker-compose.yml'));
  const configs = compose.services.otelcol.command.filter((a) => a.startsWith('--config='));
  assert.deepEqual(configs, ['--config=/etc/otelcol/otelcol.yaml', '--config=/etc/otelcol/otelcol.overrides.yaml']);
});

for (const [label, cfg] of ALL) {
  void test(`${label}: every component a pipeline uses is defined, and every defined component is used`, () => {
    const used = { receivers: new Set<string>(), processors: new Set<string>(), exporters: new Set<string>() };
    for (const [name, p] of Object.entries(cfg.service.pipelines)) {
      for (const kind of ['receivers', 'processors', 'exporters'] as const) {
        for (const id of p[kind] ?? []) {
          const defined = cfg[kind]?.[id] !== undefined || (kind !== 'processors' && cfg.connectors?.[id] !== undefined);
          assert.ok(defined, `pipeline ${name}: ${kind.slice(0, -1)} ${id} is not defined`);
          used[kind].add(id);
        }
      }
    }
    for (const kind of ['receivers', 'processors', 'exporters'] as const) {
      for (const id of Object.keys(cfg[kind] ?? {})) assert.ok(used[kind].has(id), `${kind.slice(0, -1)} ${id} is defined but no pipeline uses it`);
    }
    // A connector joins two pipelines: it must be an exporter of one and a receiver of another.
    for (const id of Object.keys(cfg.connectors ?? {})) {
      assert.ok(used.exporters.has(id) && used.receivers.has(id), `connector ${id} must be both exported to and received from`);
    }
    for (const id of Object.keys(cfg.extensions ?? {})) assert.ok(cfg.service.extensions?.includes(id), `extension ${id} is defined but not enabled`);
    for (const id of cfg.service.extensions ?? []) assert.ok(cfg.extensions?.[id] !== undefined, `extension ${id} enabled but not defined`);
  });

  void test(`${label}: memory_limiter is the first processor of every pipeline`, () => {
    const list = Object.entries(cfg.service.pipelines);
    assert.ok(list.length >= 3);
    for (const [name, p] of list) assert.equal(componentType(p.processors?.[0] ?? ''), 'memory_limiter', `pipeline ${name}`);
  });

  void test(`${label}: every server endpoint binds 0.0.0.0 (the collector default is localhost since 0.104)`, () => {
    const otlp = cfg.receivers.otlp as { protocols: Record<string, { endpoint: string }> };
    for (const [proto, p] of Object.entries(otlp.protocols)) assert.match(p.endpoint, /^0\.0\.0\.0:43(17|18)$/, `otlp ${proto}`);
    assert.equal((cfg.extensions?.health_check as { endpoint: string }).endpoint, '0.0.0.0:13133');
    const telemetry = leaves(cfg.service.telemetry);
    assert.ok(telemetry.some(([k, v]) => k.endsWith('prometheus.host') && v === '0.0.0.0'), 'self-metrics on 0.0.0.0:8888');
    assert.ok(telemetry.some(([k, v]) => k.endsWith('prometheus.port') && v === 8888));
  });

  void test(`${label}: no inline secrets; secret-looking settings come from \${env:...} or files`, () => {
    const secretKey = /(password|passwd|secret|token|api_?key|authorization|credential|private_key)$/i;
    for (const [key, value] of leaves(cfg)) {
      const last = key.split('.').pop() ?? '';
      // Keys of processors that *name* secret attributes (redaction patterns) are not secrets themselves.
      if (key.startsWith('processors.redaction')) continue;
      if (secretKey.test(last) && typeof value === 'string' && value !== '') {
        assert.match(value, /^\$\{(env|file):[A-Z0-9_]+(:-[^}]*)?\}$/, `${key} must come from the environment or a file`);
        assert.doesNotMatch(value, /:-.+\}$/, `${key}: no default value for a secret`);
      }
    }
  });

  void test(`${label}: component types are current otelcol-contrib names, not deprecated aliases`, () => {
    for (const kind of ['receivers', 'processors', 'exporters', 'connectors', 'extensions'] as const) {
      for (const id of Object.keys(cfg[kind] ?? {})) {
        const type = componentType(id);
        assert.ok(!DEPRECATED.includes(type), `${kind}: ${id} uses a deprecated alias`);
        assert.ok((KNOWN[kind] as readonly string[]).includes(type), `${kind}: unknown component type ${type}`);
      }
    }
  });
}

void test('each signal has its backend: metrics → Prometheus OTLP, traces → Jaeger, logs → Loki /otlp', () => {
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

void test('the infrastructure receivers the seed watches are configured, with redis.maxmemory enabled', () => {
  const infra = pipelines.flatMap(([, p]) => p.receivers).map(componentType);
  for (const r of ['postgresql', 'redis', 'host_metrics', 'tlscheck']) assert.ok(infra.includes(r), `receiver ${r}`);
  const redis = config.receivers.redis as { metrics: Record<string, { enabled: boolean }> };
  assert.equal(redis.metrics['redis.maxmemory'].enabled, true);
  const host = config.receivers.host_metrics as { scrapers: Record<string, unknown> };
  assert.ok('filesystem' in host.scrapers);
});

void test('every ${env:VAR} in otelcol.yaml is passed to the collector by docker-compose.yml', () => {
  const text = readFileSync(path.join(collectorDir, 'otelcol.yaml'), 'utf8');
  const vars = [...text.matchAll(/\$\{env:([A-Z0-9_]+)/g)].map((m) => m[1]);
  assert.ok(vars.length > 0);
  const compose = readYaml<{ services: { otelcol: { environment: Record<string, string> } } }>(path.join(collectorDir, 'docker-compose.yml'));
  for (const v of vars) assert.ok(v in compose.services.otelcol.environment, `${v} not set for otelcol in docker-compose.yml`);
});

void test('redaction masks secret-looking keys in traces and logs', () => {
  const redaction = config.processors.redaction as { allow_all_keys: boolean; blocked_key_patterns: string[] };
  assert.equal(redaction.allow_all_keys, true);
  const re = new RegExp(redaction.blocked_key_patterns[0].replace('(?i)', ''), 'i');
  for (const key of ['db.password', 'http.request.header.authorization', 'user.api_key', 'session_id', 'X-Auth-Token']) assert.ok(re.test(key), key);
  assert.ok(!re.test('http.route'));
  for (const [name, p] of pipelines) {
    if (name.startsWith('traces') || name.startsWith('logs')) assert.ok(p.processors?.includes('redaction'), `pipeline ${name}`);
  }
});

void test('scale-out: agents spread traces over the gateways by trace id; gateways compute span metrics before tail sampling', () => {
  const agent = loadOtelcol(['scale/agent.yaml']);
  const lb = agent.exporters.load_balancing as { routing_key: string; resolver: { dns: { hostname: string } } };
  assert.equal(lb.routing_key, 'traceID');
  assert.ok(lb.resolver.dns.hostname);
  assert.deepEqual(agent.service.pipelines.traces.exporters, ['load_balancing']);

  const gateway = loadOtelcol(['scale/gateway.yaml']);
  const traces = gateway.service.pipelines.traces;
  assert.ok(traces.exporters.includes('span_metrics'), 'span metrics see every span');
  assert.ok(!(traces.processors ?? []).includes('tail_sampling'), 'no sampling before span metrics');
  const sampled = Object.values(gateway.service.pipelines).find((p) => (p.processors ?? []).includes('tail_sampling'));
  assert.ok(sampled?.exporters.some((e) => componentType(e) === 'otlp_grpc'), 'sampled traces go to Jaeger');
  assert.ok(gateway.service.pipelines.metrics.receivers.includes('span_metrics'));
});
