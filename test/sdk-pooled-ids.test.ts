// Trace and span ids from the pooled hex (src/sdk/pooled-ids.ts): the W3C shapes, never all zeros,
// no repeats across many pool refills, every hex digit about equally likely, and the preload's provider
// drawing its spans' ids from it.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { PooledIdGenerator, randomHex, randomUuid } from '../src/sdk/pooled-ids.js';

const require = createRequire(import.meta.url);
const { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');

test('pooled ids: 32 and 16 lower-case hex digits, distinct across many refills of the pool', () => {
  const ids = new PooledIdGenerator();
  const seen = new Set<string>();
  // 4 KB of pool is 8192 digits: 20,000 ids of 48 digits refill it over a hundred times.
  for (let i = 0; i < 20_000; i++) {
    const traceId = ids.generateTraceId();
    const spanId = ids.generateSpanId();
    assert.match(traceId, /^[0-9a-f]{32}$/);
    assert.match(spanId, /^[0-9a-f]{16}$/);
    assert.notEqual(traceId, '0'.repeat(32));
    assert.notEqual(spanId, '0'.repeat(16));
    seen.add(traceId).add(spanId);
  }
  assert.equal(seen.size, 40_000, 'no id repeats');
});

test('pooled ids: each hex digit about as likely as any other (a fixed or short pool would skew them)', () => {
  const counts = new Map<string, number>();
  const draws = 20_000;
  for (let i = 0; i < draws; i++) for (const digit of randomHex(16)) counts.set(digit, (counts.get(digit) ?? 0) + 1);
  assert.equal(counts.size, 16);
  const expected = (draws * 16) / 16;
  // Pearson's chi-square over the 16 digits (15 degrees of freedom: mean 15, σ 5.5). A fair source passes
  // 60 but once in ~4 million runs; a pool of 8,192 digits reused 39 times over these 320,000 scales its
  // own deviations by 39 (~585). A ±2 % bound per digit (2.9 σ) failed a fair run about one time in 20
  // (CI: digit 5 at 19,534 of 20,000).
  let chiSquare = 0;
  for (const n of counts.values()) chiSquare += (n - expected) ** 2 / expected;
  assert.ok(chiSquare < 60, `chi-square ${chiSquare.toFixed(1)} over 15 degrees of freedom: ${JSON.stringify(Object.fromEntries(counts))}`);
});

test('pooled ids: a provider given the generator gives its spans those ids, children keeping the trace id', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ idGenerator: new PooledIdGenerator(), spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer('pooled-ids-test');
  const parent = tracer.startSpan('parent');
  const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const child = tracer.startSpan('child', {}, api.trace.setSpan(api.ROOT_CONTEXT, parent));
  child.end();
  parent.end();
  const [c, p] = exporter.getFinishedSpans();
  assert.match(p.spanContext().traceId, /^[0-9a-f]{32}$/);
  assert.equal(c.spanContext().traceId, p.spanContext().traceId);
  assert.equal(c.parentSpanContext?.spanId, p.spanContext().spanId);
  assert.notEqual(c.spanContext().spanId, p.spanContext().spanId);
});

test('pooled request ids: UUID v4 (version 4, variant 10xx), lower-case, distinct across many batches', () => {
  const seen = new Set<string>();
  const variants = new Set<string>();
  for (let i = 0; i < 10_000; i++) {
    const id = randomUuid();
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    variants.add(id[19]);
    seen.add(id);
  }
  assert.equal(seen.size, 10_000, 'no id repeats');
  assert.deepEqual([...variants].sort(), ['8', '9', 'a', 'b'], 'every variant digit occurs');
});
