// Pins the alert rules and their promtool unit tests, prometheus.yml as far as promtool 2.42 reads it, and Alertmanager routing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { collectorDir, filesIn, loadRules, readYaml, ruleTestsDir, rulesDir } from './support/collector-files.js';
import { requireTool, runTool } from './support/collector-tools.js';

const SEED_ALERTS = [
  'HighErrorRate', 'HighResponseTime', 'DatabasePoolExhausted', 'HighAuthFailureRate', 'HighCacheMissRate', 'ServiceDown',
  'DatabaseDown', 'SlowDatabaseQueries', 'RedisDown', 'RedisMemoryHigh', 'DiskSpaceLow', 'TLSCertificateExpiring',
];
const PIPELINE_ALERTS = ['TelemetryPipelineFailing', 'OtelCollectorDown'];

void test('the twelve seed alerts and the pipeline alerts exist, each with a routable severity and summary/description/runbook', () => {
  const rules = loadRules();
  const names = rules.map((r) => r.alert);
  for (const name of [...SEED_ALERTS, ...PIPELINE_ALERTS]) assert.ok(names.includes(name), `missing alert ${name}`);
  for (const rule of rules) {
    assert.ok(rule.alert, `${rule.file}: recording rules are not expected here`);
    assert.ok(['critical', 'warning'].includes(rule.labels?.severity ?? ''), `${rule.alert}: severity must be critical or warning (the Alertmanager routes)`);
    for (const key of ['summary', 'description', 'runbook']) assert.ok(rule.annotations?.[key], `${rule.alert}: annotation ${key} missing`);
  }
  assert.equal(new Set(names).size, names.length, 'alert names are unique');
});

void test('alerts that need an app-only signal say in their annotation that the preload emits it', () => {
  const rules = loadRules();
  for (const name of ['HighAuthFailureRate', 'HighCacheMissRate']) {
    const rule = rules.find((r) => r.alert === name);
    assert.match(rule?.annotations?.description ?? '', /preload/, `${name} should name the preload's zero-code counter`);
  }
});

void test('promtool check rules accepts every rule file', async () => {
  const promtool = requireTool('promtool');
  const res = await runTool(promtool, ['check', 'rules', ...filesIn(rulesDir, '.yml')]);
  assert.equal(res.code, 0, res.stdout + res.stderr);
});

void test('promtool test rules passes for every rule test file', async () => {
  const promtool = requireTool('promtool');
  const files = filesIn(ruleTestsDir, '.test.yml');
  assert.ok(files.length >= 3);
  const res = await runTool(promtool, ['test', 'rules', ...files], { cwd: ruleTestsDir });
  assert.equal(res.code, 0, res.stdout + res.stderr);
  assert.doesNotMatch(res.stdout, /FAILED/);
});

void test('every alert has a promtool case where it fires (exact labels and annotations) and one where it does not', () => {
  interface Case { alertname: string; exp_alerts?: Array<{ exp_labels?: Record<string, string>; exp_annotations?: Record<string, string> }> }
  const fires = new Set<string>();
  const quiet = new Set<string>();
  for (const file of filesIn(ruleTestsDir, '.test.yml')) {
    const doc = readYaml<{ tests: Array<{ alert_rule_test?: Case[] }> }>(file);
    for (const t of doc.tests) {
      for (const c of t.alert_rule_test ?? []) {
        if (c.exp_alerts && c.exp_alerts.length > 0) {
          for (const a of c.exp_alerts) {
            assert.ok(a.exp_labels?.severity, `${c.alertname}: expected alerts must pin severity`);
            assert.ok(a.exp_annotations?.summary, `${c.alertname}: expected alerts must pin annotations`);
          }
          fires.add(c.alertname);
        } else {
          quiet.add(c.alertname);
        }
      }
    }
  }
  for (const rule of loadRules()) {
    assert.ok(fires.has(rule.alert!), `${rule.alert}: no promtool case where it fires`);
    assert.ok(quiet.has(rule.alert!), `${rule.alert}: no promtool case where it stays quiet`);
  }
});

for (const rel of ['prometheus/prometheus.yml', 'scale/prometheus.yml']) {
  void test(`promtool check config accepts ${rel} once its Prometheus 3 keys are stripped (promtool 2.42 cannot read otlp:)`, async () => {
    const promtool = requireTool('promtool');
    const config = readYaml<Record<string, unknown>>(path.join(collectorDir, rel));
    assert.ok(config.otlp, `${rel} configures OTLP ingestion`);
    const dir = mkdtempSync(path.join(tmpdir(), 'obs-promcfg-'));
    try {
      // Prometheus 3 only: `otlp:` (and global.scrape_native_histograms, not used). The rest is 2.x-compatible.
      const { otlp: _otlp, ...rest } = config;
      rest.rule_files = [path.join(rulesDir, '*.yml')];
      const file = path.join(dir, 'prometheus.yml');
      writeFileSync(file, stringify(rest));
      const res = await runTool(promtool, ['check', 'config', file]);
      assert.equal(res.code, 0, res.stdout + res.stderr);
      assert.match(res.stdout, /SUCCESS: \d+ rules found/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

void test('prometheus.yml promotes the resource attributes the rules and dashboards group by, with suffixed names', () => {
  const config = readYaml<{ otlp: { translation_strategy: string; promote_resource_attributes: string[] }; storage: { tsdb: { out_of_order_time_window: string } }; rule_files: string[] }>(
    path.join(collectorDir, 'prometheus', 'prometheus.yml'),
  );
  assert.equal(config.otlp.translation_strategy, 'UnderscoreEscapingWithSuffixes');
  for (const attr of ['service.name', 'service.version', 'deployment.environment.name', 'host.name', 'server.address', 'tlscheck.target']) {
    assert.ok(config.otlp.promote_resource_attributes.includes(attr), `promote ${attr}`);
  }
  assert.ok(config.storage.tsdb.out_of_order_time_window, 'out-of-order window for OTLP pushes');
  assert.deepEqual(config.rule_files, ['/etc/prometheus/rules/*.yml']);
});
