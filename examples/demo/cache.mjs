// Optional Redis cache for the demo: returns an ioredis client, or null (cache off) when Redis is unreachable.
import { Redis } from 'ioredis';

export async function connectCache(url, log) {
  if (url === 'off') return null;
  const client = new Redis(url ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null, // one attempt: a missing Redis must not stall the demo
  });
  client.on('error', () => {}); // reported once below; ioredis would otherwise print every retry
  try {
    await client.connect();
    return client;
  } catch (err) {
    log.warn({ reason: err.message }, 'redis unreachable: quote cache is off');
    client.disconnect();
    return null;
  }
}
