// LinkedContext reads as the API's BaseContext does for every sequence of setValue / deleteValue, also
// past the depth where it flattens, and never changes a context already handed out.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type { Context } from '@opentelemetry/api';
import { LinkedContext } from '../src/sdk/linked-context.js';

const require = createRequire(import.meta.url);
const { ROOT_CONTEXT, createContextKey } = require('@opentelemetry/api') as typeof import('@opentelemetry/api');

test('LinkedContext: every read equals BaseContext\'s after random set/delete sequences, across flattening', () => {
  const keys = Array.from({ length: 6 }, (_, i) => createContextKey(`k${i}`));
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let run = 0; run < 300; run++) {
    let base: Context = ROOT_CONTEXT;
    let ours: Context = LinkedContext.ROOT;
    const history: [Context, Context][] = [];
    // Up to 40 steps: well past MAX_DEPTH, so flat nodes and chains on them are both read.
    for (let step = 0, steps = rand(40); step < steps; step++) {
      const key = keys[rand(keys.length)];
      if (rand(5) === 0) {
        base = base.deleteValue(key);
        ours = ours.deleteValue(key);
      } else {
        const value = rand(3) === 0 ? undefined : { step };
        base = base.setValue(key, value);
        ours = ours.setValue(key, value);
      }
      history.push([base, ours]);
    }
    // Every context handed out still reads as it did: nothing was mutated by later steps.
    for (const [b, o] of history) for (const key of keys) assert.equal(o.getValue(key), b.getValue(key));
  }
  assert.equal(LinkedContext.ROOT.getValue(keys[0]), undefined);
});

test('LinkedContext: a context set 100,000 times in a loop reads its latest value and the ones set before the loop', () => {
  const key = createContextKey('loop');
  const other = createContextKey('other');
  let ctx: Context = LinkedContext.ROOT.setValue(other, 'kept');
  for (let i = 0; i < 100_000; i++) ctx = ctx.setValue(key, i);
  assert.equal(ctx.getValue(key), 99_999);
  assert.equal(ctx.getValue(other), 'kept');
});
