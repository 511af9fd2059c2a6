// Pins the environment contract's documentation: every variable readConfig reads is in
// docs/variables.md, and every OBS_* variable documented there is one the preload reads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentedVariables, variablesReadByConfig } from './support/config-variables.js';

/** Documented OBS_* variables read outside readConfig, with where. */
const READ_ELSEWHERE: Record<string, string> = {
  OBS_COMPILE_CACHE: 'src/lifecycle/compile-cache.ts, before the configuration is read (the compile cache must be on before our own modules load)',
};

test('every variable readConfig reads is documented in docs/variables.md', () => {
  const documented = new Set(documentedVariables());
  const read = variablesReadByConfig();
  assert.ok(read.length > 40, `the recording saw ${read.length} variables`);
  const missing = read.filter((v) => !documented.has(v));
  assert.deepEqual(missing, [], `read by readConfig but not in docs/variables.md: ${missing.join(', ')}`);
});

test('every OBS_* variable docs/variables.md documents is read by the preload', () => {
  const read = new Set(variablesReadByConfig());
  const stale = documentedVariables().filter((v) => v.startsWith('OBS_') && !read.has(v) && !(v in READ_ELSEWHERE));
  assert.deepEqual(stale, [], `documented but never read: ${stale.join(', ')}`);
});
