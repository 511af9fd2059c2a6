// The context manager of src/sdk/context-manager.ts: the ALS store is the OTel context, bind() of a
// function runs it in the bound context, bind() of an emitter runs its events there whatever context
// emits them (Node's http emitters through one prototype wrap, others through one own wrapper), and
// disable() gives Node's prototypes back.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { test } from 'node:test';
import { createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { ObsContextManager } from '../src/sdk/context-manager.js';

const KEY = createContextKey('test');
const ctxA = ROOT_CONTEXT.setValue(KEY, 'a');
const ctxB = ROOT_CONTEXT.setValue(KEY, 'b');

test('with() makes the context active inside and restores it after; outside it is an empty root', () => {
  const cm = new ObsContextManager().enable();
  try {
    assert.equal(cm.active().getValue(KEY), undefined);
    const seen = cm.with(ctxA, function (this: { n: number }, x: number) {
      return [cm.active().getValue(KEY), this.n + x];
    }, { n: 1 }, 2);
    assert.deepEqual(seen, ['a', 3]);
    assert.equal(cm.active().getValue(KEY), undefined);
  } finally {
    cm.disable();
  }
});

test('bind() of a function runs it in the bound context and keeps its length', () => {
  const cm = new ObsContextManager().enable();
  try {
    const fn = (a: number, b: number): unknown => [cm.active().getValue(KEY), a + b];
    const bound = cm.bind(ctxA, fn);
    assert.equal(bound.length, 2);
    assert.deepEqual(cm.with(ctxB, () => bound(1, 2)), ['a', 3]);
    // Every arity, past the wrappers made per arity too; `this` and extra arguments pass through.
    for (let arity = 0; arity <= 7; arity++) {
      const params = Array.from({ length: arity }, (_, i) => `p${i}`);
      const target = new Function(...params, 'return [this, arguments.length, [...arguments]];') as (...a: unknown[]) => unknown;
      const b = cm.bind(ctxA, target);
      assert.equal(b.length, arity, `length ${arity}`);
      const self = { arity };
      assert.deepEqual(b.call(self, 1, 2, 3, 4, 5, 6, 7, 8), [self, 8, [1, 2, 3, 4, 5, 6, 7, 8]]);
    }
  } finally {
    cm.disable();
  }
});

test('bind() of an IncomingMessage: listeners run in its context when another context emits, without patching the instance', () => {
  const cm = new ObsContextManager().enable();
  try {
    const req = new IncomingMessage(new Socket());
    const seen: unknown[] = [];
    req.on('data', () => {
      seen.push(cm.active().getValue(KEY));
    });
    assert.equal(cm.bind(ctxA, req), req);
    assert.equal(Object.prototype.hasOwnProperty.call(req, 'emit'), false);
    assert.equal(Object.prototype.hasOwnProperty.call(req, 'on'), false);
    cm.with(ctxB, () => req.emit('data', 'x'));
    req.emit('data', 'y');
    assert.deepEqual([...seen], ['a', 'a']);
    // An unbound one is left to the emitting context.
    const other = new IncomingMessage(new Socket());
    other.on('data', () => {
      seen.push(cm.active().getValue(KEY));
    });
    cm.with(ctxB, () => other.emit('data', 'z'));
    assert.deepEqual(seen, ['a', 'a', 'b']);
  } finally {
    cm.disable();
  }
});

test('bind() of another emitter: one own emit wrapper, installed once, and the last bound context wins', () => {
  const cm = new ObsContextManager().enable();
  try {
    const em = new EventEmitter();
    const seen: unknown[] = [];
    em.on('tick', () => seen.push(cm.active().getValue(KEY)));
    cm.bind(ctxA, em);
    const wrapped = em.emit;
    cm.bind(ctxB, em);
    assert.equal(em.emit, wrapped);
    em.emit('tick');
    assert.deepEqual(seen, ['b']);
  } finally {
    cm.disable();
  }
});

test('disable() gives IncomingMessage its inherited emit back', () => {
  const inherited = IncomingMessage.prototype.emit;
  const cm = new ObsContextManager().enable();
  assert.notEqual(IncomingMessage.prototype.emit, inherited);
  cm.disable();
  assert.equal(IncomingMessage.prototype.emit, inherited);
  assert.equal(Object.prototype.hasOwnProperty.call(IncomingMessage.prototype, 'emit'), false);
});
