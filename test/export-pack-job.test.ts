// A span batch packed a slice at a time (src/export/otlp-trace-writer/pack-job.ts): the request is the
// one-go encoding byte for byte whatever the slicing, each span is redacted once, the guarded exporter
// spreads a slow batch over several tasks, and the exit path finishes a packing under way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { GuardedExporter } from '../src/export/guarded-exporter.js';
import { EncodedSpans, encodeTraceRequest, traceRequestBody, type SpanBatch } from '../src/export/otlp-trace-writer/serializer.js';
import { SpanPackJob } from '../src/export/otlp-trace-writer/pack-job.js';
import { SpanGen } from './support/random-spans.js';

const rename = (batch: readonly ReadableSpan[]): void => {
  for (const span of batch) (span as { name: string }).name = `r:${span.name.slice(0, 40)}`;
};
const idOf = (span: ReadableSpan): string => `${span.spanContext().traceId}/${span.spanContext().spanId}`;

/** A batch of several resources and scopes interleaved, as the batch processor hands it over (same seed → same spans). */
const batchOf = (seed: number, n: number): ReadableSpan[] => new SpanGen(seed).batch(n);

test('sliced packing gives the one-go request byte for byte, redacting each span once', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const n = 1 + ((seed * 37) % 90);
    const expected = batchOf(seed, n);
    rename(expected);
    const want = encodeTraceRequest(expected);

    const batch = batchOf(seed, n);
    const seen = new Map<string, number>();
    const job = new SpanPackJob(batch, (slice) => {
      rename(slice);
      for (const s of slice) seen.set(idOf(s), (seen.get(idOf(s)) ?? 0) + 1);
    });
    // A deadline already past: one slice per step, the finest slicing there is.
    let packed: EncodedSpans | undefined;
    let steps = 0;
    while ((packed = job.step(0)) === undefined) steps++;
    if (n > 8) assert.ok(steps > 0, `seed ${seed}: worked in slices (${steps} steps for ${n} spans)`);
    assert.equal(packed.length, n);
    assert.deepEqual(Buffer.from(packed.body), Buffer.from(want), `seed ${seed}: same bytes`);
    assert.equal(seen.size, n, `seed ${seed}: every span redacted`);
    assert.ok([...seen.values()].every((c) => c === 1), `seed ${seed}: no span redacted twice`);
    assert.equal(batch.length, 0, 'the processor\'s array is emptied once packed');
    assert.equal(job.step(0), packed, 'a finished job answers its batch again');
  }
});

test('a job given all the time it wants packs in one step; a failing redaction fails the job for good', () => {
  const batch = batchOf(7, 50);
  const packed = new SpanPackJob(batch, rename).step(Infinity);
  assert.ok(packed instanceof EncodedSpans);
  assert.equal(packed.length, 50);

  let calls = 0;
  const failing = new SpanPackJob(batchOf(8, 30), () => {
    if (++calls === 2) throw new Error('boom');
  });
  assert.equal(failing.step(0), undefined);
  assert.throws(() => failing.step(0), /boom/);
  assert.throws(() => failing.step(Infinity), /boom/, 'not resumed with a half-redacted batch');
});

/** Checks `done` on a timer of its own, again and again, so each check runs between the packing's tasks. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 0));
}

/** Busy for `ms` of wall time: a redaction slow enough that one batch cannot fit one packing task. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) { /* spin */ }
}

function exporterWith(realExport: (batch: SpanBatch, cb: (r: ExportResult) => void) => void, captured: SpanBatch[], redacted: Map<string, number>) {
  const count = (slice: readonly ReadableSpan[]): void => {
    spin(1);
    rename(slice);
    for (const s of slice) redacted.set(idOf(s), (redacted.get(idOf(s)) ?? 0) + 1);
  };
  return new GuardedExporter<SpanBatch>({
    signal: 'traces', target: 'test', size: (b) => b.length, maxWaitingItems: 10_000,
    create: () => ({ export: realExport, shutdown: () => Promise.resolve() }),
    transform: (batch) => {
      if (!(batch instanceof EncodedSpans)) count(batch);
    },
    pack: (batch) => (batch instanceof EncodedSpans ? { step: () => batch } : new SpanPackJob(batch, count)),
    capture: (batch) => captured.push(batch),
  });
}

test('the guarded exporter packs a slow batch over several tasks, letting the app\'s timers run between them', async () => {
  const received: SpanBatch[] = [];
  const redacted = new Map<string, number>();
  const exporter = exporterWith((batch, cb) => {
    received.push(batch);
    cb({ code: 0 });
  }, [], redacted);
  const batch = batchOf(11, 120);
  exporter.export(batch, () => undefined);
  // The app's timers: each one that runs while the batch is half-packed proves the loop was let go.
  let between = 0;
  await until(() => {
    if (redacted.size > 0 && redacted.size < 120) between++;
    return received.length > 0;
  });
  // 15 slices of at least 1 ms each cannot fit one 2 ms task.
  assert.ok(between >= 2, `the app ran between packing slices (${between} times)`);
  assert.equal(received.length, 1);
  const sent = received[0];
  assert.ok(sent instanceof EncodedSpans);
  const expected = batchOf(11, 120);
  rename(expected);
  assert.deepEqual(Buffer.from(traceRequestBody(sent)), Buffer.from(encodeTraceRequest(expected)));
  assert.ok([...redacted.values()].every((c) => c === 1));
  await exporter.shutdown();
});

test('the exit path finishes a packing under way: the rest redacted once, the whole request captured', async () => {
  const captured: SpanBatch[] = [];
  const redacted = new Map<string, number>();
  const held: ((r: ExportResult) => void)[] = [];
  const exporter = exporterWith((_batch, cb) => held.push(cb), captured, redacted);
  const first = batchOf(21, 4);
  const second = batchOf(22, 120);
  exporter.export(first, () => undefined);
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(held.length, 1, 'the first batch is in flight, unanswered');
  exporter.export(second, () => undefined);
  // Let the waiting batch's packing begin, not finish.
  await until(() => redacted.size > 4);
  assert.ok(redacted.size < 124, 'caught with the second batch half-packed');
  exporter.captureUnsent();
  assert.equal(captured.length, 2);
  assert.equal(redacted.size, 124);
  assert.ok([...redacted.values()].every((c) => c === 1), 'no span redacted twice');
  const expected = batchOf(22, 120);
  rename(expected);
  const last = captured[1];
  assert.ok(last instanceof EncodedSpans);
  assert.deepEqual(Buffer.from(traceRequestBody(last)), Buffer.from(encodeTraceRequest(expected)));
  for (const cb of held) cb({ code: 0 });
  await exporter.shutdown();
});

test('a batch whose packing the exit path finished is not sent again afterwards', async () => {
  const captured: SpanBatch[] = [];
  const redacted = new Map<string, number>();
  const received: SpanBatch[] = [];
  const exporter = exporterWith((batch, cb) => {
    received.push(batch);
    cb({ code: 0 });
  }, captured, redacted);
  exporter.export(batchOf(31, 120), () => undefined);
  await until(() => redacted.size > 0);
  assert.ok(redacted.size < 120, 'caught in the middle of its packing');
  exporter.captureUnsent();
  assert.equal(captured.length, 1);
  assert.equal((captured[0] as EncodedSpans).length, 120);
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.deepEqual(received, [], 'nothing sent after the capture (not even an empty request)');
  assert.ok([...redacted.values()].every((c) => c === 1));
  await exporter.shutdown();
});
