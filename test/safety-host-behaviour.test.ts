// Host behaviour under unlucky configuration and data: ignore patterns match path segments, a query
// string on OTEL_EXPORTER_OTLP_ENDPOINT reaches every signal, a failure line is printed once per
// kind whatever numbers its text carries, one very deep log record does not cost its batch, and log values
// the SDK refuses arrive converted without a warning.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathMatcher } from '../src/instrumentations/ignore-paths.js';
import { DEFAULT_IGNORE_PATHS, readConfig } from '../src/config/config.js';
import { lineKind, log, setLogLevel } from '../src/log.js';
import { fixture } from './support/fixtures-dir.js';
import { runFixtureToExit } from './support/spawn.js';
import { startReceiver } from './support/receiver.js';

test('ignore patterns match whole segments: /health, /health/db, /livez are infrastructure; /healthcare/x and /live-events are routes', () => {
  const isInfra = pathMatcher(DEFAULT_IGNORE_PATHS);
  for (const p of ['/health', '/health/', '/health/db', '/health/db?x=1', '/healthz', '/ready', '/readyz', '/live', '/livez', '/metrics', '/favicon.ico']) assert.ok(isInfra(p), p);
  for (const p of ['/healthcare/x', '/healthcheck-report', '/live-events', '/liveness-docs', '/readymade', '/metrics-dashboard', '/api/health']) assert.ok(!isInfra(p), p);
  // An old-style `/x*` pattern is read segment-wise too.
  const custom = pathMatcher(['/status*', '/ping']);
  assert.ok(custom('/status') && custom('/status/deep') && custom('/ping?x'));
  assert.ok(!custom('/statuses') && !custom('/pingpong'));
  // Query and fragment end the path whichever comes first; asked again (the judgement is remembered per path), the same answers.
  for (let round = 0; round < 2; round++) {
    for (const p of ['/ping#top', '/ping?a=1#b', '/ping#b?c', '/status/x#frag?q', `/ping?q=${round}`]) assert.ok(custom(p), p);
    for (const p of ['/pingpong#x', '/pi#ng', '/x?/ping', '/x#/ping']) assert.ok(!custom(p), p);
  }
});

test('a query string on OTEL_EXPORTER_OTLP_ENDPOINT stays on every signal URL, after the signal path', () => {
  const { config } = readConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://gw.example:4318/otlp?tenant=acme&region=eu' });
  assert.equal(config.otlp.traces.endpoint, 'https://gw.example:4318/otlp/v1/traces?tenant=acme&region=eu');
  assert.equal(config.otlp.metrics.endpoint, 'https://gw.example:4318/otlp/v1/metrics?tenant=acme&region=eu');
  assert.equal(config.otlp.logs.endpoint, 'https://gw.example:4318/otlp/v1/logs?tenant=acme&region=eu');
  assert.equal(readConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' }).config.otlp.logs.endpoint, 'http://c:4318/v1/logs');
});

test('a query string on OTEL_EXPORTER_OTLP_ENDPOINT: spans and logs reach the collector (no 404)', async (t) => {
  const receiver = await startReceiver(t);
  const result = await runFixtureToExit(fixture('safety-batch.mjs'), {
    args: ['3', '0'], timeoutMs: 30_000,
    env: { OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.httpUrl}?tenant=acme`, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_METRICS_EXPORTER: 'none' },
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(receiver.spans.filter((s) => s.name.startsWith('batch ')).length, 3, result.stderr);
  assert.ok(receiver.logs.some((l) => l.body === 'batch done'), result.stderr);
  assert.doesNotMatch(result.stderr, /failed/);
});

test('failure lines: one per kind a minute, even when the text carries a timestamp, a duration or an attempt number', () => {
  assert.equal(lineKind('export failed at 2026-12-04T22:01:02.123Z after 1500ms (attempt 3)'), lineKind('export failed at 2026-12-04T22:01:09.999Z after 20ms (attempt 4)'));
  assert.notEqual(lineKind('traces export failed: refused'), lineKind('logs export failed: refused'));
  const written: string[] = [];
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    setLogLevel('warn');
    for (let i = 0; i < 50; i++) log.warn(`metrics export to http://c:4318 failed: Error: socket hang up (${new Date(Date.now() + i * 1000).toISOString()}, attempt ${i})`);
    log.warn('logs export to http://c:4318 failed: Error: socket hang up');
  } finally {
    process.stderr.write = original;
  }
  assert.equal(written.filter((l) => l.includes('metrics export')).length, 1, written.join(''));
  assert.equal(written.filter((l) => l.includes('logs export')).length, 1);
});

test('one very deep log record does not lose its batch: the others arrive, the deep one arrives capped', async (t) => {
  const receiver = await startReceiver(t);
  const result = await runFixtureToExit(fixture('safety-deep-log.mjs'), {
    timeoutMs: 30_000,
    env: { ...receiver.envFor({ fastExport: false }), OTEL_BLRP_SCHEDULE_DELAY: '600000', OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' },
  });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(receiver.logs.filter((l) => String(l.body).startsWith('ordinary ')).length, 5, result.stderr);
  const text = JSON.stringify(receiver.logs.map((l) => [l.body, l.attributes]));
  // Capped by us (24 levels) or, shallower, by the redactor's own depth limit on emit.
  assert.match(text, /nested deeper than 24 levels|"REDACTED"/, 'the deep records arrived, capped');
  assert.ok(receiver.logs.some((l) => typeof l.body === 'object' && l.body !== null), 'the deep body arrived');
  assert.ok(receiver.logs.some((l) => l.body === 'deep attribute'));
});

test('log values the SDK refuses (BigInt, Symbol, functions, Date, Error, Map, Set, class instances, cycles) arrive as JSON loggers print them, with no SDK warning on stderr', async (t) => {
  const receiver = await startReceiver(t);
  const result = await runFixtureToExit(fixture('log-values.mjs'), {
    timeoutMs: 30_000,
    env: { ...receiver.envFor(), OTEL_TRACES_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'none' },
  });
  assert.equal(result.code, 0, result.stderr);
  assert.doesNotMatch(result.stderr, /@org\/obs|Invalid attribute/, 'nothing of ours on stderr at the default level');
  const w = receiver.logs.find((l) => l.body === 'winston values');
  const api = receiver.logs.find((l) => typeof l.body === 'object' && l.body !== null);
  assert.ok(w && api, JSON.stringify(receiver.logs.map((l) => l.body)));
  assert.equal(w.attributes.big, '10');
  assert.equal(w.attributes.sym, 'Symbol(s)');
  assert.ok(!('fn' in w.attributes), 'a function is dropped, as JSON drops it');
  assert.equal(w.attributes.when, '2026-01-02T03:04:05.000Z');
  assert.deepEqual(w.attributes.nested, { b: '2', m: { k: '1' }, s: [1, 2] });
  assert.deepEqual(w.attributes.money, { cents: 250 });
  assert.deepEqual(w.attributes.cyc, { a: 1, self: '[Circular]' });
  const failure = w.attributes.failure as Record<string, unknown>;
  assert.equal(failure.name, 'RangeError');
  assert.equal(failure.message, 'out of range');
  assert.equal(w.attributes.plain, 'kept');
  assert.deepEqual(api.body, { cyc: { a: 1, self: '[Circular]' }, count: '3' });
  assert.equal(api.attributes['app.count'], '4');
});
