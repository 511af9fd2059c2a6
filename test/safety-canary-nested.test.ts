// Canaries nested in structured logs (pino, winston, console capture, OTel logs API) at depths 1-9, in objects
// and arrays, under secret-looking keys and as secret-shaped values under ordinary keys; and in span
// attributes, event names and attributes, status, exceptions and metric attributes, and JSON.parse
// errors quoting a request body. None may reach the decoded OTLP, the Prometheus page or our output,
// at the default log level and the most verbose one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leaked, pathTokens as shortPathTokens, plain, shaped, type Canary } from './support/canaries.js';
import { isLiteral } from '../src/redact/path-segments.js';
import { ours, runCanaryFixture } from './support/canary-run.js';

for (const level of ['info', 'all']) test(`nested log values and span/metric values (OTEL_LOG_LEVEL=${level}): no canary leaves the process`, async (t) => {
  const keyed: Canary[] = Array.from({ length: 144 }, () => {
    const v = plain('key');
    return { shape: 'secret key', value: v, needle: v };
  });
  const shapedList = shaped(156);
  const run = await runCanaryFixture(t, 'safety-canary-nested.mjs', { keyed: keyed.map((c) => c.value), shaped: shapedList.map((c) => c.value) },
    { OBS_CONSOLE_CAPTURE: 'true', OTEL_LOG_LEVEL: level });
  const counts = await (await fetch(`${run.base}/run`)).json() as Record<string, number>;
  // Generated tokens as path segments of incoming requests (password-reset and download links):
  // url.full, url.path, http.route, span names and the request-duration series.
  const pathTokens = shaped(280).filter((c) => ['hex', 'base64url', 'lower-alnum', 'github', 'stripe', 'jwt', 'base32'].includes(c.shape)).slice(0, 40);
  for (const [i, c] of pathTokens.entries()) {
    await (await fetch(`${run.base}/${['reset', 'files', 'invite', 'verify'][i % 4]}/${encodeURIComponent(c.value)}`)).text();
  }

  // Tokens no shape rule sees (letters only, short mixed): the word rule keeps them out of url.path,
  // url.full, http.route and span names (docs/safety.md, rule 8).
  const { tokens: wordless, words } = shortPathTokens(40, isLiteral);
  assert.ok(words <= 1, `${words} of the random letters-only tokens read as words`);
  for (const [i, c] of wordless.entries()) await (await fetch(`${run.base}/${['reset', 'files', 'invite', 'verify'][i % 4]}/${c.value}`)).text();
  pathTokens.push(...wordless);

  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  await run.receiver.waitFor((r) => r.logs.length >= total, { timeoutMs: 30_000 });
  await run.receiver.waitFor((r) => r.spans.filter((s) => s.name === 'canary nested span').length >= Math.ceil(shapedList.length / 30), { timeoutMs: 20_000 });
  await run.receiver.waitForMetric('canary.nested.events', { timeoutMs: 20_000 });
  const { otlp, page, output } = await run.finish();

  // Evidence that every logger's records went through the pipeline, nested values included.
  for (const lib of ['pino', 'winston', 'console', 'otel']) assert.ok(counts[lib] > 50, `${lib} wrote ${counts[lib]}`);
  assert.ok(otlp.includes('level7'), 'deep nesting exported');
  assert.ok(otlp.includes('is not valid JSON'), 'JSON.parse errors exported');
  assert.match(page, /canary_nested_events/);
  assert.ok(run.receiver.spans.some((s) => String(s.attributes['url.path'] ?? s.attributes['http.target'] ?? '').startsWith('/reset/')), 'request spans exported');

  const all = [...keyed, ...shapedList, ...pathTokens];
  t.diagnostic(`canaries tried: ${all.length} (${keyed.length} under secret keys, ${shapedList.length} by shape, ${pathTokens.length} in request paths)`);
  assert.deepEqual(leaked(otlp, all), [], 'secrets in the exported telemetry');
  assert.deepEqual(leaked(page, all), [], 'secrets on the Prometheus page');
  // The app prints to its own stdout (console stands in for a logger); our lines are the contract.
  assert.deepEqual(leaked(ours(output), all), [], 'secrets in our own output');
});
