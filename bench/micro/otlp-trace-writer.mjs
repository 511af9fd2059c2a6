#!/usr/bin/env node
// Micro-benchmark: upstream's ProtobufTraceSerializer vs our one-pass OTLP trace writer on 512-span
// batches of a realistic server span (10 attributes), µs per span, medians over interleaved rounds.
// Run after `npm run build`:  node_modules/.bin/node bench/micro/otlp-trace-writer.mjs [rounds] [iterations]
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_DIR as repo, assertBuilt } from '../lib/package.mjs';

assertBuilt();
const require = createRequire(path.join(repo, 'package.json'));
const { encodeTraceRequest } = await import(pathToFileURL(path.join(repo, 'dist/src/export/otlp-trace-writer/serializer.js')).href);
const fromExporter = createRequire(require.resolve('@opentelemetry/exporter-trace-otlp-proto'));
const { ProtobufTraceSerializer } = fromExporter('@opentelemetry/otlp-transformer');
const { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = require('@opentelemetry/sdk-trace');
const { resourceFromAttributes } = require('@opentelemetry/resources');

const ROUNDS = Number(process.argv[2] ?? 15);
const ITERATIONS = Number(process.argv[3] ?? 20);
const BATCH = 512;

function spans() {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'checkout', 'service.version': '1.4.2', 'deployment.environment.name': 'production',
      'host.name': 'web-7f9c', 'host.arch': 'amd64', 'os.type': 'linux', 'process.pid': 4242,
      'process.runtime.name': 'nodejs', 'process.runtime.version': '24.11.0', 'service.instance.id': 'c0ffee00-1234-4abc-9def-0123456789ab',
      'telemetry.sdk.name': 'opentelemetry', 'telemetry.sdk.language': 'nodejs', 'telemetry.sdk.version': '3.1.1',
    }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('@opentelemetry/instrumentation-http', '0.301.2');
  for (let i = 0; i < BATCH; i++) {
    const span = tracer.startSpan('GET /users/:id', {
      kind: 1,
      attributes: {
        'http.request.method': 'GET', 'url.scheme': 'http', 'url.path': `/users/${1000 + i}`, 'http.route': '/users/:id',
        'server.address': 'localhost', 'server.port': 3000, 'network.protocol.version': '1.1',
        'user_agent.original': 'Mozilla/5.0 (X11; Linux x86_64) bench/1.0', 'client.address': '127.0.0.1',
        'http.response.status_code': 200,
      },
    });
    span.end();
  }
  return exporter.getFinishedSpans();
}

function time(fn, batch) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) fn(batch);
  return Number(process.hrtime.bigint() - t0) / 1e3 / ITERATIONS / batch.length;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const batch = spans();
const upstream = (b) => ProtobufTraceSerializer.serializeRequest(b);
const ours = (b) => encodeTraceRequest(b);
const a = upstream(batch);
const b = ours(batch);
if (Buffer.compare(Buffer.from(a), Buffer.from(b)) !== 0) throw new Error('outputs differ: run test/otlp-trace-writer.test.js');
for (let i = 0; i < 50; i++) { upstream(batch); ours(batch); } // warm-up (JIT)
const results = { upstream: [], ours: [] };
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 === 0 ? ['upstream', 'ours'] : ['ours', 'upstream'];
  for (const name of order) results[name].push(time(name === 'upstream' ? upstream : ours, batch));
}
const up = median(results.upstream);
const us = median(results.ours);
const fmt = (xs) => `median ${median(xs).toFixed(2)} µs/span (min ${Math.min(...xs).toFixed(2)}, max ${Math.max(...xs).toFixed(2)})`;
console.log(`node ${process.version}, ${BATCH}-span batches, ${(b.length / BATCH).toFixed(0)} B/span, ${ROUNDS} interleaved rounds × ${ITERATIONS} batches`);
console.log(`upstream ProtobufTraceSerializer: ${fmt(results.upstream)}`);
console.log(`obs one-pass writer:              ${fmt(results.ours)}`);
// Paired per round (both encoders ran back to back): steadier than a ratio of medians on a busy machine.
const paired = results.upstream.map((u, i) => u / results.ours[i]);
console.log(`ratio of medians: ${(up / us).toFixed(2)}×; median of per-round ratios: ${median(paired).toFixed(2)}×; best rounds: ${(Math.min(...results.upstream) / Math.min(...results.ours)).toFixed(2)}×`);
