#!/usr/bin/env node
// Overhead benchmark (issue 7): plain node vs our preload vs the official register, interleaved,
// fresh process per run, with an OTLP sink that checks every instrumented run really exported.
import { writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { parseOptions, USAGE } from './lib/args.mjs';
import { buildConfig, buildVariant } from './lib/configs.mjs';
import { startSink } from './lib/sink.mjs';
import { startApp, timeEmptyModule } from './lib/app-process.mjs';
import { load } from './lib/load.mjs';
import { rssBytes } from './lib/proc.mjs';
import { verifyExport } from './lib/verify.mjs';
import { OFFICIAL_PACKAGE, OFFICIAL_VERSION, officialDir } from './lib/official.mjs';
import { measureInstall, packRepo } from './lib/footprint.mjs';
import { summarizeResults, renderMarkdown } from './lib/report.mjs';
import { profileConfig } from './lib/profile-run.mjs';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.dirname(benchDir);
const appPath = path.join(benchDir, 'app.mjs');
const emptyPath = path.join(benchDir, 'empty.mjs');
const MARKER = 'b0e7c0de';
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

async function main() {
  let opts;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    console.error(`${err.message}\n${USAGE}`);
    process.exit(2);
  }
  if (opts.help) {
    console.log(USAGE);
    return;
  }
  const sink = await startSink({ marker: MARKER });
  try {
    if (opts.cpuProf) {
      const ctx = { repoDir, benchDir, sink, log };
      const variant = opts.variants.find((v) => v.startsWith(`${opts.cpuProf}=`));
      const config = variant ? buildVariant(variant, ctx) : buildConfig(opts.cpuProf, ctx);
      await profileConfig({ config, opts, sink, repoDir, benchDir, appPath, log });
      return;
    }
    await benchmark(opts, sink);
  } finally {
    await sink.stop();
  }
}

async function benchmark(opts, sink) {
  const configs = [];
  const failures = {};
  for (const name of opts.configs) {
    try {
      configs.push(buildConfig(name, { repoDir, benchDir, sink, log }));
    } catch (err) {
      failures[name] = String(err.message);
      log(`skipping ${name}: ${err.message}`);
    }
  }
  for (const spec of opts.variants) {
    try {
      configs.push(buildVariant(spec, { repoDir, benchDir, sink, log }));
    } catch (err) {
      failures[spec] = String(err.message);
      log(`skipping variant ${spec}: ${err.message}`);
    }
  }
  const results = Object.fromEntries(configs.map((c) => [c.name, { label: c.label, base: c.base ?? c.name, emptyModuleMs: [], emptyFirstLineMs: [], emptyCjsFiles: [], runs: [] }]));

  log(`preload on an empty module: ${opts.emptyRuns} interleaved runs per configuration`);
  for (let i = 0; i < opts.emptyRuns; i++) {
    for (const config of rotate(configs, i)) {
      try {
        const env = { ...config.env, OTEL_LOG_LEVEL: 'error' };
        const t = await timeEmptyModule({ execArgv: config.execArgv, env, cwd: repoDir, modulePath: emptyPath });
        results[config.name].emptyModuleMs.push(t.exitMs);
        results[config.name].emptyFirstLineMs.push(t.firstLineMs);
        results[config.name].emptyCjsFiles.push(t.cjsFiles);
      } catch (err) {
        failures[config.name] ??= `empty module: ${err.message}`;
      }
    }
  }

  const total = opts.runs * configs.length;
  let done = 0;
  for (let run = 0; run < opts.runs; run++) {
    for (const config of rotate(configs, run)) {
      log(`run ${run + 1}/${opts.runs} ${config.name} (${++done}/${total})`);
      try {
        results[config.name].runs.push(await oneRun(config, opts, sink));
      } catch (err) {
        log(`  ${config.name} failed: ${err.message.split('\n')[0]}`);
        results[config.name].runs.push({ failed: String(err.message).slice(0, 2000) });
      }
    }
  }

  let footprint;
  if (opts.footprint) footprint = measureFootprints();

  const report = {
    meta: meta(opts),
    failures,
    configs: results,
    footprint,
  };
  report.summary = summarizeResults(report, opts);
  const outBase = opts.out ?? path.join(benchDir, 'results', 'latest');
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

/** One fresh process: start-up, then each endpoint warmed up and measured, then the export check. */
async function oneRun(config, opts, sink) {
  sink.reset();
  const app = startApp({ execArgv: config.execArgv, env: config.env, cwd: repoDir, appPath });
  try {
    const { port, startupMs } = await app.ready;
    const pid = app.child.pid;
    const baseUrl = `http://127.0.0.1:${port}`;
    const rssIdleMB = rssBytes(pid) / 2 ** 20;
    const endpoints = {};
    for (const endpoint of opts.endpoints) {
      const url = baseUrl + endpoint;
      const warm = await load({ url, connections: opts.connections, durationS: opts.warmupS, pid });
      const measured = await load({ url, connections: opts.connections, durationS: opts.durationS, pid });
      if (measured.errors > 0 || measured.requests === 0) throw new Error(`${endpoint}: ${measured.errors} errors in ${measured.requests} requests`);
      endpoints[endpoint] = { ...measured, warmupRequests: warm.requests };
    }
    const rssAfterMB = rssBytes(pid) / 2 ** 20;
    const result = { startupMs, rssIdleMB, rssAfterMB, endpoints };
    if (config.expect) {
      const expect = { ...config.expect, spansPerWork: opts.minSpans };
      await sink.enableCrossCheck(pathToFileURL(path.join(repoDir, 'dist', 'src', 'cli', 'receiver', 'decode.js')).href);
      result.verify = await verifyExport({ sink, baseUrl, expect });
      sink.disableCrossCheck();
      result.sink = sink.counts();
      result.spanCoverage = expect.traces ? spanCoverage(result, opts) : NaN;
      if (!result.verify.ok) log(`  export check FAILED: ${result.verify.problems.slice(0, 3).join('; ')}`);
    }
    if (app.child.exitCode !== null) throw new Error(`app died during the run; stderr:\n${app.stderr()}`);
    return result;
  } finally {
    await app.stop();
  }
}

/** Spans received / spans the requests should have produced (1 per /hello, N per /work as seen in
 *  the check): well below 1 means the configuration dropped spans under load. */
function spanCoverage(result, opts) {
  const perWork = result.verify.spansPerWork || opts.minSpans;
  let expected = 0;
  for (const [endpoint, r] of Object.entries(result.endpoints)) {
    const n = r.requests + r.warmupRequests;
    expected += n * (endpoint === '/work' ? perWork : endpoint === '/hello' ? 1 : 0);
  }
  expected += 3 * perWork; // the check's own marked requests
  return expected > 0 ? result.sink.spans / expected : NaN;
}

function measureFootprints() {
  const work = path.join(benchDir, 'work');
  const footprint = {};
  try {
    log('install footprint: npm pack of this repo, then npm install into an empty folder');
    const tarball = packRepo(repoDir, path.join(work, 'pack'));
    footprint.obs = { spec: path.basename(tarball), ...measureInstall(tarball, path.join(work, 'footprint-obs')) };
  } catch (err) {
    footprint.obs = { failed: String(err.message) };
  }
  try {
    log(`install footprint: ${OFFICIAL_PACKAGE}@${OFFICIAL_VERSION}`);
    const spec = `${OFFICIAL_PACKAGE}@${OFFICIAL_VERSION}`;
    footprint.official = { spec, ...measureInstall(spec, path.join(work, 'footprint-official')) };
  } catch (err) {
    footprint.official = { failed: String(err.message) };
  }
  return footprint;
}

function rotate(list, by) {
  const k = by % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}

function meta(opts) {
  let commit = '';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoDir, encoding: 'utf8' }).trim();
  } catch {}
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}`,
    loadavgAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
    commit,
    officialVersion: OFFICIAL_VERSION,
    officialDir: path.relative(repoDir, officialDir(benchDir)),
    options: { ...opts },
  };
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
