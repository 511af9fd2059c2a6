#!/usr/bin/env node
// Micro-benchmark: a request's OTel context traffic on the API's BaseContext (a Map copied per setValue)
// against our LinkedContext (src/sdk/linked-context.ts): 3 values on the server context (span, RPC
// metadata, one more), then 3 client spans each setting its span and reading 4 keys, ns per request,
// medians over interleaved rounds; and the bytes each allocates (heap used, GC off between reads).
// usage: npm run build && node --expose-gc bench/micro/context.mjs [--rounds N]
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const repoDir = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const require = createRequire(path.join(repoDir, 'package.json'));
const { ROOT_CONTEXT, createContextKey } = require('@opentelemetry/api');
const { LinkedContext } = await import(path.join(repoDir, 'dist/src/sdk/linked-context.js'));

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const ROUNDS = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 7;
const SPAN = createContextKey('span');
const RPC = createContextKey('rpc');
const EXTRA = createContextKey('extra');
const SUPPRESS = createContextKey('suppress');
const span = { name: 'server' };

function request(root) {
  let sink = 0;
  const server = root.setValue(SPAN, span).setValue(RPC, { type: 0 }).setValue(EXTRA, 'id');
  for (let i = 0; i < 3; i++) {
    const client = server.setValue(SPAN, { name: 'client' });
    if (client.getValue(SPAN) !== undefined) sink++;
    if (client.getValue(SUPPRESS) === undefined) sink++;
    if (client.getValue(RPC) !== undefined) sink++;
    if (client.getValue(EXTRA) !== undefined) sink++;
  }
  return sink;
}

const variants = { 'BaseContext (API)': ROOT_CONTEXT, 'LinkedContext (ours)': LinkedContext.ROOT };
const N = 200_000;
/** @type {Record<string, number[]>} */
const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
let total = 0;
for (const root of Object.values(variants)) for (let i = 0; i < 20_000; i++) total += request(root);
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, root] of Object.entries(variants)) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) total += request(root);
    samples[name].push(Number(process.hrtime.bigint() - t0) / N);
  }
}
/** @type {Record<string, number>} */
const bytes = {};
if (typeof globalThis.gc === 'function') {
  for (const [name, root] of Object.entries(variants)) {
    const keep = [];
    globalThis.gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1000; i++) keep.push(request(root), root.setValue(SPAN, span).setValue(RPC, {}).setValue(EXTRA, 'id').setValue(SPAN, {}));
    bytes[name] = (process.memoryUsage().heapUsed - before) / 1000;
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`Node ${process.version}, ${ROUNDS} interleaved rounds (checksum ${total})`);
for (const [name, xs] of Object.entries(samples)) {
  const s = [...xs].sort((a, b) => a - b);
  const b = bytes[name] === undefined ? '' : `, a server + one client context kept: ~${Math.round(bytes[name])} B`;
  console.log(`${median(xs).toFixed(0).padStart(6)} ns/request (min ${s[0].toFixed(0)}, max ${s[s.length - 1].toFixed(0)})${b}  ${name}`);
}
