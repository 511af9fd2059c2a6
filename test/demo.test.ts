// `npm run demo` in its bounded, non-interactive mode (the runner itself; npm test has built dist/):
// the summary must show one trace with http, pg and redis spans, metrics and correlated logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { repoRoot } from './support/fixtures-dir.js';
import { runFixtureToExit } from './support/spawn.js';

const runner = path.join(repoRoot, 'examples', 'demo', 'run.mjs');
const hasPreload = existsSync(path.join(repoRoot, 'dist', 'register.js'));
const skip = !hasPreload && 'dist/register.js not built';

function traceBlock(stdout: string, shortId: string): string {
  const start = stdout.indexOf(`── trace ${shortId}`);
  assert.ok(start >= 0, `no tree for trace ${shortId} in:\n${stdout}`);
  const end = stdout.indexOf('\n\n', start);
  return stdout.slice(start, end < 0 ? undefined : end);
}

test('demo (embedded PostgreSQL, Redis): one trace shows http → pg → redis; metrics and logs follow', { skip }, async () => {
  const res = await runFixtureToExit(runner, {
    preload: false,
    cwd: repoRoot,
    args: ['--duration', '5', '--no-color'],
    env: { DATABASE_URL: undefined, REDIS_URL: 'redis://127.0.0.1:6379' },
    timeoutMs: 150_000,
  });
  assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
  const out = res.stdout;
  assert.match(out, /PostgreSQL embedded, postgres:\/\/127\.0\.0\.1:\d+\/postgres/);
  const full = /✓ http → pg → redis in one trace: ([0-9a-f]{8})/.exec(out);
  assert.ok(full, out);
  const tree = traceBlock(out, full[1] as string);
  assert.match(tree, /^GET \/api\/v1\/quotes\/:symbol +server 200/m);
  assert.match(tree, /^ *[├└]─ .*client postgresql/m);
  assert.match(tree, /^ *[├└]─ get +client redis/m);
  assert.match(tree, /^ *[├└]─ set +client redis/m);
  assert.match(out, /^http\.server\.request\.duration +histogram$/m);
  assert.match(out, /^trades\.processed +counter$/m);
  // The service column (quant-demo) leaves the body less room at 80 columns: it may end in an ellipsis.
  assert.match(out, new RegExp(`INFO +quant-demo +quote cache miss: computing from.* +trace ${full[1]}`));
  assert.match(out, /scrape http:\/\/127\.0\.0\.1:\d+\/metrics/);
  for (const line of out.split('\n')) assert.ok(line.length <= 80, `wider than 80 columns: ${line}`);
});

test('demo with DATABASE_URL and no Redis: says the cache is off and still shows http → pg', { skip }, async (t) => {
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
  await admin.connect();
  const db = `obs_demo_${process.pid}`;
  await admin.query(`DROP DATABASE IF EXISTS ${db}`);
  await admin.query(`CREATE DATABASE ${db}`);
  t.after(async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await admin.end();
  });
  const res = await runFixtureToExit(runner, {
    preload: false,
    cwd: repoRoot,
    args: ['--duration', '3', '--no-color'],
    env: { DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${db}`, REDIS_URL: 'redis://127.0.0.1:1' },
    timeoutMs: 120_000,
  });
  assert.equal(res.code, 0, `${res.stdout}\n${res.stderr}`);
  assert.match(res.stdout, /Redis\s+not reachable at redis:\/\/127\.0\.0\.1:1: quote cache is off/);
  assert.match(res.stdout, /PostgreSQL from DATABASE_URL/);
  const block = res.stdout.slice(res.stdout.indexOf('A request that queried PostgreSQL'));
  assert.match(block, /^ *[├└]─ .*client postgresql/m, res.stdout);
  assert.doesNotMatch(res.stdout, /client redis/);
});
