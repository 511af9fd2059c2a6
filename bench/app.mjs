// Benchmark fixture: the plain node:http service every configuration runs, unchanged.
// /hello does no I/O; /work does 1 pg query on a pool and 2 redis commands and logs one
// pino line (so the preload has all three signals to produce); /stats is the harness's probe
// (RSS, CPU, a memory breakdown and, with BENCH_LOOP_MONITOR=1, the longest event-loop block since
// listening or the last /stats?reset=1).
import http from 'node:http';
import pg from 'pg';
import { createClient } from 'redis';
import pino from 'pino';
import { loopStats, startLoopMonitor } from './loop-monitor.mjs';
import { memoryBreakdown } from './memory.mjs';

const log = pino({ level: 'info' }); // stdout; the harness points it at /dev/null
const pool = new pg.Pool({
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  database: process.env.PGDATABASE ?? 'test',
  max: 10,
});
const redis = createClient({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
await redis.connect();
// Open the pool's connections before "listening" so start-up cost is not smeared into the load.
await Promise.all(Array.from({ length: 4 }, () => pool.query('SELECT 1')));

const key = 'bench:hits';

async function work(res) {
  const { rows } = await pool.query('SELECT $1::int AS n', [1]);
  const hits = await redis.incr(key);
  const last = await redis.get(key);
  log.info({ hits }, 'work done');
  const body = JSON.stringify({ n: rows[0].n, hits, last });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  if (req.url === '/hello') {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 5 });
    res.end('hello');
  } else if (req.url === '/work') {
    work(res).catch((err) => {
      res.writeHead(500);
      res.end(String(err && err.message));
    });
  } else if (req.url === '/stats' || req.url === '/stats?reset=1') {
    const body = JSON.stringify({ rss: process.memoryUsage().rss, cpu: process.cpuUsage(), mem: memoryBreakdown(), loop: loopStats(req.url.endsWith('reset=1')) });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  } else {
    res.writeHead(404);
    res.end();
  }
});

// A graceful exit on SIGINT lets `--cpu-prof` write its profile (a signal death would not).
process.once('SIGINT', () => process.exit(0));

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  startLoopMonitor();
  // stderr, because stdout carries the pino lines and is discarded.
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  process.stderr.write(`BENCH_LISTENING ${port}\n`);
});
