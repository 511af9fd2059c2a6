// Span batches under our OTLP writer are packed once taken: redacted, encoded into their request and the
// processor's array emptied, in a task of their own; what waits, travels, retries or is captured at exit
// is the encoded request, and the spans themselves are free for the GC while the collector answers.
// (Packing in slices, a few milliseconds per task: test/export-pack-job.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { GuardedExporter } from '../src/export/guarded-exporter.js';
import { EncodedSpans, encodeTraceRequest, traceRequestBody, type SpanBatch } from '../src/export/otlp-trace-writer/serializer.js';
import { SpanPackJob } from '../src/export/otlp-trace-writer/pack-job.js';
import { SpanGen } from './support/random-spans.js';

const SUCCESS: ExportResult = { code: 0 };
const tick = (ms = 5): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Packing takes a task per few milliseconds of work (cold code is slow): wait for its outcome, not a fixed time. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await tick(1);
}

function spans(seed: number, n: number): ReadableSpan[] {
  const gen = new SpanGen(seed);
  const resource = gen.resource();
  const scope = gen.scope();
  return Array.from({ length: n }, () => gen.span(resource, scope));
}

/** A real exporter stand-in: records what it is handed; answers at once, or never when `hold`. */
function recorder(hold: boolean) {
  const received: SpanBatch[] = [];
  const pending: ((r: ExportResult) => void)[] = [];
  return {
    received,
    pending,
    exporter: {
      export(batch: SpanBatch, cb: (r: ExportResult) => void): void {
        received.push(batch);
        if (hold) pending.push(cb);
        else cb(SUCCESS);
      },
      shutdown: () => Promise.resolve(),
    },
  };
}

const redact = (batch: readonly ReadableSpan[]): void => {
  for (const span of batch) (span as { name: string }).name = `redacted ${span.name.length}`;
};

/** The request a batch of spans(seed, n) must become: the same spans, redacted once, encoded in one go. */
function expectedBody(seed: number, n: number): Uint8Array {
  const batch = spans(seed, n);
  redact(batch);
  return encodeTraceRequest(batch);
}

/**
 * A guarded exporter as spanExporters builds it under our writer; `times()` is how often each span was
 * redacted (through the job's slices or the plain transform), in order of first redaction.
 */
function guarded(real: ReturnType<typeof recorder>['exporter'], captured: SpanBatch[] = []) {
  const transformed = new Map<string, number>();
  const count = (batch: readonly ReadableSpan[]): void => {
    redact(batch);
    for (const span of batch) {
      const id = `${span.spanContext().traceId}/${span.spanContext().spanId}`;
      transformed.set(id, (transformed.get(id) ?? 0) + 1);
    }
  };
  const exporter = new GuardedExporter<SpanBatch>({
    signal: 'traces', target: 'test', create: () => real, size: (b) => b.length, maxWaitingItems: 10_000,
    transform: (batch) => {
      if (!(batch instanceof EncodedSpans)) count(batch);
    },
    pack: (batch) => (batch instanceof EncodedSpans ? { step: () => batch } : new SpanPackJob(batch, count)),
    capture: (batch) => captured.push(batch),
  });
  /** How many times each span was redacted, in batch order of first sight. */
  const times = (): number[] => [...transformed.values()];
  return { exporter, times };
}

test('a taken batch is redacted once, sent as its encoded request, and the processor\'s array is emptied', async () => {
  const real = recorder(false);
  const { exporter, times } = guarded(real.exporter);
  const batch = spans(1, 20);
  let acked: ExportResult | undefined;
  exporter.export(batch, (r) => (acked = r));
  // Acknowledged at once; nothing encoded inside the processor's call.
  assert.equal(acked?.code, 0);
  assert.equal(batch.length, 20);
  assert.equal(real.received.length, 0);
  await until(() => real.received.length > 0);
  assert.deepEqual(times(), Array(20).fill(1), 'each span redacted once');
  assert.equal(batch.length, 0, 'the processor\'s array no longer points at the spans');
  assert.equal(real.received.length, 1);
  const sent = real.received[0];
  assert.ok(sent instanceof EncodedSpans);
  assert.equal(sent.length, 20, 'upstream counts the batch by its length');
  assert.deepEqual(traceRequestBody(sent), expectedBody(1, 20), 'the request is the redacted spans\' encoding');
  await exporter.shutdown();
});

test('batches waiting behind the export in flight are packed in a later task; the exit path captures them without redacting again', async () => {
  const real = recorder(true);
  const captured: SpanBatch[] = [];
  const { exporter, times } = guarded(real.exporter, captured);
  const first = spans(2, 5);
  const second = spans(3, 7);
  const third = spans(4, 3);
  exporter.export(first, () => undefined);
  await until(() => real.received.length > 0);
  assert.equal(real.received.length, 1, 'the first batch is in flight, unanswered');
  exporter.export(second, () => undefined);
  exporter.export(third, () => undefined);
  assert.equal(second.length, 7, 'not packed inside the processor\'s call');
  // A timer set now runs right after the first packing task: one batch per task, not the whole queue.
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual([second.length, third.length], [0, 3], 'one batch packed per task');
  await until(() => third.length === 0);
  assert.deepEqual(times(), Array(15).fill(1));

  exporter.captureUnsent();
  assert.deepEqual(times(), Array(15).fill(1), 'packed batches are not transformed again');
  assert.equal(captured.length, 3);
  assert.deepEqual(captured.map((b) => (b instanceof EncodedSpans ? [b.length, traceRequestBody(b)] : undefined)), [
    [5, expectedBody(2, 5)], [7, expectedBody(3, 7)], [3, expectedBody(4, 3)],
  ]);
  for (const cb of real.pending) cb(SUCCESS);
  await exporter.shutdown();
});

test('a batch whose send is waiting for the collector keeps no span alive', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const real = recorder(true);
  const { exporter } = guarded(real.exporter);
  let ref: WeakRef<ReadableSpan> | undefined;
  (() => {
    const batch = spans(5, 50);
    ref = new WeakRef(batch[17]);
    exporter.export(batch, () => undefined);
  })();
  await until(() => real.received.length > 0);
  assert.equal(real.received.length, 1, 'in flight, unanswered');
  gc();
  await tick();
  gc();
  assert.equal(ref?.deref(), undefined, 'the span was collected while its request waits for an answer');
  for (const cb of real.pending) cb(SUCCESS);
  await exporter.shutdown();
});
