#!/usr/bin/env node
// Instructions per request under valgrind's callgrind, for configurations of the bench app: per-request
// work counted without the cache and scheduling effects of a busy machine (CPU time per request on the
// shared 2-core box moved ×2 between runs an hour apart). Work that runs on a clock (timers, the
// event-loop-delay histogram) still grows with valgrind's wall time per request, more so when the machine
// is loaded and on /work, whose requests wait on I/O: compare rounds, not one figure. All threads are counted (GC
// helpers, libuv's pool), as the bench's CPU column counts them. Instrumentation is off during start-up
// and warm-up (callgrind's --instr-atstart=no), on for the measured requests only. Work that runs on a
// clock rather than per request is kept out of the window, or the count follows valgrind's slowness: the
// metric export interval is set to 10 minutes, and after the warm-up requests the app is left idle for
// --settle seconds (the exporters, gRPC and protobufjs load on idle ticks after start, src/export/warm-up.ts).
//
// usage: node bench/callgrind.mjs [--requests N] [--warmup N] [--endpoint /hello] [--variant NAME=BASE:K=V,...]... [configs...]
//   configs: plain, obs (default: plain obs); variants as in bench/run.mjs (BENCH_REGISTER=<dist/register.js>
//   of an earlier build prices a change against it).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startApp } from './lib/app-process.mjs';
import { benchConfigs, benchDir, repoDir } from './lib/harness.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    requests: { type: 'string', default: '5120' },
    warmup: { type: 'string', default: '3000' },
    endpoint: { type: 'string', default: '/hello' },
    variant: { type: 'string', multiple: true, default: [] },
    rounds: { type: 'string', default: '1' },
    settle: { type: 'string', default: '20' },
  },
});
const { sink, configs, log } = await benchConfigs({ tool: 'callgrind', marker: 'b0e7c0de', positionals, variants: values.variant });

/** Total instructions (Ir) in a callgrind dump file. */
function totalIr(file) {
  const match = /^(?:totals|summary):\s+(\d+)/m.exec(readFileSync(file, 'utf8'));
  if (!match) throw new Error(`no totals in ${file}`);
  return Number(match[1]);
}

async function measure(config) {
  const dir = mkdtempSync(path.join(tmpdir(), 'obs-callgrind-'));
  const app = startApp({
    node: 'valgrind',
    // One dump per thread: the main thread's count leaves out V8's compiler threads, whose work in a
    // short window depends on when the JIT happens to (re)optimise and swung one build's total by 50 %.
    execArgv: ['--tool=callgrind', '--instr-atstart=no', '--separate-threads=yes', '--smc-check=all-non-file', `--callgrind-out-file=${dir}/cg.%p`, process.execPath, ...config.execArgv],
    env: { ...config.env, OTEL_METRIC_EXPORT_INTERVAL: '600000' },
    cwd: repoDir,
    appPath: path.join(benchDir, 'app.mjs'),
    timeoutMs: 600_000,
  });
  try {
    const { port } = await app.ready;
    const url = `http://127.0.0.1:${port}${values.endpoint}`;
    await autocannon({ url, connections: 10, amount: Number(values.warmup), timeout: 60 });
    await new Promise((resolve) => setTimeout(resolve, Number(values.settle) * 1000));
    const pid = String(app.child.pid);
    execFileSync('callgrind_control', ['-i', 'on', pid]);
    const run = await autocannon({ url, connections: 10, amount: Number(values.requests), timeout: 60 });
    execFileSync('callgrind_control', ['-d', pid]);
    // cg.<pid>.<dump n>-<thread>, thread 01 the main one; cg.<pid>-<thread> are written at exit only
    const dumps = readdirSync(dir).filter((f) => /^cg\.\d+\.\d+-\d+$/.test(f));
    if (dumps.length === 0) throw new Error(`no callgrind dump in ${dir}`);
    const ir = dumps.reduce((sum, f) => sum + totalIr(path.join(dir, f)), 0);
    const mainIr = dumps.filter((f) => f.endsWith('-01')).reduce((sum, f) => sum + totalIr(path.join(dir, f)), 0);
    const requests = run.requests.total;
    if (run.non2xx + run.errors > 0) log(`${config.name}: ${run.non2xx + run.errors} failed requests`);
    return { all: ir / requests, main: mainIr / requests };
  } finally {
    await app.stop();
  }
}

const results = new Map(configs.map((c) => [c.name, /** @type {{ all: number, main: number }[]} */ ([])]));
for (let round = 0; round < Number(values.rounds); round++) {
  for (const config of configs) {
    const perRequest = await measure(config);
    results.get(config.name)?.push(perRequest);
    log(`${config.name}: ${Math.round(perRequest.all)} instructions/request (main thread ${Math.round(perRequest.main)})`);
  }
}
const median = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const of = (/** @type {string} */ name, /** @type {'all' | 'main'} */ key) => median((results.get(name) ?? []).map((r) => r[key]));
const added = (/** @type {string} */ name, /** @type {'all' | 'main'} */ key) => results.has('plain') && name !== 'plain' ? `+${Math.round(of(name, key) - of('plain', key))}` : '–';
process.stdout.write(`\n| configuration (${values.endpoint}, medians) | instructions/request, all threads | added to plain node | main thread | added |\n|---|---|---|---|---|\n`);
for (const config of configs) {
  process.stdout.write(`| ${config.label} | ${Math.round(of(config.name, 'all'))} | ${added(config.name, 'all')} | ${Math.round(of(config.name, 'main'))} | ${added(config.name, 'main')} |\n`);
}
await sink.stop();
