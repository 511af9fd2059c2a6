// An app that starts its own SDK besides ours: one SDK per process. Ours stays registered (the app's
// registration is refused by the API), its telemetry still flows, and one line says what happened.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from './support/fixtures-dir.js';
import { startReceiver } from './support/receiver.js';
import { runFixtureToExit } from './support/spawn.js';

test('an app registering its own tracer provider: ours stays, the request is traced by us, one line on stderr', async (t) => {
  const receiver = await startReceiver(t);
  const result = await runFixtureToExit(fixture('e2e-own-sdk.mjs'), { env: receiver.envFor() });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /app registration accepted: false/);
  await receiver.waitForSpan((s) => s.kind === 'SERVER' && s.attributes['url.path'] === '/own-sdk');
  // Only our one line about it: no raw "Attempted duplicate registration" stack from the API.
  const lines = result.stderr.split('\n').filter((l) => /registered its own|duplicate registration/i.test(l));
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0], /^@org\/obs: the app registered its own OpenTelemetry trace global after @org\/obs; ours stays/);
});
