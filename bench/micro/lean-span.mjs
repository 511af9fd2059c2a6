#!/usr/bin/env node
// Micro-benchmark: one server span's life on the bundled SDK, started and ended the SDK's way
// (Tracer.startSpan, its SpanImpl constructor and end) against our lean start (src/sdk/lean-tracer.ts)
// building it with src/sdk/lean-span.ts: start with 11 request attributes, the three updates our server
// span makes at its end (status code, route, status, name), end; a processor that keeps every 64th span
// (as a batch would hold some). ns per span, medians over interleaved rounds.
// usage: npm run build && node bench/micro/lean-span.mjs [--rounds N] [--dist <a build's dist/>]
//   --dist: another build's lean start (default: this checkout's dist/); one build per process, since
//   each installs itself on the one SDK Tracer class: alternate processes to price a change
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const repoDir = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const require = createRequire(path.join(repoDir, 'package.json'));
const { TracerProvider } = require('@opentelemetry/sdk-trace');
const { ROOT_CONTEXT } = require('@opentelemetry/api');
const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const ROUNDS = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 7;
const distAt = args.indexOf('--dist');
const dist = distAt >= 0 ? path.resolve(args[distAt + 1]) : path.join(repoDir, 'dist');
const { installLeanTracer } = await import(path.join(dist, 'src/sdk/lean-tracer.js'));
const N = 200_000;
const kept = [];
const processor = {
  onStart() {},
  onEnd(span) {
    if (kept.push(span) > 512) kept.length = 0;
  },
  forceFlush: async () => undefined,
  shutdown: async () => undefined,
};
let n = 0;
const keepSome = { ...processor, onEnd: (span) => (++n % 64 === 0 ? processor.onEnd(span) : undefined) };
const provider = new TracerProvider({ spanProcessors: [keepSome] });
const sdkStartSpan = installLeanTracer(provider);
const tracer = provider.getTracer('@opentelemetry/instrumentation-http', '0.301.2');
tracer.startSpan('learn').end(); // the lean path learns the SDK's span class from the first span

const attributes = () => ({
  'http.request.method': 'GET', 'url.scheme': 'http', 'server.address': '127.0.0.1', 'network.peer.address': '127.0.0.1',
  'network.peer.port': 51234, 'network.protocol.version': '1.1', 'user_agent.original': 'autocannon', 'url.path': '/hello',
  'client.address': '127.0.0.1', 'server.port': 3000, 'request.id': '9b2f6c1e-4d0a-4f5e-8a7b-3c2d1e0f9a8b',
});
function life(start) {
  const span = start('GET', { kind: 1, attributes: attributes() }, ROOT_CONTEXT);
  span.setAttribute('http.response.status_code', 200);
  span.setAttribute('http.route', '/hello');
  span.setStatus({ code: 0 });
  span.updateName('GET /hello');
  span.end();
  return span;
}
/** @type {Record<string, (name: string, options: object, ctx: import('@opentelemetry/api').Context) => import('@opentelemetry/api').Span>} */
const variants = {
  'SDK Tracer.startSpan + SpanImpl': (name, options, ctx) => sdkStartSpan.call(tracer, name, options, ctx),
  [`lean start of ${dist}`]: (name, options, ctx) => tracer.startSpan(name, options, ctx),
};
/** @type {Record<string, number[]>} */
const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (const start of Object.values(variants)) for (let i = 0; i < 50_000; i++) life(start);
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, start] of Object.entries(variants)) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) life(start);
    samples[name].push(Number(process.hrtime.bigint() - t0) / N);
  }
}
const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
process.stdout.write(`| span start, 4 updates, end | ns per span (median of ${ROUNDS}; range) |\n|---|---|\n`);
for (const [name, xs] of Object.entries(samples)) {
  process.stdout.write(`| ${name} | ${median(xs).toFixed(0)} (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}) |\n`);
}
