// ioredis: a command queued before `ready` (first use, right after a reconnect) is one span under its
// parent and one cache count, not an extra orphan root span (open-telemetry/opentelemetry-js-contrib#288).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from './support/fixtures-dir.js';
import { startReceiver } from './support/receiver.js';
import { runFixtureToExit } from './support/spawn.js';
import { settle, total } from './signals-helpers.js';

test('ioredis: commands sent from the offline queue give one span each, parented, and one cache lookup each', async (t) => {
  const receiver = await startReceiver(t);
  const result = await runFixtureToExit(fixture('ioredis-offline-queue.mjs'), { env: { ...receiver.envFor(), KEY: `obs-offline-${process.pid}` } });
  assert.equal(result.code, 0, result.stderr);
  const parents = await receiver.waitFor((r) => {
    const p = r.spans.filter((s) => s.name === 'first-use' || s.name === 'after-reconnect');
    return p.length === 2 ? p : undefined;
  }, { description: 'both parent spans' });
  // Give a duplicate the time to arrive if there were one.
  await new Promise((r) => setTimeout(r, 500));
  const gets = receiver.spans.filter((s) => s.name === 'get');
  assert.equal(gets.length, 2, `get spans: ${gets.map((s) => `${s.traceId}/${s.parentSpanId || 'root'}`).join(', ')}`);
  for (const parent of parents) {
    const children = gets.filter((g) => g.parentSpanId === parent.spanId && g.traceId === parent.traceId);
    assert.equal(children.length, 1, `one get under ${parent.name}`);
  }
  assert.equal(await settle(() => total(receiver, 'cache.lookups', { 'db.operation.name': 'GET' }), 2), 2);
});
