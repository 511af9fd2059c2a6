#!/usr/bin/env node
// Compatibility matrix runner: `npm run test:matrix` (full) and `npm run test:matrix:ci` (subset).
//
// Usage: node matrix/run.mjs [--ci] [--only <substring of cell id>] [--jobs N] [--no-preload] [--head]
// --head packs the last commit instead of the work tree (for the record in docs/compatibility.md).
// --no-preload is the negative control: the same apps without @org/obs, where every check must fail.
// Packs the repo, installs each stack into .matrix-cache/, runs every cell's fixture app under the
// preload against the local PostgreSQL and Redis with the repo's OTLP receiver, and judges the
// telemetry. The full run (no --only) rewrites matrix/results/latest.json and docs/compatibility.md.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { expandCells } from './cells.mjs';
import { mapLimit, run } from './exec.mjs';
import { writeFixture } from './fixture.mjs';
import { installStack } from './installs.mjs';
import { knownLimit } from './known-limits.mjs';
import { nodeBinary, nodeVersion } from './node-binaries.mjs';
import { exportHead, packRepo } from './pack.mjs';
import { CACHE, REPO, RESULTS } from './paths.mjs';
import { renderMarkdown, writeDoc } from './report.mjs';
import { runCell } from './run-cell.mjs';

const { values: opts } = parseArgs({
  options: {
    ci: { type: 'boolean', default: false },
    only: { type: 'string' },
    jobs: { type: 'string', default: '2' },
    'no-preload': { type: 'boolean', default: false },
    head: { type: 'boolean', default: false },
  },
});
const subset = opts.ci ? 'ci' : 'full';
const jobs = Math.max(1, Number(opts.jobs) || 2);
const log = (msg) => console.error(`matrix: ${msg}`);

const cells = expandCells({ subset })
  .filter((c) => !opts.only || c.id.includes(opts.only))
  .map((c) => (opts['no-preload'] ? { ...c, id: `${c.id}-nopreload`, start: 'none' } : c));
if (cells.length === 0) {
  log(`no cell matches --only ${opts.only}`);
  process.exit(2);
}
log(`${cells.length} cells (${subset}${opts.only ? `, only "${opts.only}"` : ''})`);

log(`building and packing @org/obs from ${opts.head ? 'HEAD' : 'the work tree'}`);
const source = opts.head ? await exportHead() : REPO;
const tarball = await packRepo({ source, log });
const { SUPPORTED, satisfiesRange } = await import(pathToFileURL(path.join(source, 'dist', 'src', 'instrumentations', 'supported.js')).href);

const majors = [...new Set(cells.map((c) => c.node))];
const nodes = {};
const binaries = {};
for (const major of majors) {
  binaries[major] = await nodeBinary(major);
  nodes[major] = await nodeVersion(binaries[major]);
}
log(`node: ${Object.values(nodes).join(', ')}`);

// Installs are the slow part: at most two npm processes at once, sharing npm's cache.
const stacks = [...new Map(cells.map((c) => [c.stack.id, c.stack])).values()];
const installed = {};
await mapLimit(stacks, 2, async (stack) => {
  try {
    installed[stack.id] = await installStack(stack, tarball);
    log(`installed ${stack.id}: ${JSON.stringify(installed[stack.id].versions)}`);
    if (installed[stack.id].install) log(`${stack.id} copies: ${installed[stack.id].install.copies.map((c) => `${c.path}@${c.version}`).join(', ')}`);
  } catch (err) {
    const reason = err.install ? err.message : err.message.split('\n').slice(-3).join(' ');
    installed[stack.id] = { error: `install failed: ${reason}`, install: err.install };
    log(`install ${stack.id} failed:\n${err.message}`);
  }
});

/** A red library whose instrumentation failed to load says so: the preload's own line is the reason. */
function withLoadFailure(module, verdict, stderr) {
  const line = !verdict.ok && stderr?.split('\n').find((l) => l.includes(`instrumentation ${module} could not be loaded`));
  return line ? { ...verdict, reason: `${verdict.reason}; ${line.replace(/^@org\/obs: /, '').replace(/; the rest runs$/, '')}` } : verdict;
}

/** pass | fail | unsupported (outside the instrumentation's declared range) | known (documented limit). */
function classify(module, verdict, cell, versions) {
  const version = versions[module];
  const entry = SUPPORTED[module];
  if (entry && version && !satisfiesRange(version, entry.range)) {
    return { status: 'unsupported', worksAnyway: verdict.ok, reason: `${module} ${version} is outside ${entry.instrumentation}'s range ${entry.range}` + (verdict.ok ? '' : `; ${verdict.reason}`) };
  }
  const limit = knownLimit(module, cell, version);
  if (limit && !verdict.ok) return { status: 'known', reason: `${limit.reason}${limit.link ? ` (${limit.link})` : ''}`, observed: verdict.reason };
  if (limit) log(`known limit for ${module} in ${cell.id} no longer fails: remove it from matrix/known-limits.mjs`);
  return verdict.ok ? { status: 'pass', detail: verdict.detail } : { status: 'fail', reason: verdict.reason };
}

/** The app-API stacks' installs: each npm step (with npm's output when it failed), the copies, `npm ls`. */
function appApiInstalls() {
  const out = {};
  for (const stack of stacks) {
    const install = installed[stack.id]?.install;
    if (!stack.appApi || !install) continue;
    // npm ls repeats every invalid peer's whole chain on each line; the first reason says it.
    const npmLs = install.npmLs.split('\n').map((l) => l.replace(/(invalid: "[^"]*" from \S+)(, .*)$/, '$1, ...'));
    out[stack.id] = { ...stack.appApi, steps: install.steps, copies: install.copies, resolvedBy: install.resolvedBy, npmLs };
  }
  return out;
}

const results = await mapLimit(cells, jobs, async (cell) => {
  const { versions, error } = installed[cell.stack.id];
  let outcome;
  if (error) {
    outcome = { verdicts: Object.fromEntries(cell.stack.libs.map((l) => [l.module, { ok: false, reason: error }])), stderr: '' };
  } else {
    try {
      const entry = await writeFixture(cell);
      outcome = await runCell(cell, { nodeBin: binaries[cell.node], entry, root: source });
    } catch (err) {
      const reason = `fixture failed: ${err.message.split('\n').slice(0, 4).join(' ')}`;
      outcome = { verdicts: Object.fromEntries(cell.stack.libs.map((l) => [l.module, { ok: false, reason }])), stderr: '' };
    }
  }
  const libs = {};
  for (const [module, verdict] of Object.entries(outcome.verdicts)) {
    if (verdict) libs[module] = classify(module, withLoadFailure(module, verdict, outcome.stderr), cell, versions ?? {});
  }
  const failed = Object.entries(libs).filter(([, e]) => e.status === 'fail');
  log(`${failed.length ? '✗' : '✓'} ${cell.id}${failed.map(([m, e]) => `\n    ${m}: ${e.reason}`).join('')}`);
  return {
    id: cell.id, stack: cell.stack.id, node: cell.node, nodeVersion: nodes[cell.node], module: cell.module,
    start: cell.start, ts: Boolean(cell.stack.ts), versions: versions ?? {}, libs,
    // App-API cells: the app's API spec and install order, npm's steps and where each API copy landed.
    // App-API cells: the app's API spec and install order, and where each API copy landed (npm's
    // steps and `npm ls` are in the report's `installs`, once per stack).
    ...(cell.stack.appApi && { appApi: { ...cell.stack.appApi, copies: installed[cell.stack.id].install?.copies } }),
    stderr: outcome.stderr,
    // The span tree always (evidence for the ✓), the metric names only where something is off.
    received: outcome.received && (Object.values(libs).every((e) => e.status === 'pass')
      ? { spans: outcome.received.spans }
      : outcome.received),
  };
});

// The matrix packs the work tree, so say when what ran differs from the commit it names.
const commit = (await run('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO }).catch(() => 'unknown')).trim();
const dirty = opts.head ? '' : (await run('git', ['status', '--porcelain', '--', 'register.ts', 'src', 'package.json'], { cwd: REPO }).catch(() => '')).trim();
const report = {
  generatedAt: new Date().toISOString(),
  subset: opts.only ? `${subset} --only ${opts.only}` : subset,
  obsVersion: JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version,
  commit: dirty ? `${commit}+uncommitted` : commit,
  nodes,
  installs: appApiInstalls(),
  cells: results,
};
const markdown = renderMarkdown(report);
console.log(markdown);

// Only a complete full run is the record the docs quote; subsets and filtered runs stay in the cache.
const official = subset === 'full' && !opts.only && !opts['no-preload'];
const out = official ? path.join(RESULTS, 'latest.json') : path.join(CACHE, `results-${subset}.json`);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
if (official) writeDoc(markdown);
log(`results: ${path.relative(REPO, out)}${official ? ', docs/compatibility.md' : ''}`);

const failures = results.flatMap((c) => Object.entries(c.libs).filter(([, e]) => e.status === 'fail').map(([m]) => `${c.id}/${m}`));
const passed = results.length - new Set(failures.map((f) => f.split('/')[0])).size;
console.log(`matrix: ${passed} passed, ${results.length - passed} failed`);
process.exitCode = failures.length ? 1 : 0;
