// Values at any depth (log attributes holding objects and arrays), copy-on-write, and the resource.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRedactor } from '../src/redact/redactor.js';
import { MAX_DEPTH } from '../src/redact/nested.js';
import { REDACTED as R } from '../src/redact/url.js';
import { resourceFromAttributes } from '@opentelemetry/resources';

const redactor = createRedactor({ extraSecretKeys: [], keepQueryKeys: [], dbStatement: 'sanitized' });

test('nested attribute values: secret keys, URL credentials and value shapes at every depth; the app object untouched', () => {
  const app = { user: { name: 'bob', auth: { password: 'p1', tokens: ['a', 'b'] } }, urls: [['postgres://u:pw9@h/db']], values: [1, 'x'] };
  const attrs = { req: app, ok: 'fine' } as unknown as Record<string, never>;
  redactor.attributes(attrs);
  assert.deepEqual(attrs, { req: { user: { name: 'bob', auth: { password: R, tokens: R } }, urls: [[`postgres://${R}@h/db`]], values: R }, ok: 'fine' });
  assert.equal(app.user.auth.password, 'p1');
  assert.equal(app.urls[0][0], 'postgres://u:pw9@h/db');
});

test('unchanged subtrees are not copied', () => {
  const inner = { a: 1, b: ['x', 'y'] };
  const attrs = { v: { inner } } as unknown as Record<string, never>;
  redactor.attributes(attrs);
  assert.equal((attrs.v as { inner: unknown }).inner, inner);
});

test(`deeper than ${MAX_DEPTH} levels, and cycles, end as ${R}`, () => {
  let deep: Record<string, unknown> = { leaf: 'cnrydeep' };
  for (let i = 0; i < MAX_DEPTH + 2; i++) deep = { d: deep };
  const cyclic: Record<string, unknown> = { name: 'c' };
  cyclic.self = cyclic;
  const attrs = { deep, cyclic } as unknown as Record<string, never>;
  redactor.attributes(attrs);
  assert.ok(!JSON.stringify(attrs.deep).includes('cnrydeep'));
  assert.ok(JSON.stringify(attrs.deep).includes(R));
});

test('identifier keys keep their random-looking values; other keys do not', () => {
  const id = 'c0ffee254729c0ffee254729c0ffee25';
  const attrs = { trace_id: id, 'host.id': id, request_id: id, 'k8s.pod.uid': id, 'vcs.ref.head.revision': id, note: id } as unknown as Record<string, never>;
  redactor.attributes(attrs);
  assert.deepEqual(attrs, { trace_id: id, 'host.id': id, request_id: id, 'k8s.pod.uid': id, 'vcs.ref.head.revision': id, note: R });
});

test('resource attributes: secret keys, URLs and shapes redacted, sync and async, identity kept', async () => {
  const resource = redactor.resource(resourceFromAttributes({
    'service.name': 'shop', 'deploy.token': 'cnrytok', 'db.url': 'postgres://u:cnrypw@h/db', 'owner': 'jane.doe@example.com',
    'cloud.secret_thing': Promise.resolve('cnryasync'), 'host.id': 'c0ffee254729c0ffee254729c0ffee25',
  }));
  await resource.waitForAsyncAttributes?.();
  assert.deepEqual(resource.attributes, {
    'service.name': 'shop', 'deploy.token': R, 'db.url': `postgres://${R}@h/db`, owner: `${R}@example.com`,
    'cloud.secret_thing': R, 'host.id': 'c0ffee254729c0ffee254729c0ffee25',
  });
});

test('card numbers held as numbers are redacted; other large numbers (epoch ms, ids) stay', () => {
  const attrs = { 'app.card': 4111111111111111, nested: { card: 5500005555555559, list: [4012888888881881] }, 'app.ts': 1733350000000, 'app.n': 42 } as unknown as Record<string, never>;
  redactor.attributes(attrs);
  assert.deepEqual(attrs, { 'app.card': R, nested: { card: R, list: [R] }, 'app.ts': 1733350000000, 'app.n': 42 });
});
