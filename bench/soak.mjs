// Soak: the benchmark app under the preload at a steady request rate for a long time, once against
// a healthy collector and once against a failing one; reports RSS over time and p99 latency per
// window, so "a broken collector costs the app nothing" is a figure, not a claim. Not part of npm test.
//
//   npm run soak -- [--minutes 10] [--rate 200] [--window 30] [--fault hang|refuse|503|429|500|malformed|slow]
//                   [--scenarios healthy,failing] [--out bench/results/soak]
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startApp } from './lib/app-process.mjs';
import { rssBytes } from './lib/proc.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoDir = path.dirname(here);
const { OtlpReceiver, parseFault } = await import(path.join(repoDir, 'dist/src/cli/receiver/index.js'));

const { values: opts } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '200' },
    window: { type: 'string', default: '30' },
    connections: { type: 'string', default: '10' },
    fault: { type: 'string', default: 'hang' },
    scenarios: { type: 'string', default: 'healthy,failing' },
    out: { type: 'string', default: path.join(here, 'results', 'soak') },
  },
});
const minutes = Number(opts.minutes);
const rate = Number(opts.rate);
const windowS = Number(opts.window);
const FAULTS = { hang: 'hang', refuse: 'refuse', malformed: 'malformed', slow: 'delay=5s', 503: '503', 429: 'status=429,retry-after=2', 500: '500' };

const mib = (b) => Math.round((b / 1048576) * 10) / 10;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function scenario(name) {
  const receiver = new OtlpReceiver();
  const fault = name === 'failing' ? parseFault(FAULTS[opts.fault] ?? opts.fault) : undefined;
  await receiver.start(fault ? { faults: { all: fault } } : {});
  const env = {
    ...receiver.envFor(),
    // Production-like pacing, not the test suite's fast export.
    OTEL_BSP_SCHEDULE_DELAY: '5000',
    OTEL_BLRP_SCHEDULE_DELAY: '1000',
    OTEL_METRIC_EXPORT_INTERVAL: '10000',
  };
  const app = startApp({ execArgv: ['--import', '@org/obs/register'], env, cwd: repoDir, appPath: path.join(here, 'app.mjs') });
  const { port } = await app.ready;
  const windows = [];
  const rssStart = rssBytes(app.child.pid);
  const deadline = Date.now() + minutes * 60_000;
  process.stderr.write(`[soak] ${name}${fault ? ` (collector: ${opts.fault})` : ''}: ${minutes} min at ${rate} req/s\n`);
  while (Date.now() < deadline) {
    const durationS = Math.max(1, Math.min(windowS, Math.round((deadline - Date.now()) / 1000)));
    const r = await autocannon({ url: `http://127.0.0.1:${port}/work`, connections: Number(opts.connections), overallRate: rate, duration: durationS });
    const w = {
      atS: Math.round((minutes * 60_000 - (deadline - Date.now())) / 1000),
      requests: r.requests.total,
      errors: r.errors + r.timeouts + r.non2xx,
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      rssMiB: mib(rssBytes(app.child.pid)),
    };
    windows.push(w);
    process.stderr.write(`[soak] ${name} t=${w.atS}s req=${w.requests} err=${w.errors} p99=${w.p99Ms}ms rss=${w.rssMiB}MiB\n`);
  }
  const stats = receiver.stats();
  const ourLines = app.stderr().split('\n').filter((l) => l.startsWith('@org/obs: '));
  await app.stop();
  await receiver.stop();
  const rss = windows.map((w) => w.rssMiB);
  return {
    name,
    collector: fault ? opts.fault : 'healthy',
    requests: windows.reduce((a, w) => a + w.requests, 0),
    errors: windows.reduce((a, w) => a + w.errors, 0),
    p99MedianMs: median(windows.map((w) => w.p99Ms)),
    p99MaxMs: Math.max(...windows.map((w) => w.p99Ms)),
    rssStartMiB: mib(rssStart),
    rssMaxMiB: Math.max(...rss),
    rssEndMiB: rss.at(-1),
    // Growth over the second half: a leak keeps climbing, a bounded queue levels off.
    rssSecondHalfGrowthMiB: Math.round((rss.at(-1) - rss[Math.floor(rss.length / 2)]) * 10) / 10,
    collectorRequests: Object.fromEntries(Object.entries(stats).map(([s, v]) => [s, { requests: v.requests, accepted: v.accepted, maxInFlight: v.maxInFlight }])),
    preloadStderrLines: ourLines.length,
    windows,
  };
}

const results = [];
for (const name of opts.scenarios.split(',')) results.push(await scenario(name));

const table = [
  '| scenario | requests | errors | p99 median (ms) | p99 max (ms) | RSS start → max → end (MiB) | RSS growth, 2nd half (MiB) | max exports in flight (t/m/l) | our stderr lines |',
  '|---|---|---|---|---|---|---|---|---|',
  ...results.map((r) => `| ${r.name} (${r.collector}) | ${r.requests} | ${r.errors} | ${r.p99MedianMs} | ${r.p99MaxMs} | ${r.rssStartMiB} → ${r.rssMaxMiB} → ${r.rssEndMiB} | ${r.rssSecondHalfGrowthMiB} | ${['traces', 'metrics', 'logs'].map((s) => r.collectorRequests[s]?.maxInFlight ?? 0).join('/')} | ${r.preloadStderrLines} |`),
].join('\n');
mkdirSync(path.dirname(opts.out), { recursive: true });
writeFileSync(`${opts.out}.json`, JSON.stringify({ date: new Date().toISOString(), node: process.version, minutes, rate, results }, null, 2));
writeFileSync(`${opts.out}.md`, `# Soak (${minutes} min per scenario at ${rate} req/s on /work, ${new Date().toISOString()})\n\n${table}\n`);
process.stdout.write(`${table}\n`);
