#!/usr/bin/env node
// JIT activity over time under steady load: V8's --trace-opt/--trace-deopt lines of the bench app,
// bucketed by when they arrive, while autocannon loads one endpoint for --seconds. Tells whether
// optimised compilations settle after the warm-up (a cost only of short windows) or keep coming (a
// deopt/reopt cycle a long-lived process pays forever), and which functions recompile.
// usage: node bench/jit.mjs [--endpoint /hello] [--seconds 40] [--bucket 5] [--top 25] [config]   (config: obs)
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startApp } from './lib/app-process.mjs';
import { benchConfigs, benchDir, repoDir } from './lib/harness.mjs';
import path from 'node:path';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    endpoint: { type: 'string', default: '/hello' },
    seconds: { type: 'string', default: '40' },
    bucket: { type: 'string', default: '5' },
    top: { type: 'string', default: '25' },
    rate: { type: 'string', default: '0' },
    variant: { type: 'string', multiple: true, default: [] },
  },
});
const { sink, configs, log } = await benchConfigs({ tool: 'jit', marker: 'j17c0de0', positionals: positionals.length ? positionals : ['obs'], variants: values.variant });

for (const config of configs) {
  const app = startApp({
    execArgv: ['--trace-opt', '--trace-deopt', ...config.execArgv], env: config.env, cwd: repoDir, appPath: path.join(benchDir, 'app.mjs'), stdout: 'pipe',
  });
  const started = performance.now();
  /** @type {{ t: number, kind: string, fn: string, ms: number }[]} */
  const events = [];
  const FN = /<JSFunction ([^ >]*)[^>]*>/;
  if (!app.child.stdout) throw new Error('no stdout from the app');
  createInterface({ input: app.child.stdout }).on('line', (line) => {
    const t = (performance.now() - started) / 1000;
    const fn = FN.exec(line)?.[1] ?? '?';
    if (line.includes('completed compiling') || line.includes('completed optimizing')) {
      const ms = /took ([\d.]+), ([\d.]+), ([\d.]+) ms/.exec(line);
      events.push({ t, kind: line.includes('MAGLEV') ? 'maglev' : 'turbofan', fn, ms: ms ? Number(ms[1]) + Number(ms[2]) + Number(ms[3]) : 0 });
    } else if (line.includes('bailout') || line.includes('deoptimiz')) {
      events.push({ t, kind: 'deopt', fn, ms: 0 });
    }
  });
  const { port } = await app.ready;
  const t0 = (performance.now() - started) / 1000;
  log(`${config.name}: listening at ${t0.toFixed(1)} s; loading ${values.endpoint} for ${values.seconds} s`);
  const result = await autocannon({ url: `http://127.0.0.1:${port}${values.endpoint}`, connections: 10, duration: Number(values.seconds), overallRate: Number(values.rate) || undefined });
  await app.stop();
  const bucket = Number(values.bucket);
  const rows = new Map();
  for (const e of events) {
    if (e.t < t0) continue;
    const b = Math.floor((e.t - t0) / bucket);
    const r = rows.get(b) ?? { turbofan: 0, maglev: 0, deopt: 0, ms: 0 };
    r[e.kind]++; r.ms += e.ms; rows.set(b, r);
  }
  console.log(`\n## ${config.name} ${values.endpoint}: ${Math.round(result.requests.average)} req/s\n\n| seconds after listening | TurboFan | Maglev | deopts | compile ms |\n|---|---|---|---|---|`);
  for (const [b, r] of [...rows].sort((x, y) => x[0] - y[0])) console.log(`| ${b * bucket}–${(b + 1) * bucket} | ${r.turbofan} | ${r.maglev} | ${r.deopt} | ${r.ms.toFixed(0)} |`);
  const late = events.filter((e) => e.t >= t0 + Number(values.seconds) / 2);
  const byFn = new Map();
  for (const e of late) { const k = `${e.kind} ${e.fn}`; byFn.set(k, (byFn.get(k) ?? 0) + 1); }
  console.log(`\nsecond half, by function:\n`);
  for (const [k, n] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`${n} ${k}`);
}
await sink.stop();
process.exit(0);
