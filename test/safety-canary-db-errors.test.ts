// Canaries echoed back by real servers: PostgreSQL error messages, DETAIL and CONTEXT carrying bind
// values and SQL literals (invalid input, unique / foreign-key / check / not-null violations, syntax
// errors near a literal, JSON and array parsing), and Redis error replies echoing arguments of
// unknown commands, subcommands and CONFIG SET. Recorded by the instrumentations (span status,
// exception events), by the app (recordException) and in pino records (`{ err }` and text lines).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leaked, plain, type Canary } from './support/canaries.js';
import { ours, runCanaryFixture } from './support/canary-run.js';

function canaries(tag: string, n: number): Canary[] {
  return Array.from({ length: n }, () => {
    const v = plain(tag);
    return { shape: `${tag} error`, value: v, needle: v };
  });
}

test('database and Redis error text: no echoed value leaves the process', async (t) => {
  const pgList = canaries('pg', 130);
  const redisList = canaries('rd', 60);
  const run = await runCanaryFixture(t, 'safety-canary-db.mjs', { pg: pgList.map((c) => c.value), redis: redisList.map((c) => c.value) });
  const res = await fetch(`${run.base}/run`);
  const body = await res.text();
  assert.equal(res.status, 200, body);
  const counts = JSON.parse(body) as { pgErrors: number; redisErrors: number };
  assert.deepEqual(counts, { pgErrors: pgList.length, redisErrors: redisList.length });

  await run.receiver.waitForSpan('canary db errors', { timeoutMs: 20_000 });
  await run.receiver.waitFor((r) => r.logs.length >= 2 * (pgList.length + redisList.length), { timeoutMs: 30_000 });
  const { otlp, page, output } = await run.finish();

  // Evidence: the errors were recorded with their shape (the servers' wording, our redaction marks).
  for (const shape of ['invalid input syntax for type integer: \\"REDACTED\\"', 'Key (email)=(REDACTED) already exists', 'Failing row contains (REDACTED)',
    "with args beginning with: 'REDACTED'", 'at or near \\"REDACTED\\"', 'CANARYNOSUCHCMD']) {
    assert.ok(otlp.includes(shape), `exported: ${shape}`);
  }
  const statuses = run.receiver.spans.filter((s) => s.status.code === 'ERROR' && /postgres/.test(String(s.attributes['db.system.name'] ?? s.attributes['db.system'])));
  assert.ok(statuses.length >= pgList.length, `${statuses.length} failed pg spans`);

  const all = [...pgList, ...redisList];
  t.diagnostic(`canaries tried: ${all.length} (${pgList.length} PostgreSQL, ${redisList.length} Redis)`);
  assert.deepEqual(leaked(otlp, all), [], 'secrets in the exported telemetry');
  assert.deepEqual(leaked(page, all), [], 'secrets on the Prometheus page');
  assert.deepEqual(leaked(ours(output), all), [], 'secrets in our own output');
  assert.deepEqual(leaked(output, all), [], 'secrets in the process output');
});
