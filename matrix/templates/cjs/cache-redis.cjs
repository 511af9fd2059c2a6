// Matrix fixture role "cache": node-redis (4, 5 or 6) against the local Redis.
'use strict';
const { createClient } = require('redis');

const client = createClient({ url: process.env.MATRIX_REDIS_URL });
client.on('error', (err) => console.error('redis error', err.message));
const connected = client.connect();

async function remember(key, value) {
  await connected;
  await client.set(key, value, { EX: 60 });
  return client.get(key);
}

async function closeCache() {
  await connected;
  // node-redis 5 renamed quit() to close(); 4 only has quit().
  await (typeof client.close === 'function' ? client.close() : client.quit());
}

module.exports = { remember, closeCache };
