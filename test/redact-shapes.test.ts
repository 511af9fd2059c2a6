// Secret-shaped values caught by shape, wherever they sit in free text, and ordinary text left alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secretKeyMatcher } from '../src/redact/keys.js';
import { looksRandom } from '../src/redact/randomness.js';
import { textRedactor } from '../src/redact/text.js';
import { SHAPES } from './support/canaries.js';

const text = textRedactor(secretKeyMatcher([]), new Set());

for (const [name, make] of Object.entries(SHAPES)) {
  test(`shape ${name}: 20 fresh secrets, alone and inside a sentence, never survive`, () => {
    for (let i = 0; i < 20; i++) {
      const c = make();
      for (const s of [c.value, `upstream said ${c.value}, retrying`, JSON.stringify({ note: c.value })]) {
        assert.ok(!text(s).includes(c.needle), `${name} leaked in ${JSON.stringify(s)} → ${JSON.stringify(text(s))}`);
      }
    }
  });
}

const KEPT = [
  'GET /api/v2/users/12345/orders took 12 ms',
  'at Object.<anonymous> (/home/app/node_modules/express/lib/router/index.js:284:15)',
  'XMLHttpRequestEventTarget OTEL_EXPORTER_OTLP_ENDPOINT getUserAccountSettingsHandler',
  "Cannot read properties of undefined (reading 'userAccountSettings')",
  'connect ECONNREFUSED 127.0.0.1:5432',
  'order 1733350000000 shipped to warehouse-eu-central-1',
  'duplicate key value violates unique constraint "users_email_key"',
  'relation "public.customer_addresses" does not exist',
  'sha256withRSAEncryption certificate verified for api.example.com',
];

for (const s of KEPT) test(`ordinary text stays: ${s.slice(0, 50)}`, () => assert.equal(text(s), s));

test('looksRandom: random alphabets yes, words and names no', () => {
  for (const s of ['wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY', 'JBSWY3DPEHPK3PXPJBSWY3DP', 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6', 'q8z3k1m9x7v2n4b6']) assert.ok(looksRandom(s), s);
  for (const s of ['getUserAccountSettingsHandler', 'internationalization', 'HTTPServerErrorResponse']) assert.ok(!looksRandom(s), s);
});

test('a URL with a port keeps its path words and loses only the random segment', () => {
  assert.equal(text('fetch http://api.internal:3000/users/reset/Zk3Qm9Xb2Lw8Rt5Yp1Hc7Vn4 failed'), 'fetch http://api.internal:3000/users/reset/REDACTED failed');
});

test('identifier attributes keep hex and UUID values: the blob rule is off for them', () => {
  const id = 'c0ffee254729c0ffee254729c0ffee25';
  assert.equal(text(id, { blobs: false }), id);
  assert.equal(text(id), 'REDACTED');
});

test('strings over 16 KiB are cut before scrubbing, with the cut stated; hostile inputs stay cheap', () => {
  const secret = 'password=cnrycut1234';
  const long = `${secret} ${'x'.repeat(40_000)}`;
  const out = text(long);
  assert.ok(!out.includes('cnrycut1234'));
  assert.match(out, /… \[\d+ characters cut by @org\/obs\]$/);
  assert.ok(out.length < 17_000);
  for (const hostile of ['a="'.repeat(20_000), 'eyJ' + 'a'.repeat(60_000), 'a'.repeat(60_000) + '@', '?a=&'.repeat(20_000), "ERR '".repeat(20_000)]) {
    text(hostile);
    const t0 = performance.now();
    text(`${hostile} `);
    assert.ok(performance.now() - t0 < 200, `${hostile.slice(0, 8)}… took ${performance.now() - t0} ms`);
  }
});
