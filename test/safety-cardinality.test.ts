// Bounded cardinality and size: route templates cannot carry a token, junk cannot take the route slots
// for good, and the Prometheus page and the cost of a scrape have a ceiling whatever the traffic.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { fixture } from './support/fixtures-dir.js';
import { runFixture } from './support/spawn.js';
import { MAX_ROUTE_LENGTH, OVERFLOW_ROUTE, routeLimiter, routeTemplate } from '../src/app-signals/route-template.js';
import { MAX_LABEL_LENGTH } from '../src/admin/prometheus/page-bounds.js';
import { capSpanNames, MAX_SPAN_NAME_LENGTH } from '../src/export/span-names.js';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { freePort } from './support/free-port.js';

const APP = fixture('stalls-app.mjs');

test('route templates: tokens of any shape become :id, words and versions stay, a label never exceeds its cap', () => {
  for (let i = 0; i < 2000; i++) {
    const token = randomBytes(8 + (i % 24)).toString(i % 2 ? 'base64url' : 'hex');
    const t = routeTemplate(`/api/v1/users/${token}/files/${token}.json`);
    assert.ok(!t.includes(token), `${token} kept in ${t}`);
    assert.ok(t.startsWith('/api/v1/users/:id/files/'), t);
  }
  for (const word of ['live-events', 'healthcare', 'index.html', 'Users', 'v2', 'order_items']) assert.equal(routeTemplate(`/${word}`), `/${word}`);
  for (const junk of ['xkcdqz', 'qazwsxed', 'aBcDeF', '%2Fetc%2Fpasswd', 'a'.repeat(40), 'jane@example.com', '12345']) assert.equal(routeTemplate(`/x/${junk}`), '/x/:id', junk);
  assert.equal(routeTemplate('/' + Array.from({ length: 40 }, () => 'segment').join('/')), OVERFLOW_ROUTE, `over ${MAX_ROUTE_LENGTH} characters`);
});

const WORDS_A = ['apple', 'bread', 'chair', 'dance', 'eagle', 'flame', 'grape', 'house', 'index', 'jelly'];
const WORDS_B = ['kite', 'lamp', 'moon', 'nest', 'ocean', 'piano', 'queen', 'river', 'stone', 'tiger'];

test('route slots: 100 junk paths first, then 100 more each sent twice, do not turn real routes into _OTHER', () => {
  const limiter = routeLimiter(100);
  // Junk made of real words passes the literal rule (random letters would all be one `/probe/:id`).
  const junk = (i: number): string => `/probe/${WORDS_A[i % 10]}-${WORDS_B[Math.floor(i / 10) % 10]}-${['red', 'blue', 'green'][Math.floor(i / 100) % 3]}`;
  assert.equal(routeTemplate(junk(299)), junk(299));
  // The attack comes first and takes every slot given at first sight.
  for (let i = 0; i < 100; i++) limiter.route(junk(i));
  const real = Array.from({ length: 20 }, (_, i) => `/shop/${['cart', 'items', 'orders', 'users', 'search'][i % 5]}/${['new', 'old', 'top', 'all'][i % 4]}`);
  // A real route is named from its second request on: it recurs, the junk never does.
  for (const r of real) limiter.route(r);
  const seen: string[] = [];
  for (let i = 100; i < 200; i++) {
    // Word-shaped junk passes the literal rule, so it competes for slots; this time it recurs once.
    limiter.route(junk(i));
    limiter.route(junk(i));
    for (const r of real) seen.push(limiter.route(r));
  }
  assert.equal(seen.filter((r) => r === OVERFLOW_ROUTE).length, 0, 'a real route was reported as _OTHER');
  assert.ok(limiter.size <= 100);
});

test('span names: a name longer than 128 characters is cut before export; short names are untouched', () => {
  const spans = [{ name: `GET /search/${'q'.repeat(15_000)}` }, { name: 'GET /users/:id' }] as unknown as ReadableSpan[];
  capSpanNames(spans);
  assert.equal(spans[0].name.length, MAX_SPAN_NAME_LENGTH);
  assert.ok(spans[0].name.endsWith('…'));
  assert.equal(spans[1].name, 'GET /users/:id');
});


interface AppReport { maxBlockMs: number; requests: number; scrapes: number; ours?: { maxMs: Record<string, number>; maxWallMs: Record<string, number> } }

test('100 requests with ~15 KB paths keep /metrics small; ten concurrent scrapes every 500 ms cost the loop ≤ 20 ms of ours', async (t) => {
  const runs: AppReport[] = [];
  const pages: string[] = [];
  let page = '';
  let scrapeMs = 0;
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const env = { OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_PORT: String(port) };
    const proc = await runFixture(APP, { t, env, args: ['--ms=5000', '--junk=100', `--scrape=${port}`] });
    await proc.waitForOutput(/junk done/, { stream: 'stdout', timeoutMs: 30_000 });
    // The page is rendered at most once a second: let the attack's last requests reach it.
    await new Promise((r) => setTimeout(r, 1200));
    const started = performance.now();
    page = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const ms = Math.round(performance.now() - started);
    pages.push(page);
    scrapeMs = Math.max(scrapeMs, ms);
    const exit = await proc.exited;
    assert.equal(exit.code, 0, proc.stderr);
    runs.push(JSON.parse(proc.stdout.trim().split('\n').pop()!) as AppReport);
    t.diagnostic(`run ${i + 1}: page ${page.length} bytes, one scrape ${ms} ms from the test; `
      + `our longest scrape task ${runs[i].ours?.maxMs.scrape} ms CPU (${runs[i].ours?.maxWallMs.scrape} ms wall); app monitor ${runs[i].maxBlockMs} ms; ${runs[i].scrapes} scrapes`);
  }
  const routes = new Set([...page.matchAll(/http_route="([^"]*)"/g)].map((m) => m[1]));
  const attacks = pages.map((p) => Number(/http_server_request_duration(?:_seconds)?_count\{[^}]*http_route="_OTHER"[^}]*\} (\d+)/.exec(p)?.[1] ?? 0));
  t.diagnostic(`routes on the last page: ${[...routes].join(' ')}; requests counted as _OTHER per run: ${attacks.join(', ')}; slowest scrape from the test ${scrapeMs} ms`);
  assert.ok(attacks.every((n) => n >= 100), 'the hostile requests reached the app and were measured');
  for (const p of pages) assert.ok(p.length < 64 * 1024, `a page of ${p.length} bytes`);
  assert.ok(page.length < 64 * 1024, `the page is ${page.length} bytes`);
  for (const m of page.matchAll(/="([^"]*)"/g)) assert.ok(m[1].length <= MAX_LABEL_LENGTH, `label value of ${m[1].length} characters`);
  assert.ok([...routes].every((r) => r.length <= MAX_ROUTE_LENGTH && !/[0-9]{3}/.test(r)), [...routes].join(' '));
  const scrape = runs.map((r) => r.ours?.maxMs.scrape ?? 0).sort((a, b) => a - b)[1];
  assert.ok(scrape > 0, 'scrapes were measured');
  assert.ok(scrape <= 20, `our longest scrape task: ${scrape} ms (median of 3)`);
  assert.ok(runs.every((r) => r.scrapes >= 50), 'the concurrent scrapes were answered');
});
