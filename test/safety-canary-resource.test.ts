// Canaries in the process's own configuration: OTEL_RESOURCE_ATTRIBUTES items (secret keys, URLs with
// credentials, secret-shaped values) must not reach any signal's resource or target_info on the
// Prometheus page; exporter endpoints with credentials, query and fragment tokens must not reach our
// stderr when exports fail (OTLP/HTTP and gRPC), even at OTEL_LOG_LEVEL=all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leaked, plain, shaped, type Canary } from './support/canaries.js';
import { freePort, ours, runCanaryFixture } from './support/canary-run.js';
import { fixture } from './support/fixtures-dir.js';
import { runFixture } from './support/spawn.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

function keyed(tag: string, n: number): Canary[] {
  return Array.from({ length: n }, () => {
    const v = plain(tag);
    return { shape: tag, value: v, needle: v };
  });
}

const SECRET_KEYS = ['deploy.token', 'db.password', 'app.api_key', 'vcs.credential', 'ci.secret', 'auth.cookie', 'app.session'];

test('OTEL_RESOURCE_ATTRIBUTES: no canary in any signal\'s resource or in target_info', async (t) => {
  const byKey = keyed('res', 28);
  const urls = keyed('resurl', 8);
  const shapes = shaped(56).filter((c) => !c.value.includes('\n')).slice(0, 50);
  const items = [
    'service.name=canary-resource',
    ...byKey.map((c, i) => `${SECRET_KEYS[i % SECRET_KEYS.length]}.${i}=${c.value}`),
    ...urls.map((c, i) => `app.upstream_${i}=${encodeURIComponent(`https://svc:${c.value}@api.example.com/v1?x=1`)}`),
    ...shapes.map((c, i) => `app.note_${i}=${encodeURIComponent(c.value)}`),
  ];
  const run = await runCanaryFixture(t, 'safety-canary-nested.mjs', { keyed: [], shaped: ['nothing secret here'] }, {
    OTEL_RESOURCE_ATTRIBUTES: items.join(','),
  });
  await (await fetch(`${run.base}/run`)).text();
  await run.receiver.waitForSpan('canary nested span', { timeoutMs: 20_000 });
  await run.receiver.waitFor((r) => r.logs.length > 0 && r.metrics.length > 0, { timeoutMs: 20_000 });
  const { otlp, page, output } = await run.finish();

  // Evidence: the attributes are there, values redacted, on every signal and on target_info.
  const span = run.receiver.spans.find((s) => s.name === 'canary nested span')!;
  assert.equal(span.resource['service.name'], 'canary-resource');
  assert.equal(span.resource['deploy.token.0'], 'REDACTED');
  assert.equal(span.resource['app.upstream_0'], 'https://REDACTED@api.example.com/v1?x=REDACTED');
  assert.equal(run.receiver.logs[0].resource['db.password.1'], 'REDACTED');
  assert.match(page, /target_info\{[^}]*deploy_token_0="REDACTED"/);

  const all = [...byKey, ...urls, ...shapes];
  t.diagnostic(`canaries tried: ${all.length} (${byKey.length} by key, ${urls.length} URL credentials, ${shapes.length} by shape)`);
  assert.deepEqual(leaked(otlp, all), [], 'secrets in the exported resource');
  assert.deepEqual(leaked(page, all), [], 'secrets in target_info');
  assert.deepEqual(leaked(output, all), [], 'secrets in the process output');
});

for (const protocol of ['http/protobuf', 'grpc'] as const) {
  test(`failing ${protocol} exporters with credentials and tokens in their endpoints: our stderr names them masked`, async (t) => {
    const closed = await freePort();
    const c = keyed('ep', 12);
    const host = `127.0.0.1:${closed}`;
    const env: Record<string, string> = protocol === 'grpc'
      ? {
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://svc:${c[0].value}@${host}?token=${c[1].value}`,
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `http://${c[2].value}@${host}#access_token=${c[3].value}`,
        OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `http://u:${c[4].value}@${host}/?api_key=${c[5].value}&sig=${c[6].value}`,
      }
      : {
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://svc:${c[0].value}@${host}/v1/traces?token=${c[1].value}`,
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `http://${c[2].value}@${host}/v1/metrics#access_token=${c[3].value}`,
        OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `http://u:${c[4].value}@${host}/v1/logs?api_key=${c[5].value}&sig=${c[6].value}`,
      };
    const dir = mkdtempSync(path.join(tmpdir(), 'obs-canary-'));
    const corpus = path.join(dir, 'corpus.json');
    writeFileSync(corpus, JSON.stringify({ keyed: [], shaped: ['x'] }));
    const proc = await runFixture(fixture('safety-canary-nested.mjs'), {
      t, args: [corpus], waitForStdout: /listening on (\d+)/,
      env: {
        ...env,
        OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer ${c[7].value},x-api-key=${c[8].value}`,
        OTEL_RESOURCE_ATTRIBUTES: `deploy.token=${c[9].value}`,
        OTEL_LOG_LEVEL: 'all',
        OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_BLRP_SCHEDULE_DELAY: '100', OTEL_METRIC_EXPORT_INTERVAL: '300', OTEL_METRIC_EXPORT_TIMEOUT: '300',
        OTEL_EXPORTER_OTLP_TIMEOUT: '500',
      },
    });
    await (await fetch(`http://127.0.0.1:${proc.ready![1]}/run`)).text();
    await (await fetch(`http://127.0.0.1:${proc.ready![1]}/page?code=${c[10].value}`, { headers: { authorization: `Basic ${c[11].value}` } })).text();
    for (const signal of ['traces', 'metrics', 'logs']) {
      await proc.waitForOutput(new RegExp(`${signal} export to \\S+ \\(${protocol.replace('/', '\\/')}\\) failed`), { stream: 'stderr', timeoutMs: 20_000 });
    }
    proc.kill('SIGTERM');
    await proc.exited;
    const failures = ours(proc.stderr).split('\n').filter((l) => / export to .* failed/.test(l));
    assert.ok(failures.some((l) => l.includes(`REDACTED@${host}`)), failures.join('\n'));
    t.diagnostic(`canaries tried: ${c.length}; ${ours(proc.stderr).split('\n').length} lines of ours at OTEL_LOG_LEVEL=all`);
    assert.deepEqual(leaked(proc.stdout + proc.stderr, c), [], 'secrets in the process output');
  });
}
