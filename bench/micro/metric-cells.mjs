#!/usr/bin/env node
// Micro-benchmark: one metric record through upstream sdk-metrics (Histogram.record / Counter.add with an
// attributes object, hashed on every call) against our metric cells (src/sdk/metric-cells), ns/op medians
// over interleaved rounds. usage: npm run build && node bench/micro/metric-cells.mjs [--rounds N]
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const repoDir = path.dirname(path.dirname(path.dirname(fileURLToPath(import.meta.url))));
const require = createRequire(path.join(repoDir, 'package.json'));
const { MeterProvider, MetricReader, AggregationTemporality } = require('@opentelemetry/sdk-metrics');
const { histogramCells, counterCells } = await import(path.join(repoDir, 'dist/src/sdk/metric-cells/cell-set.js'));
const { withCells } = await import(path.join(repoDir, 'dist/src/sdk/metric-cells/producer.js'));
const { cellMeterProvider } = await import(path.join(repoDir, 'dist/src/sdk/metric-cells/cell-meter.js'));

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const ROUNDS = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 7;

class Reader extends MetricReader {
  constructor(metricProducers) {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE, metricProducers });
  }
  onShutdown() { return Promise.resolve(); }
  onForceFlush() { return Promise.resolve(); }
}

const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const reader = withCells((p) => new Reader(p));
const provider = new MeterProvider({ readers: [reader] });
const meter = provider.getMeter('bench');
const upHist = meter.createHistogram('bench.duration', { unit: 's', advice: { explicitBucketBoundaries: BOUNDS } });
const upCount = meter.createCounter('bench.count');
const hist = histogramCells({ name: 'cells.duration', unit: 's', description: '', boundaries: BOUNDS });
const count = counterCells({ name: 'cells.count', unit: '', description: '' });

// Five attributes, as instrumentation-http's server duration has; 12 cached label sets (routes x statuses).
const LABELS = Array.from({ length: 12 }, (_, i) => ({
  'http.request.method': i % 3 === 0 ? 'POST' : 'GET',
  'url.scheme': 'http',
  'network.protocol.version': '1.1',
  'http.route': `/route/${i % 4}/:id`,
  'http.response.status_code': [200, 404, 500][i % 3],
}));
const ONE = LABELS[0];
// instrumentation-pg's shape: a new attributes object per query (recordOperationDuration), through the cell meter.
const pgUp = provider.getMeter('bench-pg').createHistogram('db.client.operation.duration', { unit: 's' });
const pgCells = cellMeterProvider(provider).getMeter('bench-pg-cells').createHistogram('db.client.operation.duration', { unit: 's' });
const pgAttrs = (i) => ({
  'db.namespace': 'test', 'server.port': 5432, 'server.address': '127.0.0.1', 'db.operation.name': i % 3 === 0 ? 'INSERT' : 'SELECT', 'db.system.name': 'postgresql',
});
const held = hist.cell(ONE);
const heldCount = count.cell(ONE);

const variants = {
  'upstream Histogram.record(v, attrs), 1 label set': (n) => { for (let i = 0; i < n; i++) upHist.record((i & 1023) * 0.001, ONE); },
  'upstream Histogram.record(v, attrs), 12 label sets': (n) => { for (let i = 0; i < n; i++) upHist.record((i & 1023) * 0.001, LABELS[i % 12]); },
  'cell.record(v) on a held cell': (n) => { for (let i = 0; i < n; i++) held.record((i & 1023) * 0.001); },
  'cells.cell(attrs).record(v), 12 cached label sets': (n) => { for (let i = 0; i < n; i++) hist.cell(LABELS[i % 12]).record((i & 1023) * 0.001); },
  'upstream Counter.add(1, attrs)': (n) => { for (let i = 0; i < n; i++) upCount.add(1, ONE); },
  'cell.add(1) on a held cell': (n) => { for (let i = 0; i < n; i++) heldCount.add(1); },
  'upstream Histogram.record(v, new pg attrs)': (n) => { for (let i = 0; i < n; i++) pgUp.record((i & 1023) * 0.001, pgAttrs(i)); },
  'cell meter Histogram.record(v, new pg attrs)': (n) => { for (let i = 0; i < n; i++) pgCells.record((i & 1023) * 0.001, pgAttrs(i)); },
};
// Upstream runs fewer ops per round so each variant's round lasts ~0.1-0.3 s on this machine.
const OPS = (name) => (name.startsWith('upstream') ? 200_000 : name.startsWith('cell meter') ? 500_000 : 2_000_000);

/** @type {Record<string, number[]>} */
const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (const fn of Object.values(variants)) fn(20_000); // warm-up, JIT
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, fn] of Object.entries(variants)) {
    const n = OPS(name);
    const t0 = process.hrtime.bigint();
    fn(n);
    samples[name].push(Number(process.hrtime.bigint() - t0) / n);
  }
}
// Export once, so nothing recorded above is dead code to the optimiser.
const { resourceMetrics } = await reader.collect();
const points = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics).reduce((a, m) => a + m.dataPoints.length, 0);

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
console.log(`Node ${process.version}, ${ROUNDS} interleaved rounds, ${points} exported points`);
for (const [name, xs] of Object.entries(samples)) {
  const s = [...xs].sort((a, b) => a - b);
  console.log(`${median(xs).toFixed(1).padStart(8)} ns/op  (min ${s[0].toFixed(1)}, max ${s[s.length - 1].toFixed(1)})  ${name}`);
}
await provider.shutdown();
