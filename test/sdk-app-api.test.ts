// Which @opentelemetry/api copy our globals are registered through: the newest plain 1.x minor among
// ours and the app's, never a prerelease or another major (src/sdk/app-api.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registrarCopy, type ApiCopy } from '../src/sdk/app-api.js';

const copy = (dir: string, version: string): ApiCopy => ({ dir, version, load: () => { throw new Error('not loaded in this test'); } });

test('registrar: the app\'s newer minor wins, an older or equal one leaves ours', () => {
  const own = copy('/ours', '1.10.0');
  assert.equal(registrarCopy(own, [copy('/app', '1.11.2')]).dir, '/app');
  assert.equal(registrarCopy(own, [copy('/app', '1.9.1')]).dir, '/ours');
  assert.equal(registrarCopy(own, [copy('/app', '1.10.3')]).dir, '/ours');
  assert.equal(registrarCopy(own, [copy('/a', '1.11.0'), copy('/b', '1.12.0')]).dir, '/b');
});

test('registrar: prereleases, other majors and unreadable versions are never chosen', () => {
  const own = copy('/ours', '1.10.0');
  for (const v of ['1.99.0-rc.1', '2.0.0', '0.0.0', 'garbage']) assert.equal(registrarCopy(own, [copy('/app', v)]).dir, '/ours', v);
});
