// cluster / PM2 with OTEL_METRICS_EXPORTER=prometheus: every worker's request metrics are scrapeable
// on a port of its own (base + 1 + index), no worker prints "port in use", one line says where.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from './support/fixtures-dir.js';
import { runFixture } from './support/spawn.js';
import { freePort, freePortRun } from './support/free-port.js';

const APP = fixture('cluster-app.mjs');


function requestCount(page: string): number {
  let n = 0;
  for (const m of page.matchAll(/^http_server_request_duration(?:_seconds)?_count\{[^}]*\} (\d+)/gm)) n += Number(m[1]);
  return n;
}

for (const mode of ['node:cluster', 'PM2 (NODE_APP_INSTANCE)']) {
  test(`${mode}: each of two workers serves its own metrics on base + 1 + index; together they count every request`, async (t) => {
    // The workers' ports are derived (base + 1 + index): the bases come from runs of free ports, not from port 0.
    const [appPort, metricsBase, healthBase] = [await freePort(), await freePortRun(3), await freePortRun(3)];
    const pm2 = mode.startsWith('PM2');
    const proc = await runFixture(APP, {
      // Under PM2 the primary is PM2's daemon, which does not run the preload.
      t, args: [String(appPort), ...(pm2 ? ['--pm2'] : [])], waitForStdout: /ready/, preload: !pm2,
      env: {
        OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'prometheus',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsBase), OBS_HEALTH_PORT: String(healthBase),
      },
    });
    // A refused port says which one and what the processes printed.
    const get = (url: string): Promise<Response> => fetch(url).catch((err: unknown) => {
      throw new Error(`${url}: ${String((err as Error).cause ?? err)}\n${proc.stderr}`);
    });
    const pids = new Set<string>();
    for (let i = 0; i < 40; i++) pids.add(await (await fetch(`http://127.0.0.1:${appPort}/items/${i}`, { headers: { connection: 'close' } })).text());
    assert.equal(pids.size, 2, 'both workers answered');
    const counts: number[] = [];
    for (const port of [metricsBase + 1, metricsBase + 2]) {
      const res = await get(`http://127.0.0.1:${port}/metrics`);
      assert.equal(res.status, 200, `worker metrics on ${port}: ${proc.stderr}`);
      counts.push(requestCount(await res.text()));
    }
    t.diagnostic(`requests counted per worker: ${counts.join(', ')}`);
    assert.equal(counts[0] + counts[1], 40);
    assert.ok(counts.every((c) => c > 0));
    if (!pm2) assert.equal((await get(`http://127.0.0.1:${metricsBase}/metrics`)).status, 200, 'the primary keeps the base port');
    // Health probes: the same rule (a worker on healthBase + 1 + index), the primary on healthBase.
    for (const port of [healthBase + 1, healthBase + 2, ...(pm2 ? [] : [healthBase])]) {
      assert.equal((await get(`http://127.0.0.1:${port}/livez`)).status, 200, `probes on ${port}`);
    }
    assert.doesNotMatch(proc.stderr, /in use/);
    assert.equal(proc.stderr.match(/each worker serves its Prometheus metrics/g)?.length, 1, proc.stderr);
  });
}
