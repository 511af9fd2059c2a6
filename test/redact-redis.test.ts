// Redis statements by allow-list: known commands keep command and key names, unknown ones the name only;
// values, scripts, subcommand arguments and passwords are never shown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sanitizeRedis } from '../src/redact/redis.js';
import { redisStatementSerializer } from '../src/instrumentations/redis-statement.js';

const CASES: [string, unknown[], string][] = [
  ['SET', ['session:42', 'secret-value', 'EX', 60], 'SET session:42 ?'],
  ['get', ['user:1'], 'GET user:1'],
  ['ZREM', ['leaderboard', 'member-secret'], 'ZREM leaderboard ?'],
  ['SREM', ['set', 'a', 'b'], 'SREM set ?'],
  ['HSET', ['h', 'field', 'value'], 'HSET h ?'],
  ['MSET', ['k1', 'v1', 'k2', 'v2'], 'MSET k1 ? k2 ?'],
  ['EVAL', ["return redis.call('set', KEYS[1], 'secret')", 1, 'k'], 'EVAL ?'],
  ['EVALSHA', ['abc123', 1, 'k', 'argsecret'], 'EVALSHA ?'],
  ['AUTH', ['default', 'p4ssw0rd'], 'AUTH ?'],
  ['HELLO', [3, 'AUTH', 'u', 'p'], 'HELLO ?'],
  ['CONFIG', ['SET', 'requirepass', 'x'], 'CONFIG SET ?'],
  ['CONFIG', ['secretword', 'x'], 'CONFIG ?'],
  ['DEL', ['a', 'b'], 'DEL a b'],
  ['RENAME', ['a', 'b'], 'RENAME a b'],
  ['LMOVE', ['src', 'dst', 'LEFT', 'RIGHT'], 'LMOVE src dst ?'],
  ['XREAD', ['COUNT', 1, 'STREAMS', 's', '0'], 'XREAD ?'],
  ['FOO.BAR', ['secret-arg', 'x'], 'FOO.BAR'],
  ['mycustomcommand', ['secret-arg'], 'MYCUSTOMCOMMAND'],
  ['not a command', ['x'], '?'],
  ['MIGRATE', ['host', 6379, '', 0, 5000, 'AUTH', 'pw', 'KEYS', 'k'], 'MIGRATE ?'],
  ['PING', [], 'PING'],
  ['SET', [Buffer.from('bufkey'), Buffer.from('bufval')], 'SET bufkey ?'],
];

for (const [cmd, args, expected] of CASES) {
  test(`sanitizeRedis ${cmd} ${args.length} args → ${expected}`, () => assert.equal(sanitizeRedis(cmd, args), expected));
}

test('OBS_DB_STATEMENT selects raw, sanitized or off for redis and ioredis alike', () => {
  assert.equal(redisStatementSerializer('sanitized')('set', ['k', 'v']), 'SET k ?');
  assert.equal(redisStatementSerializer('raw')('set', ['k', 'v']), 'set k v');
  assert.equal(redisStatementSerializer('off')('set', ['k', 'v']), '');
});

test('at export, Redis key names pass the text rules: a token in a key name is redacted, the prefix stays', async () => {
  const { createRedactor } = await import('../src/redact/redactor.js');
  const attrs: Record<string, string> = { 'db.system.name': 'redis', 'db.query.text': 'GET reset:Zk3Qm9Xb2Lw8Rt5Yp1Hc7Vn4 ' };
  createRedactor({ extraSecretKeys: [], keepQueryKeys: [], dbStatement: 'sanitized' }).attributes(attrs);
  assert.equal(attrs['db.query.text'], 'GET reset:REDACTED ');
});
