// URL redaction: credentials, every query value unless kept, key=value fragments.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REDACTED, redactUrl } from '../src/redact/url.js';

const none = new Set<string>();
const R = REDACTED;

test('every query value is redacted, keys and order kept', () => {
  assert.equal(redactUrl('https://api.example.com/cb?code=abc&state=xyz&page=2', none), `https://api.example.com/cb?code=${R}&state=${R}&page=${R}`);
  assert.equal(redactUrl('/search?q=private+words', none), `/search?q=${R}`);
});

test('keys on the keep-list (OBS_URL_QUERY_KEEP, case-insensitive, percent-decoded) keep their values', () => {
  assert.equal(redactUrl('/items?Page=2&token=t&sort%5Fby=name', new Set(['page', 'sort_by'])), `/items?Page=2&token=${R}&sort%5Fby=name`);
});

test('credentials in the authority are dropped, also user-only tokens and protocol-relative URLs', () => {
  assert.equal(redactUrl('postgres://app:s3cret@db:5432/prod', none), `postgres://${R}@db:5432/prod`);
  assert.equal(redactUrl('https://ghp_token123@github.com/org/repo.git', none), `https://${R}@github.com/org/repo.git`);
  assert.equal(redactUrl('//user:pw@cdn.example.com/x', none), `//${R}@cdn.example.com/x`);
  assert.equal(redactUrl('https://example.com/a@b', none), 'https://example.com/a@b');
});

test('key=value fragments are redacted like a query; a plain anchor stays', () => {
  assert.equal(redactUrl('https://app/cb#access_token=abc&token_type=bearer', none), `https://app/cb#access_token=${R}&token_type=${R}`);
  assert.equal(redactUrl('https://docs/page?x=1#section-2', none), `https://docs/page?x=${R}#section-2`);
});

test('bare query strings (url.query) and valueless keys', () => {
  assert.equal(redactUrl('a=1&flag&b=', none, true), `a=${R}&flag&b=${R}`);
  assert.equal(redactUrl('', none, true), '');
});

test('URLs without query, credentials or fragment are unchanged', () => {
  for (const u of ['https://example.com/', '/users/42', 'http://localhost:4318/v1/traces']) assert.equal(redactUrl(u, none), u);
});
