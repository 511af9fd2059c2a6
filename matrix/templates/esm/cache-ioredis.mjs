// Matrix fixture role "cache": ioredis (5 or 6) against the local Redis.
import * as ioredis from 'ioredis';

const Redis = ioredis.Redis ?? ioredis.default;
const client = new Redis(process.env.MATRIX_REDIS_URL, { maxRetriesPerRequest: 1 });

export async function remember(key, value) {
  await client.set(key, value, 'EX', 60);
  return client.get(key);
}

export async function closeCache() {
  await client.quit();
}
