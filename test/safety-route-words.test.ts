// Letters-only tokens cannot pass for words in fallback route templates (issue 13): how often seeded
// random tokens of 4-12 letters are kept, how many real API path segments are kept, and what a broken
// word file does. The measured rates are quoted in docs/safety.md, "Bounded cardinality and size".
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { routeTemplate } from '../src/app-signals/route-template.js';
import { isLiteral } from '../src/redact/path-segments.js';
import { parseWordFilter } from '../src/redact/route-words.js';
import { fixture } from './support/fixtures-dir.js';
import { rng } from './support/random-spans.js';

const TOKENS_PER_LENGTH = 10_000;

function randomLetters(next: () => number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(97 + Math.floor(next() * 26));
  return s;
}

test('random letters-only tokens: under 0.5 % are kept from 6 letters on, under 1.5 % at 4-5 (10,000 seeded tokens per length)', (t) => {
  const next = rng(20261205);
  const rates: string[] = [];
  for (let length = 4; length <= 12; length++) {
    const kept: string[] = [];
    for (let i = 0; i < TOKENS_PER_LENGTH; i++) {
      const token = randomLetters(next, length);
      if (isLiteral(token)) kept.push(token);
    }
    const rate = (kept.length / TOKENS_PER_LENGTH) * 100;
    rates.push(`${length}: ${rate.toFixed(2)} %`);
    // Four letters: a random draw is a real word (`nail`, `hose`) about 0.7 % of the time; nothing to tell apart.
    assert.ok(rate < (length >= 6 ? 0.5 : 1.5), `${length} letters: ${rate.toFixed(2)} % kept, e.g. ${kept.slice(0, 10).join(' ')}`);
  }
  t.diagnostic(`kept by length: ${rates.join(', ')}`);
});

test('real API path segments (test/fixtures/route-segments.txt): at least 95 % stay literal', (t) => {
  const segments = [...new Set(readFileSync(fixture('route-segments.txt'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')))];
  assert.ok(segments.length >= 200, `${segments.length} segments in the fixture`);
  const lost = segments.filter((s) => routeTemplate(`/${s}`) !== `/${s}`);
  const rate = ((segments.length - lost.length) / segments.length) * 100;
  t.diagnostic(`${segments.length - lost.length} of ${segments.length} kept (${rate.toFixed(1)} %); became :id: ${lost.join(' ')}`);
  assert.ok(rate >= 95, `${rate.toFixed(1)} % kept; lost: ${lost.join(' ')}`);
});

test('one-time tokens made of letters become :id; words, plurals, compounds of up to three words, capitalised words and versions stay', () => {
  for (const [url, want] of [
    ['/reset/qazwsxed', '/reset/:id'],
    ['/invite/hbgtrfvc', '/invite/:id'],
    ['/k/abcdefgh', '/k/:id'],
    ['/confirm/Qazwsxed', '/confirm/:id'],
    ['/users/aZk', '/users/:id'],
    ['/Users/orders/events', '/Users/orders/events'],
    ['/healthcheck/webhooks/graphql', '/healthcheck/webhooks/graphql'],
    ['/quotes.xml', '/quotes.xml'],
    ['/apis/batch/v1beta1/cronjobs', '/apis/batch/v1beta1/cronjobs'],
    ['/api/persistentvolumeclaims', '/api/persistentvolumeclaims'],
    ['/catdogpig/statuses', '/catdogpig/statuses'],
    ['/catdogpigcow', '/:id'],
    ['/HealthCheck', '/:id'],
  ]) assert.equal(routeTemplate(url), want, url);
});

test('a missing or damaged word file makes every letters-only part an id, never an error', () => {
  const good = new Uint8Array(readFileSync(new URL('../src/redact/route-words.bin', import.meta.url)));
  const parsed = parseWordFilter(good);
  assert.ok(parsed.m > 0 && parsed.k > 0, 'the committed file parses');
  assert.equal(parseWordFilter(good.subarray(0, good.length - 1)).m, 0, 'truncated');
  assert.equal(parseWordFilter(new Uint8Array(0)).m, 0, 'empty');
  assert.equal(parseWordFilter(Buffer.from('no header at all')).m, 0, 'no header line');
});
