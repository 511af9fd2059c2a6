// Another SDK registered its globals before the preload started: start() gives up as a whole. One
// line says so, nothing of ours stays registered or running, and the app runs and exits as it would.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture } from './support/fixtures-dir.js';
import { startReceiver } from './support/receiver.js';
import { runFixtureToExit } from './support/spawn.js';

test('another SDK registered first: one "failed to start" line, our globals rolled back, the app runs untouched', async (t) => {
  const receiver = await startReceiver(t);
  const result = await runFixtureToExit(fixture('sdk-first-app.mjs'), {
    env: receiver.envFor(),
    nodeArgs: ['--import', fixture('other-sdk-first.mjs')],
  });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /obs active: false/);
  assert.match(result.stdout, /global tracer provider still the other SDK's: true/);
  assert.match(result.stdout, /context manager left registered: false/);
  const ours = result.stderr.split('\n').filter((l) => l.startsWith('@org/obs: '));
  assert.equal(ours.length, 1, result.stderr);
  assert.match(ours[0], /^@org\/obs: failed to start \(Error: another OpenTelemetry SDK registered its trace first\); the app runs uninstrumented$/);
});
