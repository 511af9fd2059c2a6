// Pins that every PromQL string in the rules, dashboards and datasources parses and uses only names and labels from docs/metrics.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { collectorDir, dashboardQueries, dashboardsDir, datasourceQueries, filesIn, grafanaToPromql, loadRules, readYaml } from './support/collector-files.js';
import { checkAgainstDoc, inspectPromql, readMetricsDoc } from './support/collector-metrics-doc.js';
import { otlpToPrometheusName } from './support/collector-otlp-names.js';

const doc = readMetricsDoc();

void test('docs/metrics.md lists the preload, receiver and collector names once each, in the stack-path form', () => {
  for (const name of ['http_server_request_duration_seconds', 'db_client_operation_duration_seconds', 'db_client_connection_count', 'cache_lookups_total',
    'auth_attempts_total', 'process_uncaught_errors_total', 'obs_telemetry_dropped_total', 'nodejs_eventloop_delay_p99_seconds', 'nodejs_eventloop_utilization_ratio',
    'v8js_gc_duration_seconds', 'v8js_memory_heap_used_bytes', 'redis_maxmemory_bytes', 'system_filesystem_usage_bytes', 'tlscheck_time_left_seconds',
    'otelcol_exporter_send_failed_spans', 'otelcol_scraper_errored_metric_points']) {
    assert.ok(doc.has(name), `${name} missing from docs/metrics.md`);
  }
  for (const m of doc.values()) {
    // The collector's own metrics are scraped from its :8888, where core >= v0.152 writes no _total and no
    // unit suffix (read off the real binary by test/stack-run.test.ts); the OTLP suffix rules do not apply.
    if (m.source === 'collector') {
      assert.doesNotMatch(m.name, /_total$|_seconds$|_bytes$/, `${m.name}: the collector's own names have no suffixes`);
      continue;
    }
    if (m.type === 'counter') assert.match(m.name, /_total$/, `${m.name}: counters end in _total`);
    if (m.unit === 's' && m.type !== 'counter') assert.match(m.name, /_seconds$/, `${m.name}: unit s → _seconds`);
    if (m.unit === 'By') assert.match(m.name, /_bytes$/, `${m.name}: unit By → _bytes`);
    if (m.unit === '1' && m.type === 'gauge' && m.source === 'preload') assert.match(m.name, /_ratio$/, `${m.name}: unit 1 gauge → _ratio`);
  }
});

void test('the checker itself rejects a syntax error, an undocumented name and an undocumented label', () => {
  assert.ok(inspectPromql('sum(rate(http_server_request_duration_seconds_count[5m])').errors.length > 0);
  assert.deepEqual(checkAgainstDoc('rate(http_server_request_duration_seconds_count[5m])', doc), []);
  assert.match(checkAgainstDoc('rate(http_server_duration_count[5m])', doc).join(), /http_server_duration_count is not in docs/);
  assert.match(checkAgainstDoc('rate(http_server_request_duration_seconds_count{status="500"}[5m])', doc).join(), /label status/);
  assert.deepEqual(checkAgainstDoc('rate({__name__="cache_lookups_total", cache_result="miss"}[5m])', doc), []);
});

void test('every alert rule expression parses and uses only documented metric names and labels', () => {
  const rules = loadRules();
  assert.ok(rules.length >= 14);
  for (const rule of rules) {
    assert.deepEqual(checkAgainstDoc(rule.expr, doc), [], `${rule.alert} (${path.basename(rule.file)})`);
  }
});

void test('every dashboard query and variable parses and uses only documented metric names and labels', () => {
  const queries = dashboardQueries();
  assert.ok(queries.length >= 20);
  for (const q of queries) {
    assert.deepEqual(checkAgainstDoc(grafanaToPromql(q.expr), doc), [], `${q.where}: ${q.expr}`);
  }
});

void test("the Jaeger datasource's trace → metrics queries parse and use documented names", () => {
  const queries = datasourceQueries();
  assert.ok(queries.length >= 1);
  for (const q of queries) assert.deepEqual(checkAgainstDoc(grafanaToPromql(q.expr), doc), [], `${q.where}: ${q.expr}`);
});

void test('the service dashboard has the seed panels and service/route variables; runtime and collector dashboards exist', () => {
  interface Dash { uid: string; panels: Array<{ title: string; datasource: { uid: string } }>; templating: { list: Array<{ name: string }> } }
  const load = (f: string) => JSON.parse(readFileSync(path.join(dashboardsDir, f), 'utf8')) as Dash;
  const service = load('service-overview.json');
  const titles = service.panels.map((p) => p.title.toLowerCase());
  for (const want of ['request rate', 'p95', 'error rate', 'connection pool', 'cache hit rate']) {
    assert.ok(titles.some((t) => t.includes(want)), `service dashboard: no panel about ${want}`);
  }
  assert.deepEqual(service.templating.list.map((v) => v.name), ['service', 'route']);
  const runtime = load('runtime.json').panels.map((p) => p.title.toLowerCase()).join('|');
  for (const want of ['event-loop delay', 'heap', 'gc']) assert.ok(runtime.includes(want), `runtime dashboard: ${want}`);
  assert.ok(load('collector-health.json').panels.length >= 6);

  const uids = new Set(readYaml<{ datasources: Array<{ uid: string }> }>(path.join(collectorDir, 'grafana', 'provisioning', 'datasources', 'datasources.yaml')).datasources.map((d) => d.uid));
  for (const file of filesIn(dashboardsDir, '.json')) {
    const dash = JSON.parse(readFileSync(file, 'utf8')) as Dash;
    for (const p of dash.panels) assert.ok(uids.has(p.datasource.uid), `${path.basename(file)} "${p.title}": unknown datasource ${p.datasource.uid}`);
  }
});

void test('datasources link both ways by trace id: exemplars and logs → Jaeger, Jaeger → Loki and Prometheus', () => {
  interface Ds {
    uid: string;
    type: string;
    jsonData: {
      exemplarTraceIdDestinations: Array<{ name: string; datasourceUid: string }>;
      tracesToLogsV2: { datasourceUid: string; query: string };
      tracesToMetrics: { datasourceUid: string };
      derivedFields: Array<{ datasourceUid: string; matcherRegex: string }>;
    };
  }
  const list = readYaml<{ datasources: Ds[] }>(path.join(collectorDir, 'grafana', 'provisioning', 'datasources', 'datasources.yaml')).datasources;
  const byType = (type: string) => list.find((d) => d.type === type)!;
  const prom = byType('prometheus');
  const jaeger = byType('jaeger');
  const loki = byType('loki');
  assert.equal(prom.jsonData.exemplarTraceIdDestinations[0].datasourceUid, jaeger.uid);
  assert.equal(prom.jsonData.exemplarTraceIdDestinations[0].name, 'trace_id');
  assert.equal(jaeger.jsonData.tracesToLogsV2.datasourceUid, loki.uid);
  assert.match(jaeger.jsonData.tracesToLogsV2.query, /trace_id/);
  assert.equal(jaeger.jsonData.tracesToMetrics.datasourceUid, prom.uid);
  const derived = loki.jsonData.derivedFields[0];
  assert.equal(derived.datasourceUid, jaeger.uid);
  assert.equal(derived.matcherRegex, 'trace_id');
});

void test("every documented name is what Prometheus's OTLP translation makes of its OTel name, unit and kind", () => {
  // Spot checks of the translation itself (prometheus/otlptranslator behaviour).
  assert.equal(otlpToPrometheusName('http.server.request.duration', 's', 'histogram'), 'http_server_request_duration_seconds');
  assert.equal(otlpToPrometheusName('nodejs.eventloop.utilization', '1', 'gauge'), 'nodejs_eventloop_utilization_ratio');
  assert.equal(otlpToPrometheusName('postgresql.backends', '1', 'updowncounter'), 'postgresql_backends');
  assert.equal(otlpToPrometheusName('db.client.connection.count', '{connection}', 'updowncounter'), 'db_client_connection_count');
  assert.equal(otlpToPrometheusName('redis.commands', '{ops}/s', 'gauge'), 'redis_commands_per_second');
  let checked = 0;
  for (const m of doc.values()) {
    // '-': not an OTel instrument; collector: scraped, not OTLP-translated (see the first test).
    if (m.kind === '-' || m.source === 'collector') continue;
    assert.equal(otlpToPrometheusName(m.otelName, m.unit, m.kind), m.name, `${m.otelName} (${m.unit}, ${m.kind})`);
    checked += 1;
  }
  assert.ok(checked >= 40);
});
