// src/sdk/lean-attributes.ts: core's cleanAttributes and maybeAddAttribute with the primitive fast path
// give exactly what the originals give, on primitives and on everything the fast path hands back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as realCore from '@opentelemetry/core';
import { installLeanAttributes } from '../src/sdk/lean-attributes.js';

type Fn = (...args: unknown[]) => unknown;
/** A fresh exports-like object per test, so the originals stay callable side by side. */
function core(): Record<string, Fn> {
  const c = realCore as unknown as Record<string, Fn>;
  return { cleanAttributes: c.cleanAttributes, maybeAddAttribute: c.maybeAddAttribute, maybeAddSimpleAttribute: c.maybeAddSimpleAttribute };
}

const cyclic: Record<string, unknown> = { a: 1 };
cyclic.self = cyclic;
const INPUTS: unknown[] = [
  undefined, null, 'text', 42,
  {},
  { 'http.request.method': 'GET', 'server.port': 8080, ok: true, nan: Number.NaN, skipped: undefined },
  { long: 'x'.repeat(50), short: 'abc' },
  { '': 'empty key', b: 1 },
  { a: 1, b: 2, c: 3, d: 4 },
  { nested: { k: 'v' }, list: [1, 2], bytes: new Uint8Array([1, 2, 3]), nul: null },
  { fn: () => 1, big: 10n },
  { cyclic },
  Object.create({ inherited: 'no' }, { own: { value: 'yes', enumerable: true }, hidden: { value: 'no', enumerable: false } }),
];
const LIMITS = [
  {},
  { attributeValueLengthLimit: Infinity, attributeCountLimit: Infinity },
  { attributeValueLengthLimit: 10, attributeCountLimit: 3 },
  { attributeValueLengthLimit: 0 },
  { attributeValueLengthLimit: -1, attributeCountLimit: 2 },
  { attributeValueLengthLimit: Number.NaN },
  { attributeCountLimit: 0 },
];

test('cleanAttributes: the lean one returns what the original returns, for every input and limit', () => {
  const original = core();
  const lean = core();
  installLeanAttributes(lean);
  assert.notEqual(lean.cleanAttributes, original.cleanAttributes, 'installed');
  for (const input of INPUTS) {
    for (const limits of LIMITS) {
      assert.deepEqual(lean.cleanAttributes(input, limits), original.cleanAttributes(input, limits), `${JSON.stringify(limits)} on ${String(input && Object.keys(input))}`);
    }
  }
});

test('maybeAddAttribute: the lean one sets and decides as the original does', () => {
  const original = core();
  const lean = core();
  installLeanAttributes(lean);
  const values: unknown[] = ['v', 'long value here', 7, false, undefined, null, { a: 1 }, [1, 'mixed'], cyclic, () => 1];
  for (const value of values) {
    for (const key of ['k', '', 'existing']) {
      for (const count of [0, 5]) {
        const make = () => ({ attributes: { existing: 'old' } as Record<string, unknown>, key, value, currentAttributesCount: count, limits: { attributeCountLimit: 5, attributeValueLengthLimit: 4 } });
        const a = make();
        const b = make();
        assert.equal(lean.maybeAddAttribute(a), original.maybeAddAttribute(b), `${key}=${String(value)}`);
        assert.deepEqual(a.attributes, b.attributes);
      }
    }
  }
});

test('installs once, and leaves an exports object without these functions alone', () => {
  const c = core();
  installLeanAttributes(c);
  const first = c.cleanAttributes;
  installLeanAttributes(c);
  assert.equal(c.cleanAttributes, first);
  const other: Record<string, unknown> = { cleanAttributes: 'not a function' };
  installLeanAttributes(other);
  assert.equal(other.cleanAttributes, 'not a function');
});
