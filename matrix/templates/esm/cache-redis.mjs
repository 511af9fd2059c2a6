// Matrix fixture role "cache": node-redis (4, 5 or 6) against the local Redis.
import * as redis from 'redis';

const createClient = redis.createClient ?? redis.default.createClient;
const client = createClient({ url: process.env.MATRIX_REDIS_URL });
client.on('error', (err) => console.error('redis error', err.message));
await client.connect();

export async function remember(key, value) {
  await client.set(key, value, { EX: 60 });
  return client.get(key);
}

export async function closeCache() {
  // node-redis 5 renamed quit() to close(); 4 only has quit().
  await (typeof client.close === 'function' ? client.close() : client.quit());
}
