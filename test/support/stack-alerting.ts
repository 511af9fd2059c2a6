// Alert delivery through the real Alertmanager and its shipped route: alerts posted to its API, and what the
// Slack and PagerDuty stand-ins then received.
import assert from 'node:assert/strict';
import { AM, getJson, waitFor } from './stack-run.js';
import type { Received, StandIn } from './stack-standins.js';

const annotations = (name: string) => ({
  summary: `${name} summary`,
  description: `${name} description`,
  runbook: `${name} runbook`,
});

const ALERTS = [
  { labels: { alertname: 'StackTestCritical', severity: 'critical', job: 'stack-critical' }, annotations: annotations('StackTestCritical') },
  { labels: { alertname: 'StackTestWarning', severity: 'warning', job: 'stack-warning' }, annotations: annotations('StackTestWarning') },
  // ServiceDown inhibits HighErrorRate of the same job (alertmanager.yml inhibit_rules).
  { labels: { alertname: 'ServiceDown', severity: 'critical', job: 'stack-inhibit' }, annotations: annotations('ServiceDown') },
  { labels: { alertname: 'HighErrorRate', severity: 'critical', job: 'stack-inhibit' }, annotations: annotations('HighErrorRate') },
];

/** Posts the alerts; resolves when Alertmanager holds them (delivery follows after the route's group_wait). */
export async function postTestAlerts(): Promise<number> {
  const now = Date.now();
  const body = ALERTS.map((a) => ({ ...a, startsAt: new Date(now).toISOString(), endsAt: new Date(now + 10 * 60_000).toISOString() }));
  const res = await fetch(`${AM}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200, await res.text());
  await waitFor(async () => (await getJson(`${AM}/api/v2/alerts?filter=job%3D~%22stack-.*%22`)).length >= ALERTS.length, 10_000, () => 'Alertmanager did not keep the posted alerts');
  return now;
}

const slackFor = (rx: Received[], alertname: string, job: string): Received[] =>
  rx.filter((r) => (r.body?.attachments ?? []).some((a: { title?: string }) => a.title?.includes(alertname) && a.title.includes(job)));
const pagerFor = (rx: Received[], summary: string): Received[] => rx.filter((r) => r.body?.payload?.summary === summary);

export async function checkDeliveries(_postedAt: number, slack: StandIn, pagerduty: StandIn): Promise<void> {
  await waitFor(async () => slackFor(slack.received, 'StackTestCritical', 'stack-critical').length > 0 && pagerFor(pagerduty.received, 'StackTestCritical summary').length > 0
    && slackFor(slack.received, 'StackTestWarning', 'stack-warning').length > 0 && slackFor(slack.received, 'ServiceDown', 'stack-inhibit').length > 0,
  90_000, () => `stand-ins got slack=${JSON.stringify(slack.received.map((r) => r.body?.attachments?.[0]?.title))} pagerduty=${JSON.stringify(pagerduty.received.map((r) => r.body?.payload?.summary))}`);

  // Critical → PagerDuty (Events API v2 fields) and Slack #alerts-critical.
  const page = pagerFor(pagerduty.received, 'StackTestCritical summary')[0].body;
  assert.equal(page.routing_key, 'stack-test-routing-key');
  assert.equal(page.event_action, 'trigger');
  assert.equal(page.payload.severity, 'critical');
  assert.equal(page.payload.custom_details.runbook, 'StackTestCritical runbook');
  assert.equal(page.payload.custom_details.description, 'StackTestCritical description');
  const critical = slackFor(slack.received, 'StackTestCritical', 'stack-critical')[0].body;
  assert.equal(critical.channel, '#alerts-critical');
  assert.match(critical.attachments[0].title, /^\[FIRING\] StackTestCritical stack-critical$/);
  assert.match(critical.attachments[0].text, /StackTestCritical summary: StackTestCritical description\nRunbook: StackTestCritical runbook/);
  assert.equal(critical.attachments[0].color, '#ff0000');

  // Warning → Slack #alerts only.
  const warning = slackFor(slack.received, 'StackTestWarning', 'stack-warning')[0].body;
  assert.equal(warning.channel, '#alerts');
  assert.equal(warning.attachments[0].color, '#ff9900');
  assert.equal(pagerFor(pagerduty.received, 'StackTestWarning summary').length, 0, 'a warning paged');

  // Inhibited: ServiceDown of the same job went out, its HighErrorRate went nowhere.
  assert.ok(pagerFor(pagerduty.received, 'ServiceDown summary').length > 0, 'the inhibiting ServiceDown did not page');
  const everything = JSON.stringify([...slack.received, ...pagerduty.received].map((r) => r.body));
  assert.ok(!/HighErrorRate summary/.test(everything), 'the inhibited HighErrorRate was delivered');
  assert.equal(slackFor(slack.received, 'HighErrorRate', 'stack-inhibit').length, 0);
}
