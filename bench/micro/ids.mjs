#!/usr/bin/env node
// Micro-benchmark: the ids a request draws. A span id and a trace id from the SDK's RandomIdGenerator
// against our pooled generator (src/sdk/pooled-ids.ts), and a request id from node:crypto's randomUUID
// against our pooled randomUuid; ns per id, medians over interleaved rounds.
// usage: npm run build && node bench/micro/ids.mjs [--rounds N]
import crypto from 'node:crypto';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const repoDir = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const require = createRequire(path.join(repoDir, 'package.json'));
const { RandomIdGenerator } = require('@opentelemetry/sdk-trace');
const { PooledIdGenerator, randomUuid } = await import(path.join(repoDir, 'dist/src/sdk/pooled-ids.js'));

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const ROUNDS = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 7;
const N = 500_000;
const sdk = new RandomIdGenerator();
const pooled = new PooledIdGenerator();
/** @type {Record<string, () => string>} */
const variants = {
  'span id, SDK RandomIdGenerator': () => sdk.generateSpanId(),
  'span id, pooled (ours)': () => pooled.generateSpanId(),
  'trace id, SDK RandomIdGenerator': () => sdk.generateTraceId(),
  'trace id, pooled (ours)': () => pooled.generateTraceId(),
  'request id, crypto.randomUUID': () => crypto.randomUUID(),
  'request id, pooled randomUuid (ours)': () => randomUuid(),
};
/** @type {Record<string, number[]>} */
const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
let length = 0;
for (const f of Object.values(variants)) for (let i = 0; i < 50_000; i++) length += f().length;
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, f] of Object.entries(variants)) {
    const t0 = process.hrtime.bigint();
    // Each id is used (its length read), as a caller would, so none is optimised away.
    for (let i = 0; i < N; i++) length += f().length;
    samples[name].push(Number(process.hrtime.bigint() - t0) / N);
  }
}
const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
process.stdout.write(`| id | ns per id (median of ${ROUNDS}) |\n|---|---|\n`);
for (const [name, xs] of Object.entries(samples)) process.stdout.write(`| ${name} | ${median(xs).toFixed(0)} |\n`);
if (length === 0) process.stdout.write('(no ids)\n');
