#!/usr/bin/env node
// Bytes allocated per request, by function and by package, for configurations of the bench app: V8's
// sampling heap profiler with collected objects included (bench/lib/heap-sampler.mjs), over a fixed
// number of requests after a warm-up. Allocation rate drives the young generation's growth and so the
// RSS figure (docs/performance.md, "Memory"): this says where the bytes come from.
// usage: node bench/alloc.mjs [--requests N] [--warmup N] [--endpoint /work] [--top N] [--callers FN]... [--variant NAME=BASE:K=V]... [configs...]
//   --callers Map --callers keys: which functions call these (natives show no place of their own)
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startApp } from './lib/app-process.mjs';
import { benchConfigs, benchDir, repoDir } from './lib/harness.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    requests: { type: 'string', default: '20000' },
    warmup: { type: 'string', default: '5000' },
    endpoint: { type: 'string', default: '/work' },
    top: { type: 'string', default: '25' },
    variant: { type: 'string', multiple: true, default: [] },
    callers: { type: 'string', multiple: true, default: [] },
  },
});
const { sink, configs } = await benchConfigs({ tool: 'alloc', marker: 'a11oc8ed', positionals, variants: values.variant });

/** Package of a script URL: the last node_modules segment, our bundle, the app, or node core. */
function packageOf(url) {
  if (!url) return '(native)';
  if (url.startsWith('node:')) return 'node core';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.includes('/dist/')) return '@org/obs';
  if (url.includes('/bench/')) return 'app (bench fixture)';
  return 'other';
}

function analyze(profile, requests) {
  const byFunction = new Map();
  const byPackage = new Map();
  let total = 0;
  const callers = new Map();
  const walk = (node, parent) => {
    const self = node.selfSize;
    if (self > 0 && parent && values.callers.includes(node.callFrame.functionName)) {
      const pf = parent.callFrame;
      const key = `${node.callFrame.functionName} ← ${pf.functionName || '(anonymous)'} ${pf.url.replace(/^.*\/(node_modules|dist|bench)\//, '$1/')}:${pf.lineNumber + 1}`;
      callers.set(key, (callers.get(key) ?? 0) + self);
    }
    if (self > 0) {
      const f = node.callFrame;
      const pkg = packageOf(f.url);
      const key = `${f.functionName || '(anonymous)'} | ${pkg} | ${f.url.replace(/^.*\/(node_modules|dist|bench)\//, '$1/')}:${f.lineNumber + 1}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + self);
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + self);
      total += self;
    }
    for (const c of node.children) walk(c, node);
  };
  walk(profile.head, undefined);
  const per = (b) => (b / requests / 1024).toFixed(2);
  return { total: per(total), byPackage: [...byPackage].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, per(v)]), byFunction: [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top)).map(([k, v]) => [k, per(v)]),
    callers: [...callers].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top)).map(([k, v]) => [k, per(v)]) };
}

for (const config of configs) {
  const dir = mkdtempSync(path.join(tmpdir(), 'obs-alloc-'));
  const file = path.join(dir, 'heap.json');
  const app = startApp({
    execArgv: [...config.execArgv, '--import', path.join(benchDir, 'lib/heap-sampler.mjs')],
    env: { ...config.env, BENCH_HEAP_PROFILE: file },
    cwd: repoDir,
    appPath: path.join(benchDir, 'app.mjs'),
  });
  try {
    const { port } = await app.ready;
    const url = `http://127.0.0.1:${port}${values.endpoint}`;
    await autocannon({ url, connections: 10, amount: Number(values.warmup) });
    const waitFor = (/** @type {string} */ marker) => new Promise((/** @type {(v?: unknown) => void} */ resolve) => {
      const check = () => (app.stderr().includes(marker) ? resolve() : setTimeout(check, 50));
      check();
    });
    app.child.kill('SIGUSR2');
    await waitFor('BENCH_HEAP_SAMPLING');
    const run = await autocannon({ url, connections: 10, amount: Number(values.requests) });
    app.child.kill('SIGUSR2');
    await waitFor('BENCH_HEAP_WRITTEN');
    const r = analyze(JSON.parse(readFileSync(file, 'utf8')), run.requests.total);
    process.stdout.write(`\n## ${config.label}, ${values.endpoint}: ${r.total} KB allocated per request (${run.requests.total} requests)\n\n| package | KB/request |\n|---|---|\n`);
    for (const [k, v] of r.byPackage) if (Number(v) >= 0.01) process.stdout.write(`| ${k} | ${v} |\n`);
    process.stdout.write(`\n| function | package | where | KB/request |\n|---|---|---|---|\n`);
    for (const [k, v] of r.byFunction) process.stdout.write(`| ${k.split(' | ').join(' | ')} | ${v} |\n`);
    if (r.callers.length > 0) process.stdout.write(`\n| allocation ← caller (--callers) | KB/request |\n|---|---|\n${r.callers.map(([k, v]) => `| ${k} | ${v} |`).join('\n')}\n`);
  } finally {
    await app.stop();
  }
}
await sink.stop();
