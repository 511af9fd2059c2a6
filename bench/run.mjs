#!/usr/bin/env node
// Overhead benchmark (issues 7 and 15): plain node vs our preload vs the official register,
// interleaved, fresh process per run, with an OTLP sink that checks every instrumented run really
// exported; per process a fixed-rate phase (RSS, p99), a max-throughput phase (CPU per request)
// and the app's own event-loop block watcher.
import { writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { parseOptions, USAGE } from './lib/args.mjs';
import { buildConfig, buildVariant } from './lib/configs.mjs';
import { startSink } from './lib/sink.mjs';
import { startApp, timeEmptyModule } from './lib/app-process.mjs';
import { load } from './lib/load.mjs';
import { rssBytes } from './lib/proc.mjs';
import { memoryFigures } from './lib/app-stats.mjs';
import { verifyExport } from './lib/verify.mjs';
import { OFFICIAL_PACKAGE, OFFICIAL_VERSION, officialDir } from './lib/official.mjs';
import { measureInstall, packRepo } from './lib/footprint.mjs';
import { summarizeResults, renderMarkdown } from './lib/report.mjs';
import { profileConfig } from './lib/profile-run.mjs';
import { resolveNode } from './lib/node.mjs';
import { receiverDecoderUrl } from './lib/package.mjs';

/** @typedef {import('./lib/args.mjs').Options} Options */
/** @typedef {import('./lib/sink.mjs').Sink} Sink */
/** @typedef {import('./lib/configs.mjs').Config} Config */
/** @typedef {{ maxMs: number, over20: number, cpuMaxMs: number | null, cpuOver20: number | null, ticks: number, watchedMs: number }} LoopFigures */
/** @typedef {{ label: string, base: string, emptyModuleMs: number[], emptyFirstLineMs: number[], emptyCjsFiles: number[], runs: Record<string, any>[] }} ConfigResults */

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.dirname(benchDir);
const appPath = path.join(benchDir, 'app.mjs');
const emptyPath = path.join(benchDir, 'empty.mjs');
const MARKER = 'b0e7c0de';
/** @param {string} msg */
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

async function main() {
  let opts;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    console.error(`${errorMessage(err)}\n${USAGE}`);
    process.exit(2);
  }
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  const node = await resolveNode(opts.node, log);
  const sink = await startSink({ marker: MARKER });
  try {
    if (opts.cpuProf) {
      const ctx = { repoDir, benchDir, sink, log };
      const variant = opts.variants.find((v) => v.startsWith(`${opts.cpuProf}=`));
      const config = variant ? buildVariant(variant, ctx) : buildConfig(opts.cpuProf, ctx);
      await profileConfig({ config, opts, sink, repoDir, benchDir, appPath, log, node: node.bin });
      return;
    }
    await benchmark(opts, sink, node);
  } finally {
    await sink.stop();
  }
}

/**
 * @param {Options} opts
 * @param {Sink} sink
 * @param {{ bin: string, version: string }} node
 */
async function benchmark(opts, sink, node) {
  /** @type {Config[]} */
  const configs = [];
  /** @type {Record<string, string>} */
  const failures = {};
  for (const name of opts.configs) {
    try {
      configs.push(buildConfig(name, { repoDir, benchDir, sink, log }));
    } catch (err) {
      failures[name] = errorMessage(err);
      log(`skipping ${name}: ${errorMessage(err)}`);
    }
  }
  for (const spec of opts.variants) {
    try {
      configs.push(buildVariant(spec, { repoDir, benchDir, sink, log }));
    } catch (err) {
      failures[spec] = errorMessage(err);
      log(`skipping variant ${spec}: ${errorMessage(err)}`);
    }
  }
  /** @type {Record<string, ConfigResults>} */
  const results = Object.fromEntries(configs.map((c) => [c.name, { label: c.label, base: c.base ?? c.name, emptyModuleMs: [], emptyFirstLineMs: [], emptyCjsFiles: [], runs: [] }]));

  log(`preload on an empty module: ${opts.emptyRuns} interleaved runs per configuration`);
  for (let i = 0; i < opts.emptyRuns; i++) {
    for (const config of rotate(configs, i)) {
      try {
        const env = { ...config.env, OTEL_LOG_LEVEL: 'error' };
        const t = await timeEmptyModule({ execArgv: config.execArgv, env, cwd: repoDir, modulePath: emptyPath, node: node.bin });
        results[config.name].emptyModuleMs.push(t.exitMs);
        results[config.name].emptyFirstLineMs.push(t.firstLineMs);
        results[config.name].emptyCjsFiles.push(t.cjsFiles);
      } catch (err) {
        failures[config.name] ??= `empty module: ${errorMessage(err)}`;
      }
    }
  }

  const total = opts.runs * configs.length;
  let done = 0;
  for (let run = 0; run < opts.runs; run++) {
    for (const config of rotate(configs, run)) {
      log(`run ${run + 1}/${opts.runs} ${config.name} (${++done}/${total})`);
      try {
        results[config.name].runs.push(await oneRun(config, opts, sink, node.bin));
      } catch (err) {
        log(`  ${config.name} failed: ${errorMessage(err).split('\n')[0]}`);
        results[config.name].runs.push({ failed: errorMessage(err).slice(0, 2000) });
      }
    }
  }

  let footprint;
  if (opts.footprint) footprint = measureFootprints();

  const report = {
    meta: meta(opts, node.version),
    failures,
    configs: results,
    footprint,
  };
  report.summary = summarizeResults(report, opts);
  // A smoke run must not overwrite the committed results: it goes to the git-ignored bench/work/.
  const outBase = opts.out ?? (opts.quick ? path.join(benchDir, 'work', 'quick') : path.join(benchDir, 'results', 'latest'));
  mkdirSync(path.dirname(outBase), { recursive: true });
  writeFileSync(`${outBase}.json`, JSON.stringify(report, null, 2) + '\n');
  const markdown = renderMarkdown(report, opts);
  writeFileSync(`${outBase}.md`, markdown);
  process.stdout.write(markdown);
  log(`wrote ${path.relative(process.cwd(), outBase)}.md and .json`);
  // A configuration that failed or did not export what it should makes the whole run fail.
  const failed = Object.keys(failures).length > 0 || Object.values(results).some((c) => c.runs.some((r) => r.failed || (r.verify && !r.verify.ok)));
  if (failed) {
    log('FAILED: see "export check" and "Failures" in the report');
    process.exitCode = 1;
  }
}

/**
 * One fresh process: start-up; the fixed-rate phase (each endpoint at --rate req/s, then RSS);
 * the max-throughput phase (each endpoint warmed up and measured); the export check; the app's
 * event-loop block figures since it listened (so they cover the first export).
 * @param {Config} config @param {Options} opts @param {Sink} sink @param {string} node
 */
async function oneRun(config, opts, sink, node) {
  sink.reset();
  const env = opts.loopMonitor ? { ...config.env, BENCH_LOOP_MONITOR: '1' } : config.env;
  const app = startApp({ execArgv: config.execArgv, env, cwd: repoDir, appPath, node });
  try {
    const { port, startupMs } = await app.ready;
    const pid = /** @type {number} */ (app.child.pid);
    const baseUrl = `http://127.0.0.1:${port}`;
    const rssIdleMB = rssBytes(pid) / 2 ** 20;
    /** @type {Record<string, Record<string, number> | undefined>} */
    const mem = { idle: await memoryFigures(baseUrl) };
    /** @type {Record<string, any>} */
    const atRate = {};
    let rssAtRateMB = NaN;
    /** @type {LoopFigures | undefined} */
    let loopAtRate;
    if (opts.rate > 0) {
      for (const endpoint of opts.endpoints) {
        const url = baseUrl + endpoint;
        const warm = await load({ url, connections: opts.connections, durationS: opts.warmupS, pid, rate: opts.rate });
        const measured = await load({ url, connections: opts.connections, durationS: opts.durationS, pid, rate: opts.rate });
        if (measured.errors > 0 || measured.requests === 0) throw new Error(`${endpoint} at ${opts.rate} req/s: ${measured.errors} errors in ${measured.requests} requests`);
        atRate[endpoint] = { ...measured, warmupRequests: warm.requests };
      }
      rssAtRateMB = rssBytes(pid) / 2 ** 20;
      mem.atRate = await memoryFigures(baseUrl);
      // Blocks at an equal, moderate load (the window holds the first exports: metrics every 5 s,
      // spans on the batch timer); the watch restarts for the max-throughput phase.
      if (opts.loopMonitor) loopAtRate = await loopFigures(baseUrl, true);
    }
    /** @type {Record<string, any>} */
    const endpoints = {};
    for (const endpoint of opts.maxLoad ? opts.endpoints : []) {
      const url = baseUrl + endpoint;
      const warm = await load({ url, connections: opts.connections, durationS: opts.warmupS, pid });
      const measured = await load({ url, connections: opts.connections, durationS: opts.durationS, pid });
      if (measured.errors > 0 || measured.requests === 0) throw new Error(`${endpoint}: ${measured.errors} errors in ${measured.requests} requests`);
      endpoints[endpoint] = { ...measured, warmupRequests: warm.requests };
    }
    const rssAfterMB = opts.maxLoad ? rssBytes(pid) / 2 ** 20 : NaN;
    if (opts.maxLoad) mem.afterMax = await memoryFigures(baseUrl);
    /** @type {Record<string, any>} */
    const result = { startupMs, rssIdleMB, rssAtRateMB, rssAfterMB, atRate, endpoints, loopAtRate, mem };
    if (config.expect) {
      const expect = { ...config.expect, spansPerWork: opts.minSpans };
      await sink.enableCrossCheck(receiverDecoderUrl());
      result.verify = await verifyExport({ sink, baseUrl, expect });
      sink.disableCrossCheck();
      result.sink = sink.counts();
      result.spanCoverage = expect.traces ? spanCoverage(result, opts) : NaN;
      if (!result.verify.ok) log(`  export check FAILED: ${result.verify.problems.slice(0, 3).join('; ')}`);
    }
    if (app.child.exitCode !== null) throw new Error(`app died during the run; stderr:\n${app.stderr()}`);
    if (opts.loopMonitor) result.loop = await loopFigures(baseUrl, false);
    return result;
  } finally {
    await app.stop();
  }
}

/**
 * The app's event-loop block figures since it listened or the last reset (see bench/loop-monitor.mjs).
 * @param {string} baseUrl @param {boolean} reset
 * @returns {Promise<LoopFigures | undefined>}
 */
async function loopFigures(baseUrl, reset) {
  const res = await fetch(`${baseUrl}/stats${reset ? '?reset=1' : ''}`);
  const body = /** @type {{ loop: LoopFigures | null }} */ (await res.json());
  return body.loop ?? undefined;
}

/** Spans received / spans the requests should have produced (1 per /hello, N per /work as seen in
 *  the check): well below 1 means the configuration dropped spans under load. */
/** @param {Record<string, any>} result @param {Options} opts */
function spanCoverage(result, opts) {
  const perWork = result.verify.spansPerWork || opts.minSpans;
  let expected = 0;
  for (const [endpoint, r] of [...Object.entries(result.endpoints), ...Object.entries(result.atRate)]) {
    const n = r.requests + r.warmupRequests;
    expected += n * (endpoint === '/work' ? perWork : endpoint === '/hello' ? 1 : 0);
  }
  expected += 3 * perWork; // the check's own marked requests
  return expected > 0 ? result.sink.spans / expected : NaN;
}

function measureFootprints() {
  const work = path.join(benchDir, 'work');
  /** @type {Record<string, any>} */
  const footprint = {};
  try {
    log('install footprint: npm pack of this repo, then npm install into an empty folder');
    const tarball = packRepo(repoDir, path.join(work, 'pack'));
    footprint.obs = { spec: path.basename(tarball), ...measureInstall(tarball, path.join(work, 'footprint-obs')) };
  } catch (err) {
    footprint.obs = { failed: errorMessage(err) };
  }
  try {
    log(`install footprint: ${OFFICIAL_PACKAGE}@${OFFICIAL_VERSION}`);
    const spec = `${OFFICIAL_PACKAGE}@${OFFICIAL_VERSION}`;
    footprint.official = { spec, ...measureInstall(spec, path.join(work, 'footprint-official')) };
  } catch (err) {
    footprint.official = { failed: errorMessage(err) };
  }
  return footprint;
}

/** @template T @param {T[]} list @param {number} by @returns {T[]} */
function rotate(list, by) {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

/** @param {Options} opts @param {string} appNode the version of the Node that ran the app */
function meta(opts, appNode) {
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoDir, encoding: 'utf8' }).trim();
  } catch {}
  return {
    date: new Date().toISOString(),
    node: appNode,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}`,
    loadavgAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
    commit,
    officialVersion: OFFICIAL_VERSION,
    officialDir: path.relative(repoDir, officialDir(benchDir)),
    options: { ...opts },
  };
}

/** @param {unknown} err */
function errorMessage(err) {
  return err instanceof Error ? err.message : String(err);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
