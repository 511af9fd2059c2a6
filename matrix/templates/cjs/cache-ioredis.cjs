// Matrix fixture role "cache": ioredis (5 or 6) against the local Redis.
'use strict';
const Redis = require('ioredis');

const client = new Redis(process.env.MATRIX_REDIS_URL, { maxRetriesPerRequest: 1 });

async function remember(key, value) {
  await client.set(key, value, 'EX', 60);
  return client.get(key);
}

async function closeCache() {
  await client.quit();
}

module.exports = { remember, closeCache };
