// The canary corpus: 200+ secrets put in URLs, headers, SQL, redis commands, log messages and
// attributes. None may reach anything the collector decodes, the Prometheus page, or our own
// stdout/stderr, at the default log level and at the most verbose one.
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fixture } from './support/fixtures-dir.js';
import { runFixture } from './support/spawn.js';
import { startReceiver } from './support/receiver.js';
import { randomHex } from './support/canaries.js';
import { freePort } from './support/free-port.js';

type Category = 'query' | 'headers' | 'sql' | 'redis' | 'logs' | 'attributes' | 'exceptions' | 'metrics' | 'outgoing';
const SIZES: Record<Category, number> = { query: 40, headers: 30, sql: 30, redis: 30, logs: 25, attributes: 25, exceptions: 5, metrics: 5, outgoing: 20 };

function corpus(): Record<Category, string[]> {
  const out = {} as Record<Category, string[]>;
  for (const [cat, n] of Object.entries(SIZES) as [Category, number][]) {
    // Lower-case letters and digits only: survives SQL, redis, URLs and JSON unescaped, so a leak is a plain substring.
    out[cat] = Array.from({ length: n }, (_, i) => `cnry${cat.slice(0, 3)}${i}z${randomHex(6)}`);
  }
  return out;
}


function leaks(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => text.includes(s));
}

for (const level of ['info', 'all']) {
  test(`canary corpus (OTEL_LOG_LEVEL=${level}): no secret in exported data, on /metrics or in our output`, async (t) => {
    const c = corpus();
    const all = Object.values(c).flat();
    assert.ok(all.length >= 200, `${all.length} canaries`);
    const dir = mkdtempSync(path.join(tmpdir(), 'obs-canary-'));
    const file = path.join(dir, 'corpus.json');
    writeFileSync(file, JSON.stringify(c));

    const receiver = await startReceiver(t);
    const promPort = await freePort();
    const proc = await runFixture(fixture('safety-canary.mjs'), {
      t, args: [file], waitForStdout: /listening on (\d+)/,
      env: {
        ...receiver.envFor(),
        OTEL_LOG_LEVEL: level,
        OTEL_METRICS_EXPORTER: 'otlp,prometheus',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(promPort),
      },
    });
    const base = `http://127.0.0.1:${proc.ready![1]}`;
    // Incoming requests: secrets in query values (any key) and in credential headers.
    for (let i = 0; i < c.query.length; i += 2) {
      await (await fetch(`${base}/page?token=${c.query[i]}&q=${c.query[i + 1]}`)).text();
    }
    for (let i = 0; i < c.headers.length; i += 3) {
      await (await fetch(`${base}/page`, {
        headers: { authorization: `Bearer ${c.headers[i]}`, cookie: `sid=${c.headers[i + 1]}`, 'x-api-key': c.headers[i + 2] },
      })).text();
    }
    assert.equal(await (await fetch(`${base}/run`)).text(), 'ran');

    // Wait until the work is visible downstream, then for a few more export rounds.
    await receiver.waitForSpan('canary attributes', { timeoutMs: 20_000 });
    await receiver.waitFor((r) => r.logs.length >= c.logs.length * 3, { timeoutMs: 20_000 });
    await receiver.waitForMetric('canary.events', { timeoutMs: 20_000 });
    await receiver.waitFor((r) => r.spans.some((s) => s.kind === 'CLIENT' && String(s.attributes['url.full'] ?? '').includes('/echo')), { timeoutMs: 20_000 });
    await new Promise((r) => setTimeout(r, 800));
    const page = await (await fetch(`http://127.0.0.1:${promPort}/metrics`)).text();
    proc.kill('SIGTERM');
    await proc.exited;

    // Evidence that the data did go through the pipeline (so "no leak" is not "nothing sent").
    assert.ok(receiver.spans.some((s) => s.attributes['db.system.name'] === 'postgresql' || s.attributes['db.system'] === 'postgresql'), 'pg spans');
    assert.ok(receiver.spans.some((s) => /redis/.test(String(s.attributes['db.system.name'] ?? s.attributes['db.system']))), 'redis spans');
    assert.ok(receiver.logs.some((l) => /issued token/.test(String(l.body))), 'pino records');
    assert.match(page, /canary_events/);

    const decoded = JSON.stringify([receiver.spans, receiver.metrics, receiver.logs], (_k, v: unknown) =>
      (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? Buffer.from((v as { data: number[] }).data).toString('latin1') : v));
    assert.deepEqual(leaks(decoded, all), [], 'secrets in the exported telemetry');
    assert.deepEqual(leaks(page, all), [], 'secrets on the Prometheus page');
    assert.deepEqual(leaks(proc.stdout + proc.stderr, all), [], 'secrets in the process output');
  });
}
