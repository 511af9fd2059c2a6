// Infrastructure traffic under the real preload: health and metrics paths of the app make no spans and
// no request metrics, our own Prometheus endpoint (which also answers the probes) is never traced, and
// target_info carries service.version and deployment.environment.name (the seed's app_info).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freePort } from './support/collector-daemon.js';
import { latestSeries, settle, startApp, WAIT } from './signals-helpers.js';

const INFRA = ['/health', '/health/', '/healthz', '/ready', '/readyz', '/live', '/livez', '/metrics', '/health/db?verbose=1'];
/** Real routes that only share a word prefix with the infrastructure paths. */
const REAL = ['/items/1', '/items/2', '/items/3', '/healthcare/x', '/healthcare/x', '/live-events', '/live-events'];

test('infrastructure paths: no spans and no request metrics for /health, /health/…, /healthz, /ready, /live, /livez, /metrics, while /healthcare/x and /live-events are real routes; our Prometheus port never traced', async (t) => {
  const promPort = await freePort();
  const { receiver, base } = await startApp(t, 'signals-app/server.mjs', {
    OTEL_METRICS_EXPORTER: 'otlp,prometheus', OTEL_EXPORTER_PROMETHEUS_PORT: String(promPort), NODE_ENV: 'staging',
  });
  for (const path of INFRA) assert.equal((await fetch(base + path)).status, 200, path);
  for (const path of ['/metrics', '/readyz', '/livez', '/startupz']) assert.equal((await fetch(`http://127.0.0.1:${promPort}${path}`)).status, 200, path);
  for (const path of REAL) await fetch(base + path);

  await receiver.waitFor((r) => r.spans.filter((s) => s.kind === 'SERVER').length >= REAL.length, WAIT);
  const want = { '/healthcare/x': 2, '/items/:id': 3, '/live-events': 2 };
  const routes = (): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const { attributes, value } of latestSeries(receiver, 'http.server.request.duration').values()) {
      const r = String(attributes['http.route']);
      out[r] = (out[r] ?? 0) + value;
    }
    return out;
  };
  const sorted = (): Record<string, number> => Object.fromEntries(Object.entries(routes()).sort(([a], [b]) => a.localeCompare(b)));
  assert.deepEqual(await settle(sorted, want), want);
  const serverPaths = receiver.spans.filter((s) => s.kind === 'SERVER').map((s) => String(s.attributes['url.path']));
  assert.deepEqual(serverPaths.sort(), [...REAL].sort());
  assert.ok(!receiver.spans.some((s) => s.attributes['server.port'] === promPort || s.attributes['url.full']?.toString().includes(`:${promPort}`)));
});

test('app_info: target_info on the Prometheus endpoint carries service.version from package.json and deployment.environment.name from NODE_ENV', async (t) => {
  const promPort = await freePort();
  await startApp(t, 'signals-app/server.mjs', { OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_PORT: String(promPort), NODE_ENV: 'staging' });
  const text = await (await fetch(`http://127.0.0.1:${promPort}/metrics`)).text();
  const info = text.split('\n').find((l) => l.startsWith('target_info{'));
  assert.ok(info, text.slice(0, 500));
  assert.match(info, /service_name="signals-app"/);
  assert.match(info, /service_version="4\.5\.6"/);
  assert.match(info, /deployment_environment_name="staging"/);
});
