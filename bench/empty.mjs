// Benchmark fixture: an (almost) empty module, to time what a preload alone adds to start-up.
// It reports when it began to run (wall clock, ms since the epoch) and how many CommonJS files
// were already loaded, so the harness can tell start-up (spawn → first line) from exit (flushes,
// shutdown hooks), and see what a preload loads before the app's first line.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const at = performance.timeOrigin + performance.now();
const loaded = Object.keys(createRequire(import.meta.url).cache);
process.stderr.write(`BENCH_FIRST_LINE ${at} ${loaded.length}\n`);
if (process.env.BENCH_LIST_MODULES) writeFileSync(process.env.BENCH_LIST_MODULES, JSON.stringify(loaded));
