// The proof that matters most: the bundled alert rules, loaded into a real Prometheus that scrapes a real service
// running under the real preload, stay quiet on good traffic and go pending/firing once 5xx and slow requests start.
// The pull endpoint emits the stack path's names (asserted below against docs/metrics.md, whose names are in turn
// checked against Prometheus's OTLP translation in collector-promql.test.ts), so the rules hold for both roads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { fixture } from './support/fixtures-dir.js';
import { runFixture } from './support/spawn.js';
import { rulesDir } from './support/collector-files.js';
import { freePort, pollUntil, startDaemon, type Daemon } from './support/collector-daemon.js';
import { readMetricsDoc, seriesNames } from './support/collector-metrics-doc.js';
import { requireTool } from './support/collector-tools.js';

const SERVICE = 'collector-live';

interface PromAlert {
  labels: Record<string, string>;
  state: 'pending' | 'firing';
  activeAt: string;
}

async function promGet<T>(prom: Daemon, pathAndQuery: string): Promise<T> {
  const res = await fetch(`${prom.url}${pathAndQuery}`);
  const body = (await res.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${pathAndQuery}: ${body.error ?? res.status}`);
  return body.data;
}

async function query(prom: Daemon, expr: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const data = await promGet<{ result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(prom, `/api/v1/query?query=${encodeURIComponent(expr)}`);
  return data.result;
}

async function serviceAlerts(prom: Daemon): Promise<PromAlert[]> {
  const data = await promGet<{ alerts: PromAlert[] }>(prom, '/api/v1/alerts');
  return data.alerts.filter((a) => a.labels.job === SERVICE);
}

/** Fires the request mix every `everyMs` in the background; stop() resolves once in-flight requests settle. */
function drive(base: string, mix: string[], everyMs: number): { stop: () => Promise<void>; sent: () => number } {
  let running = true;
  let sent = 0;
  const inflight = new Set<Promise<unknown>>();
  const loop = (async () => {
    while (running) {
      for (const p of mix) {
        const r = fetch(base + p)
          .then((res) => res.arrayBuffer())
          .catch(() => undefined);
        inflight.add(r);
        void r.finally(() => inflight.delete(r));
        sent += 1;
      }
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    sent: () => sent,
    stop: async () => {
      running = false;
      await loop;
      await Promise.allSettled([...inflight]);
    },
  };
}

void test('bundled rules on real preload data: quiet on good traffic, HighErrorRate and HighResponseTime go pending/firing on 5xx and slow requests, ServiceDown when it stops', { timeout: 150_000 }, async (t) => {
  const prometheusBin = requireTool('prometheus');
  const metricsPort = await freePort();
  const app = await runFixture(fixture('collector-app', 'server.mjs'), {
    t,
    env: {
      OTEL_SERVICE_NAME: SERVICE,
      OTEL_METRICS_EXPORTER: 'prometheus',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      SLOW_MS: '1500',
    },
    waitForStdout: /listening on (\d+)/,
    timeoutMs: 140_000,
  });
  const base = `http://127.0.0.1:${app.ready![1]}`;
  await pollUntil(async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).ok, {
    timeoutMs: 20_000,
    describe: () => `the preload's /metrics on :${metricsPort} never answered; app stderr:\n${app.stderr}`,
  });

  const prom = await startDaemon(
    t,
    prometheusBin,
    (port, dir) => {
      const config = {
        global: { scrape_interval: '1s', scrape_timeout: '900ms', evaluation_interval: '1s' },
        rule_files: [path.join(rulesDir, '*.yml')],
        // Pull road: the job is named after the service, as collector/README.md tells users to do.
        scrape_configs: [{ job_name: SERVICE, static_configs: [{ targets: [`127.0.0.1:${metricsPort}`] }] }],
      };
      writeFileSync(path.join(dir, 'prometheus.yml'), stringify(config));
      return [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn',
      ];
    },
    { prefix: 'obs-prom-' },
  );
  const rules = await promGet<{ groups: Array<{ rules: Array<{ name: string }> }> }>(prom, '/api/v1/rules');
  const loaded = rules.groups.flatMap((g) => g.rules.map((r) => r.name));
  for (const name of ['HighErrorRate', 'HighResponseTime', 'ServiceDown']) assert.ok(loaded.includes(name), `rule ${name} loaded`);

  // Phase 1: good traffic only. Wait until Prometheus has a request rate for the service and has evaluated the
  // rules on it a few times, then nothing may be pending or firing.
  const good = drive(base, ['/ok', '/ok', '/users/1', '/users/2'], 100);
  await pollUntil(
    async () => {
      const r = await query(prom, `sum(rate(http_server_request_duration_seconds_count{job="${SERVICE}"}[5m])) > 0`);
      return r.length === 1;
    },
    { timeoutMs: 30_000, describe: () => `no request rate for ${SERVICE} in Prometheus; targets: ${JSON.stringify(app.stderr.slice(-500))}` },
  );
  const evaluatedAfter = Date.now();
  await pollUntil(
    async () => {
      const g = await promGet<{ groups: Array<{ name: string; lastEvaluation: string }> }>(prom, '/api/v1/rules');
      const service = g.groups.find((x) => x.name === 'service');
      return service && Date.parse(service.lastEvaluation) > evaluatedAfter + 2000;
    },
    { timeoutMs: 20_000, describe: () => 'the service rule group was not evaluated after the good traffic started' },
  );
  const quiet = await serviceAlerts(prom);
  assert.deepEqual(quiet.map((a) => `${a.labels.alertname}:${a.state}`), [], 'no alert on good traffic');
  // The service is up and scraped: ServiceDown is quiet too (its expression returns nothing).
  assert.deepEqual(await query(prom, `(time() - max by (job) (max_over_time(timestamp(target_info{job="${SERVICE}"})[1h:15s]))) > 150`), []);

  // The names Prometheus stored for this service are exactly the documented ones.
  const doc = readMetricsDoc();
  const documented = new Set([...doc.values()].flatMap(seriesNames));
  const stored = (await query(prom, `count by (__name__) ({job="${SERVICE}"})`)).map((r) => r.metric.__name__);
  const own = stored.filter((n) => n !== 'up' && !n.startsWith('scrape_'));
  assert.deepEqual(own.filter((n) => !documented.has(n)), [], 'every name the preload exposes is in docs/metrics.md');
  for (const m of ['http_server_request_duration_seconds', 'nodejs_eventloop_delay_p99_seconds', 'nodejs_eventloop_utilization_ratio', 'v8js_memory_heap_used_bytes', 'target_info']) {
    for (const s of seriesNames(doc.get(m)!)) assert.ok(stored.includes(s), `${s} scraped from the preload`);
  }
  const httpLabels = new Set((await query(prom, `http_server_request_duration_seconds_count{job="${SERVICE}"}`)).flatMap((r) => Object.keys(r.metric)));
  const allowed = new Set(['__name__', 'job', 'instance', ...doc.get('http_server_request_duration_seconds')!.labels]);
  assert.deepEqual([...httpLabels].filter((l) => !allowed.has(l)), [], 'http server labels are the documented ones');

  // Phase 2: 5xx errors and slow (1.5 s) requests on top of the good traffic.
  await good.stop();
  const errorsStart = Date.now();
  const bad = drive(base, ['/ok', '/ok', '/users/3', '/ok', '/fail', '/fail', '/slow'], 200);
  try {
    const fired = await pollUntil(
      async () => {
        const alerts = await serviceAlerts(prom);
        const byName = new Map(alerts.map((a) => [a.labels.alertname, a]));
        return byName.has('HighErrorRate') && byName.has('HighResponseTime') ? byName : undefined;
      },
      { timeoutMs: 60_000, describe: () => `HighErrorRate and HighResponseTime did not both go pending/firing; sent ${bad.sent()} requests` },
    );
    for (const name of ['HighErrorRate', 'HighResponseTime']) {
      const a = fired.get(name)!;
      assert.ok(a.state === 'pending' || a.state === 'firing', `${name} is ${a.state}`);
      assert.deepEqual(Object.keys(a.labels).sort(), ['alertname', 'job', 'severity']);
      // Became active only after the errors started (1 s slack: Prometheus stamps activeAt at evaluation time).
      assert.ok(Date.parse(a.activeAt) >= errorsStart - 1000, `${name} active at ${a.activeAt}, errors started ${new Date(errorsStart).toISOString()}`);
    }
    assert.equal(fired.get('HighErrorRate')!.labels.severity, 'critical');
    assert.equal(fired.get('HighResponseTime')!.labels.severity, 'warning');
    const ratio = await query(prom, `sum(rate(http_server_request_duration_seconds_count{job="${SERVICE}", http_response_status_code=~"5.."}[5m])) / sum(rate(http_server_request_duration_seconds_count{job="${SERVICE}"}[5m]))`);
    assert.ok(Number(ratio[0].value[1]) > 0.05, `5xx share ${ratio[0]?.value[1]}`);
  } finally {
    await bad.stop();
  }

  // Phase 3: the service goes away. On the pull road `up` turns 0 and ServiceDown goes pending for its job.
  app.kill('SIGTERM');
  await app.exited;
  const down = await pollUntil(
    async () => (await serviceAlerts(prom)).find((a) => a.labels.alertname === 'ServiceDown'),
    { timeoutMs: 30_000, describe: () => 'ServiceDown did not go pending after the service stopped' },
  );
  assert.deepEqual(down.labels, { alertname: 'ServiceDown', job: SERVICE, severity: 'critical' });
});
