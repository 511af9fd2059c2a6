#!/usr/bin/env node
// Traffic generator for the demo API: a mix of logins (some wrong, some throttled), trades and quotes.
// Usage: node examples/demo/traffic.mjs --url http://127.0.0.1:3000 --duration 10 [--concurrency 2]
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'SPY'];
const pick = (items) => items[Math.floor(Math.random() * items.length)];

/** @returns {[method: string, path: string, body?: object]} */
function nextRequest() {
  const r = Math.random();
  if (r < 0.08) return ['POST', '/api/v1/auth/login', { username: pick(['alice', 'bob']), password: pick(['wonderland', 'builder']) }];
  if (r < 0.15) return ['POST', '/api/v1/auth/login', { username: 'mallory', password: 'guess' }]; // ends in 429s
  if (r < 0.35) {
    return ['POST', '/api/v1/trades', {
      symbol: pick(SYMBOLS), side: pick(['buy', 'sell']), qty: 1 + Math.floor(Math.random() * 100),
      price: Number((50 + Math.random() * 400).toFixed(2)),
    }];
  }
  if (r < 0.5) return ['GET', '/api/v1/trades?limit=10'];
  return ['GET', `/api/v1/quotes/${pick(SYMBOLS)}`];
}

/**
 * Drives the API until durationMs elapse or signal aborts; resolves to counts per "METHOD path status".
 * @param {{ baseUrl: string, durationMs: number, concurrency?: number, pauseMs?: number, signal?: AbortSignal }} options
 */
export async function drive({ baseUrl, durationMs, concurrency = 2, pauseMs = 40, signal }) {
  /** @type {Record<string, number>} */
  const counts = {};
  const until = Date.now() + durationMs;
  async function worker() {
    while (Date.now() < until && !signal?.aborted) {
      const [method, path, body] = nextRequest();
      let status = 'ERR';
      try {
        const res = await fetch(baseUrl + path, {
          method,
          headers: body ? { 'content-type': 'application/json' } : undefined,
          body: body ? JSON.stringify(body) : undefined,
          signal,
        });
        await res.arrayBuffer();
        status = String(res.status);
      } catch { /* server gone or aborted: counted as ERR */ }
      const key = `${method} ${path.replace(/\/quotes\/\w+/, '/quotes/:symbol').replace(/\?.*/, '')} ${status}`;
      counts[key] = (counts[key] ?? 0) + 1;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return counts;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:3000' },
      duration: { type: 'string', default: '10' },
      concurrency: { type: 'string', default: '2' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log('usage: traffic.mjs [--url http://127.0.0.1:3000] [--duration SECONDS] [--concurrency N]');
    process.exit(0);
  }
  const counts = await drive({ baseUrl: values.url, durationMs: Number(values.duration) * 1000, concurrency: Number(values.concurrency) });
  for (const [key, n] of Object.entries(counts).sort()) console.log(`${String(n).padStart(5)}  ${key}`);
}
