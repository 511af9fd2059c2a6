// Pins collector/alertmanager/alertmanager.yml: valid for amtool, secrets only from files, severity routing, and inhibition in a real Alertmanager.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { collectorDir, readYaml } from './support/collector-files.js';
import { requireTool, runTool } from './support/collector-tools.js';
import { pollUntil, startDaemon } from './support/collector-daemon.js';

const configFile = path.join(collectorDir, 'alertmanager', 'alertmanager.yml');
const SECRETS_IN_CONTAINER = '/etc/alertmanager/secrets';

/** The config with its secret paths pointed at a scratch copy of the committed *.example secrets. */
function localConfig(dir: string): string {
  const secrets = path.join(dir, 'secrets');
  mkdirSync(secrets, { recursive: true });
  for (const name of ['slack_webhook_url', 'pagerduty_routing_key']) {
    writeFileSync(path.join(secrets, name), readFileSync(path.join(collectorDir, 'secrets', `${name}.example`)));
  }
  const file = path.join(dir, 'alertmanager.yml');
  writeFileSync(file, readFileSync(configFile, 'utf8').replaceAll(SECRETS_IN_CONTAINER, secrets));
  return file;
}

void test('amtool check-config accepts alertmanager.yml', async () => {
  const res = await runTool(requireTool('amtool'), ['check-config', configFile]);
  assert.equal(res.code, 0, res.stdout + res.stderr);
  assert.match(res.stdout, /SUCCESS/);
});

void test('alertmanager.yml holds no inline Slack URL or PagerDuty key: both come from files', () => {
  const text = readFileSync(configFile, 'utf8');
  assert.doesNotMatch(text, /hooks\.slack\.com/);
  assert.doesNotMatch(text, /^\s*(api_url|routing_key|service_key|slack_api_url)\s*:/m);
  const doc = readYaml<{ global: Record<string, string>; receivers: Array<{ name: string; pagerduty_configs?: Array<Record<string, unknown>>; slack_configs?: Array<Record<string, unknown>> }> }>(configFile);
  assert.equal(doc.global.slack_api_url_file, `${SECRETS_IN_CONTAINER}/slack_webhook_url`);
  for (const r of doc.receivers) {
    for (const pd of r.pagerduty_configs ?? []) assert.equal(pd.routing_key_file, `${SECRETS_IN_CONTAINER}/pagerduty_routing_key`);
  }
});

void test('critical alerts route to PagerDuty and Slack, warnings to Slack only', async () => {
  const amtool = requireTool('amtool');
  const critical = await runTool(amtool, ['config', 'routes', 'test', `--config.file=${configFile}`, 'severity=critical', 'alertname=HighErrorRate', 'job=shop']);
  assert.equal(critical.code, 0, critical.stderr);
  assert.equal(critical.stdout.trim(), 'pagerduty-and-slack');
  const warning = await runTool(amtool, ['config', 'routes', 'test', `--config.file=${configFile}`, 'severity=warning', 'alertname=HighResponseTime', 'job=shop']);
  assert.equal(warning.code, 0, warning.stderr);
  assert.equal(warning.stdout.trim(), 'slack-warnings');

  const doc = readYaml<{ receivers: Array<{ name: string; pagerduty_configs?: unknown[]; slack_configs?: unknown[] }> }>(configFile);
  const pagerAndSlack = doc.receivers.find((r) => r.name === 'pagerduty-and-slack');
  const slackOnly = doc.receivers.find((r) => r.name === 'slack-warnings');
  assert.ok(pagerAndSlack?.pagerduty_configs?.length && pagerAndSlack.slack_configs?.length);
  assert.ok(slackOnly?.slack_configs?.length && !slackOnly.pagerduty_configs);
});

void test('in a real Alertmanager, ServiceDown inhibits HighErrorRate of the same service only', async (t) => {
  const am = await startDaemon(
    t,
    requireTool('prometheus-alertmanager'),
    (port, dir) => [
      `--config.file=${localConfig(dir)}`,
      `--storage.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // No gossip: a test instance must not bind 9094 or find peers.
      '--cluster.listen-address=',
    ],
    { prefix: 'obs-am-' },
  );
  const now = new Date().toISOString();
  const alert = (alertname: string, severity: string, job: string) => ({ labels: { alertname, severity, job }, annotations: { summary: alertname }, startsAt: now });
  const post = await fetch(`${am.url}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([alert('ServiceDown', 'critical', 'shop'), alert('HighErrorRate', 'critical', 'shop'), alert('HighErrorRate', 'critical', 'billing')]),
  });
  assert.equal(post.status, 200);

  interface AmAlert { labels: Record<string, string>; status: { state: string; inhibitedBy: string[] } }
  const alerts = await pollUntil(
    async () => {
      const list = (await (await fetch(`${am.url}/api/v2/alerts`)).json()) as AmAlert[];
      const shopErrors = list.find((a) => a.labels.alertname === 'HighErrorRate' && a.labels.job === 'shop');
      return list.length === 3 && shopErrors?.status.state === 'suppressed' ? list : undefined;
    },
    { timeoutMs: 15_000, describe: () => `HighErrorRate{job=shop} never suppressed; output:\n${am.output().slice(-2000)}` },
  );
  const state = (name: string, job: string) => alerts.find((a) => a.labels.alertname === name && a.labels.job === job)?.status;
  assert.equal(state('HighErrorRate', 'shop')?.inhibitedBy.length, 1);
  assert.equal(state('HighErrorRate', 'billing')?.state, 'active');
  assert.equal(state('ServiceDown', 'shop')?.state, 'active');
});
