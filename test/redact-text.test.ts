// Free-text redaction: URLs, query runs, auth schemes and secret-looking key/value pairs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secretKeyMatcher } from '../src/redact/keys.js';
import { textRedactor } from '../src/redact/text.js';
import { REDACTED as R } from '../src/redact/url.js';

const text = textRedactor(secretKeyMatcher(['ssn']), new Set(['page']));

const CASES: [string, string, string][] = [
  ['bearer token', 'Authorization: Bearer eyJhbGciOi.payload.sig', `Authorization: Bearer ${R}`],
  ['basic credentials', 'sent Basic dXNlcjpwYXNz to upstream', `sent Basic ${R} to upstream`],
  ['URL with credentials and query', 'connect postgres://app:pw@db/prod?sslpassword=x failed', `connect postgres://${R}@db/prod?sslpassword=${R} failed`],
  ['path with query inside JSON', '{"url":"/cb?code=abc123&page=2"}', `{"url":"/cb?code=${R}&page=2"}`],
  ['key=value with a secret key', 'login failed password=hunter2 user=bob', `login failed password=${R} user=bob`],
  ['quoted JSON value with spaces', '{"api_key": "sk live 123", "n": 1}', `{"api_key": "${R}", "n": 1}`],
  ['single-quoted', "token='abc def'", `token='${R}'`],
  ['extra key from OBS_REDACT_KEYS', 'ssn: 123-45-6789', `ssn: ${R}`],
  ['nothing secret', 'GET /users/42 took 12 ms', 'GET /users/42 took 12 ms'],
];

for (const [name, input, expected] of CASES) {
  test(`text redaction: ${name}`, () => assert.equal(text(input), expected));
}

test('secret key matcher: default words, case-insensitive, OBS_REDACT_KEYS, token counts exempt', () => {
  const isSecret = secretKeyMatcher(['internal_id']);
  for (const k of ['password', 'DB_PASSWORD', 'http.request.header.authorization', 'http.request.header.cookie', 'http.response.header.set-cookie',
    'http.request.header.x-api-key', 'app.accessToken', 'session.id', 'credit_card', 'client_secret', 'my.internal_id']) {
    assert.ok(isSecret(k), k);
  }
  for (const k of ['http.route', 'user.id', 'gen_ai.usage.input_tokens', 'gen_ai.request.max_tokens', 'db.namespace']) assert.ok(!isSecret(k), k);
});
