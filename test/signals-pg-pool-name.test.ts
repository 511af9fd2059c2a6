// Pool identity: pg pools built from a connectionString are named host:port/database in the pool metrics
// (db.client.connection.*), from the parsed string and never with its credentials.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture, fixturesDir } from './support/fixtures-dir.js';
import { startReceiver } from './support/receiver.js';
import { runFixture } from './support/spawn.js';
import { poolNameFromConnectionString } from '../src/instrumentations/pg-pool-name.js';

test('pool name from a connection string: host, port and database; no user or password; defaults pg would use', () => {
  assert.equal(poolNameFromConnectionString({ connectionString: 'postgresql://app:s3cret@db.internal:6543/orders?sslmode=require' }), 'db.internal:6543/orders');
  assert.equal(poolNameFromConnectionString({ connectionString: 'postgres://app@db/orders' }), 'db:5432/orders');
  assert.equal(poolNameFromConnectionString({ connectionString: 'postgres:///orders?host=/var/run/postgresql' }), '/var/run/postgresql:5432/orders');
  assert.equal(poolNameFromConnectionString({ connectionString: 'postgres://db:5432' , database: 'fallback' }), 'db:5432/fallback');
  assert.equal(poolNameFromConnectionString({ host: 'db' }), undefined);
  assert.equal(poolNameFromConnectionString({ connectionString: 'not a url' }), undefined);
});

test('pool metrics under the preload: pools from connection strings are named from the string, credentials left out', async (t) => {
  const receiver = await startReceiver(t);
  const proc = await runFixture(fixture('pg-pool-name.mjs'), {
    env: { ...receiver.envFor(), OTEL_METRIC_EXPORT_INTERVAL: '500' },
    cwd: fixturesDir,
    waitForStdout: /queried/,
    t,
  });
  const names = (): string[] => [...new Set(receiver.metrics
    .filter((m) => m.name.startsWith('db.client.connection.'))
    .map((m) => String(m.attributes['db.client.connection.pool.name'])))].sort();
  await receiver.waitFor(() => names().length >= 2, { timeoutMs: 20_000, description: 'pool metrics of both pools' });
  assert.deepEqual(names(), ['127.0.0.1:5432/test', 'localhost:5432/test']);
  const max = receiver.metrics.filter((m) => m.name === 'db.client.connection.max').map((m) => [m.attributes['db.client.connection.pool.name'], m.value]);
  assert.deepEqual(new Map(max as [string, number][]), new Map([['127.0.0.1:5432/test', 3], ['localhost:5432/test', 2]]));
  assert.doesNotMatch(JSON.stringify(receiver.metrics), /s3cret-pw|unknown_host/);
  proc.kill('SIGKILL');
});
