#!/usr/bin/env node
// Resident memory under sustained load: each configuration's bench app held at a fixed rate on one
// endpoint for --seconds, its memory sampled every 2 s (bench/memory.mjs through /stats), the median
// of the samples after the first third reported per process, configurations interleaved per round.
// Why beside `npm run bench`: its RSS is one reading after a few seconds per endpoint, and what a
// process holds then depends on whether a full collection just ran; promoted garbage (old space) and
// off-heap stores awaiting that collection (ArrayBuffers, malloc'd memory) swing one reading by tens of MB.
// usage: node bench/rss-sustained.mjs [--endpoint /work] [--rate 500] [--seconds 45] [--rounds 2] [--variant NAME=BASE:K=V]... [configs...]
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startApp } from './lib/app-process.mjs';
import { benchConfigs, benchDir } from './lib/harness.mjs';
import { median } from './lib/stats.mjs';
import { load } from './lib/load.mjs';
import { memoryFigures } from './lib/app-stats.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    endpoint: { type: 'string', default: '/work' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '45' },
    rounds: { type: 'string', default: '2' },
    variant: { type: 'string', multiple: true, default: [] },
  },
});
const { sink, configs, log } = await benchConfigs({ tool: 'rss-sustained', marker: '55ca1ed0', positionals, variants: values.variant });
const PARTS = ['rss', 'new.size', 'old.size', 'arrayBuffers', 'other'];

/** One process: the medians of its late samples, MB per part. @param {(typeof configs)[number]} config */
async function oneRun(config) {
  const app = startApp({ execArgv: config.execArgv, env: config.env, cwd: benchDir, appPath: path.join(benchDir, 'app.mjs') });
  try {
    const { port } = await app.ready;
    const baseUrl = `http://127.0.0.1:${port}`;
    /** @type {Record<string, number>[]} */
    const samples = [];
    const timer = setInterval(() => {
      memoryFigures(baseUrl).then((m) => m && samples.push(m), () => undefined);
    }, 2000);
    const pid = /** @type {number} */ (app.child.pid);
    const measured = await load({ url: baseUrl + values.endpoint, connections: 10, durationS: Number(values.seconds), pid, rate: Number(values.rate) });
    clearInterval(timer);
    // A process that failed requests did not hold the rate: its memory would not be comparable.
    if (measured.errors > 0 || measured.requests === 0) throw new Error(`${config.label}: ${measured.errors} errors in ${measured.requests} requests`);
    const late = samples.slice(Math.floor(samples.length / 3));
    return Object.fromEntries(PARTS.map((part) => [part, median(late.map((m) => m[part]))]));
  } finally {
    await app.stop();
  }
}

/** @type {Map<string, Record<string, number>[]>} */
const results = new Map(configs.map((c) => [c.label, []]));
for (let round = 0; round < Number(values.rounds); round++) {
  for (const config of configs) {
    const row = await oneRun(config);
    log(`round ${round + 1}, ${config.label}: ${PARTS.map((p) => `${p} ${row[p].toFixed(1)}`).join(', ')} MB`);
    results.get(config.label)?.push(row);
  }
}
await sink.stop();

const plain = results.get(configs.find((c) => c.name === 'plain')?.label ?? '');
const cell = (/** @type {Record<string, number>[]} */ rows, /** @type {string} */ part) => {
  const mb = median(rows.map((r) => r[part]));
  return plain && rows !== plain ? `${mb.toFixed(1)} **${(mb - median(plain.map((r) => r[part]))).toFixed(1)}**` : mb.toFixed(1);
};
console.log(`\n${values.endpoint} at ${values.rate} req/s for ${values.seconds} s, ${values.rounds} round(s); MB, median over rounds (mean of the middle two for an even count) of each process's median sample after the first third (**added** over plain node)\n`);
console.log(`| configuration | RSS | new space | old space | ArrayBuffers | other (RSS − heap − ArrayBuffers) |\n|---|---|---|---|---|---|`);
for (const [label, rows] of results) console.log(`| ${label} | ${PARTS.map((p) => cell(rows, p)).join(' | ')} |`);
