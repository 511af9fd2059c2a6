// cache.lookups under the real preload against the real Redis: hit and miss counts per command equal
// what the fixture did, through node-redis (including MULTI) and ioredis (including a pipeline).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from './support/fixtures-dir.js';
import { startReceiver } from './support/receiver.js';
import { runFixtureToExit } from './support/spawn.js';
import { latestSeries, settle } from './signals-helpers.js';

// The fixture's reads, by command: [hits, misses].
const EXPECTED: Record<string, [number, number]> = {
  GET: [2, 2], MGET: [1, 2], HGET: [1, 1], HGETALL: [1, 1], HMGET: [1, 1], EXISTS: [1, 1], SISMEMBER: [1, 1],
};

const CASES = [
  { client: 'redis', env: {}, label: 'redis' },
  { client: 'ioredis', env: {}, label: 'ioredis' },
  // The counts come from reply hooks, not from spans: they hold with tracing off.
  { client: 'ioredis', env: { OTEL_TRACES_EXPORTER: 'none' }, label: 'ioredis, OTEL_TRACES_EXPORTER=none' },
] as const;

for (const { client, env, label } of CASES) {
  test(`cache lookups (${label}): hits and misses per read command equal the fixture's reads; writes are not counted`, async (t) => {
    const receiver = await startReceiver(t);
    const result = await runFixtureToExit(fixture('signals-cache.mjs'), {
      env: { ...receiver.envFor(), ...env, CLIENT: client, KEY_PREFIX: `obs-signals-${label.replace(/\W+/g, '-')}-${process.pid}` },
    });
    assert.equal(result.code, 0, result.stderr);
    const snapshot = (): Record<string, [number, number]> => {
      const out: Record<string, [number, number]> = {};
      for (const { attributes, value } of latestSeries(receiver, 'cache.lookups').values()) {
        assert.equal(attributes['db.system.name'], 'redis');
        const op = String(attributes['db.operation.name']);
        out[op] ??= [0, 0];
        out[op][attributes['cache.result'] === 'hit' ? 0 : 1] += value;
      }
      return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
    };
    const want = Object.fromEntries(Object.entries(EXPECTED).sort(([a], [b]) => a.localeCompare(b)));
    assert.deepEqual(await settle(snapshot, want), want);
    const point = receiver.metrics.find((p) => p.name === 'cache.lookups');
    assert.equal(point?.unit, '{lookup}');
    assert.equal(point?.monotonic, true);
  });
}
