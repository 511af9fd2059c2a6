// Log records under the real preload: winston records carry request_id (pino is in signals-request-id;
// bunyan 2, installed here, is outside instrumentation-bunyan's range <2), and the console bridge: off by default, on it exports every console call with
// its severity while the app's own output stays exactly the same.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from './support/fixtures-dir.js';
import { startReceiver } from './support/receiver.js';
import { runFixtureToExit } from './support/spawn.js';
import { startApp, WAIT } from './signals-helpers.js';

test('log context: winston records exported while handling a request carry its request_id and trace', async (t) => {
  const { receiver, base } = await startApp(t, 'signals-app/server.mjs');
  const res = await fetch(`${base}/loggers`, { headers: { 'x-request-id': 'req-loggers' } });
  assert.equal(res.status, 204);
  const server = await receiver.waitForSpan((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/loggers', WAIT);
  const record = await receiver.waitForLog((l) => l.body === 'winston line', WAIT);
  assert.equal(record.attributes.request_id, 'req-loggers');
  assert.equal(record.traceId, server.traceId);
});

async function runConsole(t: { after(fn: () => unknown): void }, capture: string | undefined): Promise<{ stdout: string; stderr: string; bodies: Map<string, string> }> {
  const receiver = await startReceiver(t);
  const result = await runFixtureToExit(fixture('signals-console.mjs'), { env: { ...receiver.envFor(), OBS_CONSOLE_CAPTURE: capture } });
  assert.equal(result.code, 0, result.stderr);
  if (capture === 'true') await receiver.waitFor((r) => r.logs.length >= 5, WAIT);
  const bodies = new Map(receiver.logs.filter((l) => l.scope.name === '@org/obs/console').map((l) => [String(l.body), l.severityText]));
  return { stdout: result.stdout, stderr: result.stderr, bodies };
}

test('console bridge: on, every console method becomes a log record with its severity and the output is unchanged; off by default', async (t) => {
  const plain = await runFixtureToExit(fixture('signals-console.mjs'), { preload: false });
  const on = await runConsole(t, 'true');
  const off = await runConsole(t, undefined);
  assert.equal(on.stdout, plain.stdout);
  assert.equal(on.stderr, plain.stderr);
  assert.equal(off.stdout, plain.stdout);
  assert.equal(off.bodies.size, 0, 'no console records unless OBS_CONSOLE_CAPTURE=true');
  assert.deepEqual(Object.fromEntries(on.bodies), {
    'plain text number 42': 'INFO',
    "{ nested: { a: 1 } } and more": 'INFO',
    'debug line': 'DEBUG',
    'warn line': 'WARN',
    "error line: 'boom'": 'ERROR',
  });
});
