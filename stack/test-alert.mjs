// The seed's "Test alerts" step: push one alert into the running Alertmanager, let its real route and
// receivers handle it, and report which receivers it was routed to and which integrations delivered it.
import { setTimeout as sleep } from 'node:timers/promises';
import YAML from 'yaml';
import { PORTS } from './configs.mjs';

const am = `http://127.0.0.1:${PORTS.alertmanager}`;

/**
 * integration → { sent, failed } HTTP requests to the receivers, from Alertmanager's own counters. Per request,
 * not per notification: a notification counts before it is sent and fails only after all its retries.
 */
async function notificationCounts() {
  const text = await (await fetch(`${am}/metrics`)).text();
  const out = {};
  for (const line of text.split('\n')) {
    const m = /^alertmanager_notification_requests(_failed)?_total\{([^}]*)\} (\S+)$/.exec(line);
    const integration = m && /integration="([^"]+)"/.exec(m[2])?.[1];
    if (!integration) continue;
    out[integration] ??= { sent: 0, failed: 0 };
    out[integration][m[1] ? 'failed' : 'sent'] += Number(m[3]);
  }
  return out;
}

/** The integrations (slack, pagerduty, ...) each receiver of the loaded config has. */
async function receiverIntegrations() {
  const status = await (await fetch(`${am}/api/v2/status`)).json();
  const config = YAML.parse(status.config.original);
  const out = {};
  for (const r of config.receivers ?? []) {
    out[r.name] = Object.keys(r).filter((k) => k.endsWith('_configs')).map((k) => k.slice(0, -'_configs'.length));
  }
  return out;
}

export async function testAlert({ severity = 'critical', timeoutMs = 60_000 } = {}) {
  const before = await notificationCounts();
  const integrationsOf = await receiverIntegrations();
  const labels = { alertname: 'ObsStackTestAlert', severity, job: 'obs-stack-self-test', test_id: String(Date.now()) };
  const alert = {
    labels,
    annotations: { summary: 'Test alert from npm run stack -- test-alert', description: 'Ignore: checks the Alertmanager route and receivers.', runbook: 'None: this is a test.' },
    startsAt: new Date().toISOString(),
    endsAt: new Date(Date.now() + 5 * 60_000).toISOString(),
  };
  const res = await fetch(`${am}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([alert]) });
  if (!res.ok) throw new Error(`Alertmanager refused the test alert: ${res.status} ${await res.text()}`);

  // Routing is immediate; delivery waits for the route's group_wait.
  let receivers = [];
  const deadline = Date.now() + timeoutMs;
  while (receivers.length === 0 && Date.now() < deadline) {
    const alerts = await (await fetch(`${am}/api/v2/alerts?filter=test_id%3D%22${labels.test_id}%22`)).json();
    receivers = alerts[0]?.receivers?.map((r) => r.name) ?? [];
    if (receivers.length === 0) await sleep(250);
  }
  const expected = [...new Set(receivers.flatMap((r) => integrationsOf[r] ?? []))];
  let delta = {};
  while (Date.now() < deadline) {
    const now = await notificationCounts();
    delta = Object.fromEntries(expected.map((i) => [i, { sent: (now[i]?.sent ?? 0) - (before[i]?.sent ?? 0), failed: (now[i]?.failed ?? 0) - (before[i]?.failed ?? 0) }]));
    // Delivered: a request that did not fail. Failing ones are retried until the deadline.
    if (expected.every((i) => delta[i].sent - delta[i].failed > 0)) break;
    await sleep(1000);
  }
  const delivered = (i) => delta[i].sent - delta[i].failed > 0;
  const ok = expected.length > 0 && expected.every(delivered);
  const lines = [`test alert ${labels.alertname} severity=${severity} routed to: ${receivers.join(', ') || '(none)'}`];
  for (const i of expected) lines.push(`  ${i.padEnd(10)} requests ${delta[i].sent}, failed ${delta[i].failed}${delivered(i) ? '  delivered' : '  NOT delivered (see the alertmanager log; are the secrets set?)'}`);
  return { ok, labels, receivers, integrations: delta, text: lines.join('\n') };
}
