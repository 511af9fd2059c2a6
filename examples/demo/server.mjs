// Demo "quant analytics" API: login, trades in PostgreSQL, quotes cached in Redis. No telemetry code
// except one business counter: spans, request/db/cache metrics and log correlation come from the preload.
import express from 'express';
import pg from 'pg';
import pino from 'pino';
import { metrics } from '@opentelemetry/api';
import { connectCache } from './cache.mjs';
import { ensureSchema } from './schema.mjs';

const log = pino({ name: 'quant-demo' });
const meter = metrics.getMeter('quant-demo');
const tradesProcessed = meter.createCounter('trades.processed', { description: 'Trades accepted and stored' });

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', max: 4 });
const cache = await connectCache(process.env.REDIS_URL, log);
await ensureSchema(pool);

// Failed logins per user in the current minute; the fifth one in a row is throttled (429).
const failures = new Map();
const chance = (p) => Math.random() < p;
const sleepClause = () => (chance(Number(process.env.DEMO_SLOW_RATE ?? 0.08)) ? ', pg_sleep(0.25)' : '');

const app = express();
app.use(express.json());

app.get('/health', async (_req, res) => {
  await pool.query('SELECT 1');
  res.json({ status: 'ok', db: 'up', cache: cache ? 'up' : 'off' });
});

app.post('/api/v1/auth/login', async (req, res) => {
  const { username = '', password = '' } = req.body ?? {};
  const recent = failures.get(username) ?? 0;
  if (recent >= 4) {
    log.warn({ username, reason: 'throttled' }, 'login throttled');
    return res.status(429).set('retry-after', '30').json({ error: 'too many attempts' });
  }
  const { rows } = await pool.query('SELECT id, password FROM users WHERE username = $1', [username]);
  if (rows.length === 0 || rows[0].password !== password) {
    failures.set(username, recent + 1);
    log.info({ username, reason: rows.length === 0 ? 'user_not_found' : 'wrong_password' }, 'login failed');
    return res.status(401).json({ error: 'invalid credentials' });
  }
  failures.delete(username);
  log.info({ userId: rows[0].id }, 'login ok');
  res.json({ token: `demo-${rows[0].id}` });
});

app.post('/api/v1/trades', async (req, res) => {
  const { symbol, side, qty, price } = req.body ?? {};
  if (!symbol || !['buy', 'sell'].includes(side) || !(qty > 0) || !(price > 0)) {
    return res.status(400).json({ error: 'symbol, side (buy|sell), qty > 0 and price > 0 are required' });
  }
  if (chance(Number(process.env.DEMO_ERROR_RATE ?? 0.05))) throw new Error('ledger unavailable');
  const { rows } = await pool.query(
    'INSERT INTO trades (symbol, side, qty, price) VALUES ($1, $2, $3, $4) RETURNING id',
    [symbol, side, qty, price],
  );
  // The seed guide's label, as the dashboard and docs/metrics.md use it.
  tradesProcessed.add(1, { transaction_type: side });
  await cache?.del(`quote:${symbol}`);
  log.info({ tradeId: rows[0].id, symbol, side }, 'trade stored');
  res.status(201).json({ id: rows[0].id });
});

app.get('/api/v1/trades', async (req, res) => {
  const limit = Math.min(Number(req.query.limit ?? 20) || 20, 100);
  const { rows } = await pool.query(
    `SELECT id, symbol, side, qty, price, created_at${sleepClause()} FROM trades ORDER BY id DESC LIMIT $1`,
    [limit],
  );
  res.json(rows.map(({ pg_sleep: _ignored, ...trade }) => trade));
});

app.get('/api/v1/quotes/:symbol', async (req, res) => {
  const symbol = req.params.symbol.toUpperCase();
  const key = `quote:${symbol}`;
  const cached = await cache?.get(key);
  if (cached) {
    return res.json({ ...JSON.parse(cached), cached: true });
  }
  // Cache hit/miss counters come from the preload's redis instrumentation; no code here.
  if (cache) log.info({ symbol }, 'quote cache miss: computing from trades');
  const { rows } = await pool.query(
    'SELECT count(*)::int AS trades, coalesce(avg(price), 100)::float AS price FROM trades WHERE symbol = $1',
    [symbol],
  );
  const quote = { symbol, price: Number(rows[0].price.toFixed(2)), trades: rows[0].trades };
  await cache?.set(key, JSON.stringify(quote), 'EX', 5);
  res.json({ ...quote, cached: false });
});

// Express 5 forwards rejected promises here; the log line carries the trace id of the failing request.
app.use((err, req, res, _next) => {
  log.error({ err, route: req.route?.path }, 'request failed');
  res.status(500).json({ error: 'internal error' });
});

const server = app.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? '127.0.0.1', () => {
  log.info({ port: /** @type {import('node:net').AddressInfo} */ (server.address()).port }, 'demo listening');
});

async function shutdown() {
  server.close();
  server.closeAllConnections?.();
  await Promise.allSettled([pool.end(), cache?.quit()]);
}
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
