// The SDK batch processors' own queue-full drops are counted (pins the 2.x internals we rely on).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TracerProvider, BatchSpanProcessor, InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { BatchLogRecordProcessor, InMemoryLogRecordExporter, LoggerProvider } from '@opentelemetry/sdk-logs';
import { countLogQueueDrops, countSpanQueueDrops } from '../src/export/queue-drops.js';

test('a span is either exported or counted as dropped, never both', async () => {
  const exporter = new InMemorySpanExporter();
  let dropped = 0;
  const bsp = countSpanQueueDrops(new BatchSpanProcessor({ exporter, maxQueueSize: 5, maxExportBatchSize: 5, scheduledDelayMillis: 60_000 }), (n) => (dropped += n));
  const provider = new TracerProvider({ spanProcessors: [bsp] });
  const tracer = provider.getTracer('t');
  for (let i = 0; i < 8; i++) tracer.startSpan(`s${i}`).end();
  await provider.forceFlush();
  assert.equal(exporter.getFinishedSpans().length + dropped, 8);
  await provider.shutdown();
});

test('with the queue held full, every further span is a counted drop', async () => {
  let dropped = 0;
  // An exporter that never answers keeps the batch in flight; the queue (3) fills behind it.
  const stuck = { export: () => undefined, shutdown: () => Promise.resolve() };
  const bsp = countSpanQueueDrops(new BatchSpanProcessor({ exporter: stuck, maxQueueSize: 3, maxExportBatchSize: 3, scheduledDelayMillis: 60_000 }), (n) => (dropped += n));
  const provider = new TracerProvider({ spanProcessors: [bsp] });
  const tracer = provider.getTracer('t');
  for (let i = 0; i < 20; i++) tracer.startSpan(`s${i}`).end();
  assert.ok(dropped >= 20 - 3 - 3, `dropped ${dropped}`);
});

test('log records beyond OTEL_BLRP_MAX_QUEUE_SIZE are counted as drops', async () => {
  let dropped = 0;
  const exporter = new InMemoryLogRecordExporter();
  const blrp = countLogQueueDrops(new BatchLogRecordProcessor({ exporter, maxQueueSize: 4, maxExportBatchSize: 4, scheduledDelayMillis: 60_000 }), (n) => (dropped += n));
  const provider = new LoggerProvider({ processors: [blrp] });
  const logger = provider.getLogger('l');
  for (let i = 0; i < 10; i++) logger.emit({ body: `r${i}` });
  await provider.forceFlush();
  assert.equal(exporter.getFinishedLogRecords().length + dropped, 10);
  assert.ok(dropped > 0, 'some records were refused');
  await provider.shutdown();
});

test('a processor without the expected internals is returned untouched', () => {
  const plain = { onEnd: () => undefined };
  assert.equal(countSpanQueueDrops(plain, () => assert.fail('no drops')), plain);
});
