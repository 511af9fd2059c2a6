// Matrix fixture app in TypeScript (express + pg + ioredis), compiled by tsc to ESM or to CommonJS.
import express from 'express';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { AddressInfo } from 'node:net';

const pool = new pg.Pool({ connectionString: process.env.MATRIX_PG_URL, max: 2 });
const cache = new Redis(process.env.MATRIX_REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });

interface User {
  id: number;
  name: string;
}

async function lookupUser(id: string): Promise<User & { cached: string | null }> {
  const { rows } = await pool.query<User>('SELECT $1::int AS id, $2::text AS name', [Number(id), `user-${id}`]);
  const user = rows[0] as User;
  await cache.set(`matrix:user:${id}`, user.name, 'EX', 60);
  return { ...user, cached: await cache.get(`matrix:user:${id}`) };
}

const app = express();
app.get('/users/:id', async (req, res) => {
  try {
    res.json(await lookupUser(req.params.id));
  } catch (err) {
    res.status(500).send(String(err));
  }
});
const server = app.listen(0, '127.0.0.1', () => {
  console.log(`MATRIX_LISTENING ${(server.address() as AddressInfo).port}`);
});
process.once('SIGTERM', () => {
  server.close(() => {
    void Promise.allSettled([pool.end(), cache.quit()]);
  });
});
