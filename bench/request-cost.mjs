#!/usr/bin/env node
// CPU added per request, resolved to about a microsecond: the bench app under each configuration, driven
// by one raw keep-alive socket from this process with a fixed pipeline depth (no autocannon beside the
// app: on the shared 2-core box its scheduling moved the bench's full-speed figure ±20 µs between runs),
// the app's own CPU read from its /stats before and after a fixed number of requests. Configurations
// are interleaved round by round, each round a fresh process; the table gives medians and the spread.
// What it is for: pricing one change of the hot path against the build before it (--variant with
// BENCH_REGISTER), where the bench's full-speed column cannot tell a few µs apart. The added CPU is the
// median of per-round differences to plain node, and with `official` among the configurations each
// one's share of the official register's added CPU, round by round.
// usage: node bench/request-cost.mjs [--rounds N] [--requests N] [--warmup N] [--depth N] [--endpoint /hello]
//          [--variant NAME=BASE:K=V,...]... [configs...]   (default configs: plain obs)
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startApp } from './lib/app-process.mjs';
import { benchConfigs, benchDir, repoDir } from './lib/harness.mjs';
import { median } from './lib/stats.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '40000' },
    warmup: { type: 'string', default: '20000' },
    depth: { type: 'string', default: '8' },
    endpoint: { type: 'string', default: '/hello' },
    variant: { type: 'string', multiple: true, default: [] },
  },
});
const ROUNDS = Number(values.rounds);
const REQUESTS = Number(values.requests);
const WARMUP = Number(values.warmup);
const DEPTH = Number(values.depth);
const { sink, configs, log } = await benchConfigs({ tool: 'request-cost', marker: 'c0577e57', positionals, variants: values.variant });

/**
 * Sends `count` GETs of `endpoint` over one socket, `DEPTH` in flight, and resolves when every response
 * has arrived. Responses are counted by their status lines: the bench app's bodies never contain one.
 * @param {number} port @param {string} endpoint @param {number} count
 */
function drive(port, endpoint, count) {
  const request = `GET ${endpoint} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUser-Agent: request-cost\r\n\r\n`;
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let sent = 0;
    let received = 0;
    let tail = '';
    const send = (n) => {
      let batch = '';
      for (let i = 0; i < n && sent < count; i++, sent++) batch += request;
      if (batch) socket.write(batch);
    };
    socket.setEncoding('latin1');
    socket.once('connect', () => send(DEPTH));
    socket.on('data', (chunk) => {
      const text = tail + chunk;
      let at = 0;
      let got = 0;
      while ((at = text.indexOf('HTTP/1.1 ', at)) !== -1) {
        got++;
        at += 9;
      }
      tail = text.slice(-8);
      received += got;
      if (received >= count) {
        socket.end();
        resolve(undefined);
      } else send(got);
    });
    socket.once('error', reject);
  });
}

/** @param {number} port */
async function stats(port) {
  const res = await fetch(`http://127.0.0.1:${port}/stats`);
  return /** @type {{ cpu: { user: number, system: number } }} */ (await res.json());
}

/** @type {Map<string, number[]>} */
const perRequest = new Map(configs.map((c) => [c.name, []]));
for (let round = 1; round <= ROUNDS; round++) {
  for (const config of configs) {
    const app = startApp({ execArgv: config.execArgv, env: { ...config.env, BENCH_LOOP_MONITOR: '0' }, cwd: repoDir, appPath: path.join(benchDir, 'app.mjs') });
    try {
      const { port } = await app.ready;
      await drive(port, values.endpoint, WARMUP);
      const before = (await stats(port)).cpu;
      await drive(port, values.endpoint, REQUESTS);
      const after = (await stats(port)).cpu;
      const us = (after.user + after.system - before.user - before.system) / REQUESTS;
      perRequest.get(config.name)?.push(us);
      log(`round ${round} ${config.name}: ${us.toFixed(2)} µs CPU/request`);
    } finally {
      await app.stop();
    }
  }
}
await sink.stop();

// Added CPU as the median of per-round differences to plain node (and shares of the official
// register's added CPU per round), as bench/run.mjs reports its figures: a machine whose load drifts
// between rounds moves every configuration of a round together, which a difference of medians does not cancel.
const plain = perRequest.get('plain');
const official = perRequest.get('official');
/** A figure per round, rounds without one (NaN) left out. @param {(round: number) => number} f @returns {number[]} */
const perRound = (f) => Array.from({ length: ROUNDS }, (_, r) => f(r)).filter((v) => Number.isFinite(v));
const withOfficial = official !== undefined && plain !== undefined;
const lines = [
  `| configuration | CPU µs/request (${values.endpoint}, median of ${ROUNDS}) | range | added to plain node (median of per-round differences) |${withOfficial ? " share of the official's added CPU (median per round) |" : ''}`,
  withOfficial ? '|---|---|---|---|---|' : '|---|---|---|---|',
];
for (const config of configs) {
  const xs = perRequest.get(config.name) ?? [];
  const m = median(xs);
  const diffs = plain === undefined || config.name === 'plain' ? [] : perRound((r) => xs[r] - plain[r]);
  const added = diffs.length === 0 ? '–' : `+${median(diffs).toFixed(1)} (${Math.min(...diffs).toFixed(1)} to ${Math.max(...diffs).toFixed(1)})`;
  let row = `| ${config.label} | ${m.toFixed(1)} | ${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)} | ${added} |`;
  if (withOfficial) {
    const shares = config.name === 'plain' ? [] : perRound((r) => (xs[r] - plain[r]) / (official[r] - plain[r]));
    row += ` ${shares.length === 0 ? '–' : `${median(shares).toFixed(2)} (${Math.min(...shares).toFixed(2)}–${Math.max(...shares).toFixed(2)})`} |`;
  }
  lines.push(row);
}
process.stdout.write(`${lines.join('\n')}\n`);
