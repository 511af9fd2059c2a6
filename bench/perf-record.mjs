#!/usr/bin/env node
// Where a configuration's CPU goes under load, on-CPU and exact: Linux perf samples the bench app (all
// its threads, kernel included) while autocannon loads one endpoint, with V8's jitdump (--perf-prof) so
// JavaScript frames keep their names after V8 moves or frees code (--perf-basic-prof's map goes stale and
// misnames frames). V8's own CPU profiler samples wall-clock time on the main thread only: a socket
// write that waits shows up there as CPU. Prints the inclusive share of the process's CPU for our
// bundle's functions, the GC, the kernel and page faults, and keeps the perf data for `perf report`.
// Needs perf (Debian: linux-perf) and a kernel that lets root sample (perf_event_paranoid ≤ 2 as root).
// usage: npm run build && node bench/perf-record.mjs [--endpoint /hello] [--seconds 6] [--top 40] [config]   (config: obs)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startApp } from './lib/app-process.mjs';
import { benchConfigs, benchDir, repoDir } from './lib/harness.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    endpoint: { type: 'string', default: '/hello' },
    seconds: { type: 'string', default: '6' },
    warmup: { type: 'string', default: '3' },
    top: { type: 'string', default: '40' },
    variant: { type: 'string', multiple: true, default: [] },
  },
});
if (spawnSync('perf', ['--version']).status !== 0) {
  process.stderr.write('perf-record: `perf` is not installed (Debian: apt-get install linux-perf)\n');
  process.exit(2);
}
const { sink, configs, log } = await benchConfigs({ tool: 'perf-record', marker: 'beefcafe', positionals: positionals.length > 0 ? positionals : ['obs'], variants: values.variant });
const config = configs[0];
const outDir = path.join(benchDir, 'results', 'profiles', `perf-${config.name}-${values.endpoint.replace(/\W/g, '')}-${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}`);
mkdirSync(outDir, { recursive: true });
const raw = path.join(outDir, 'perf.data');
const injected = path.join(outDir, 'perf.jit.data');

// --perf-prof writes jit-<pid>.dump into the app's working folder: perf inject reads it from there.
const app = startApp({ execArgv: ['--perf-prof', '--perf-prof-unwinding-info', ...config.execArgv], env: config.env, cwd: outDir, appPath: path.join(benchDir, 'app.mjs') });
try {
  const { port } = await app.ready;
  const url = `http://127.0.0.1:${port}${values.endpoint}`;
  await autocannon({ url, connections: 20, duration: Number(values.warmup) });
  // -k 1: the monotonic clock jitdump stamps its records with; cpu-clock works in VMs without PMU counters.
  const perf = spawn('perf', ['record', '-k', '1', '-e', 'cpu-clock', '-F', '4000', '-g', '-p', String(app.child.pid), '-o', raw, '--', 'sleep', values.seconds], { stdio: 'ignore' });
  const load = autocannon({ url, connections: 20, duration: Number(values.seconds) + 1 });
  await new Promise((resolve) => perf.once('exit', resolve));
  const result = await load;
  log(`${config.name} ${values.endpoint}: ${Math.round(result.requests.average)} req/s while recording`);
} finally {
  await app.stop();
  await sink.stop();
}
const inject = spawnSync('perf', ['inject', '--jit', '-i', raw, '-o', injected], { cwd: outDir, encoding: 'utf8' });
if (inject.status !== 0) throw new Error(`perf inject failed: ${inject.stderr}`);
for (const f of readdirSync(outDir)) if (/^jitted-.*\.so$/.test(f) || /^jit-.*\.dump$/.test(f)) rmSync(path.join(outDir, f));
rmSync(raw);

const report = spawnSync('perf', ['report', '-i', injected, '--children', '--sort', 'sym', '--stdio', '-g', 'none', '--percent-limit', '0.3'], { encoding: 'utf8', maxBuffer: 64 << 20 });
const rows = [];
for (const line of report.stdout.split('\n')) {
  const m = /^\s+([\d.]+)%\s+([\d.]+)%\s+\[(.)\]\s+(.*)$/.exec(line);
  if (m) rows.push({ children: Number(m[1]), self: Number(m[2]), kernel: m[3] === 'k', sym: m[4].trim() });
}
const pick = (/** @type {(r: typeof rows[number]) => boolean} */ f) => rows.filter(f);
const ours = pick((r) => /register-bundle\.c?js/.test(r.sym) || r.sym.includes('/dist/src/'));
const total = (/** @type {RegExp} */ re) => Math.max(0, ...rows.filter((r) => re.test(r.sym)).map((r) => r.children));
const short = (/** @type {string} */ s) => s.replace(/(?:file:\/\/)?\/\S*register-bundle\.c?js/, 'bundle').replace(/^JS:[*+^~]?'?/, '');
const lines = [
  `# perf: ${config.label}, GET ${values.endpoint} (${values.seconds} s, all threads, kernel included)`,
  '',
  `Data: ${path.relative(repoDir, injected)} (\`perf report -i <file> --children --sort sym\`).`,
  '',
  '| part | % of the process CPU (inclusive) |',
  '|---|---|',
  `| kernel (system calls, network stack, faults) | ${pick((r) => r.kernel).reduce((a, r) => a + r.self, 0).toFixed(1)} |`,
  `| page faults | ${total(/^asm_exc_page_fault$/).toFixed(1)} |`,
  `| scavenges (young-generation GC, all threads) | ${(total(/ScavengerCollector::JobTask::Run$/) + total(/^v8::internal::Heap::Scavenge$/)).toFixed(1)} |`,
  `| timers (our batch export runs on them) | ${total(/^uv__run_timers$/).toFixed(1)} |`,
  '',
  `| our function (bundle line:column) | inclusive % | self % |`,
  '|---|---|---|',
  ...ours.slice(0, Number(values.top)).map((r) => `| ${short(r.sym)} | ${r.children.toFixed(2)} | ${r.self.toFixed(2)} |`),
];
process.stdout.write(`${lines.join('\n')}\n`);
