#!/usr/bin/env node
// `npm run demo`: the quant-analytics demo under the @org/obs preload with nothing else running —
// embedded PostgreSQL unless DATABASE_URL is set, Redis if reachable, `obs tail` in-process as the
// collector — drives traffic, then prints what the preload captured.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { drive } from './traffic.mjs';
import { redisAnswers } from './redis-check.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dist = path.join(root, 'dist/src/cli');

const HELP = `Usage: npm run demo -- [options]

Runs a small trading API (express, PostgreSQL, Redis, pino) under the @org/obs
preload, drives traffic at it, and shows what was captured: trace trees, metrics,
correlated logs, and the Prometheus endpoint. Nothing needs to be installed or
running: PostgreSQL is embedded (PGlite) unless DATABASE_URL is set; Redis is
used when REDIS_URL (default redis://127.0.0.1:6379) answers.

Options:
  --duration SECONDS   how long to drive traffic (default 12)
  --collector URL      send to a real OTLP collector (e.g. the bundled stack,
                       http://localhost:4318) instead of the built-in obs tail;
                       OTEL_EXPORTER_OTLP_ENDPOINT does the same
  --follow             also stream every trace/metric/log as obs tail shows it
  --port N             port of the demo API (default: any free port)
  --preload SPEC       what --import loads (default @org/obs/register); to
                       compare with another zero-code preload
  --no-color           plain output
  -h, --help           this help
`;

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '12' },
    collector: { type: 'string' },
    follow: { type: 'boolean', default: false },
    port: { type: 'string', default: '0' },
    preload: { type: 'string', default: '@org/obs/register' },
    'no-color': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
if (!existsSync(path.join(dist, 'tail/session.js')) || (values.preload === '@org/obs/register' && !existsSync(path.join(root, 'dist/register.js')))) {
  console.error('demo: dist/ is missing; run "npm run build" first (npm run demo does it for you)');
  process.exit(1);
}

const { TailSession } = await import(path.join(dist, 'tail/session.js'));
const { renderSummary } = await import(path.join(root, 'dist/examples/demo/summary.js'));
const { paint, wantColor } = await import(path.join(dist, 'util/color.js'));
const { probeOtlp } = await import(path.join(dist, 'doctor/probe-otlp.js'));

const p = paint(wantColor(process.stdout, values['no-color']));
const width = Math.max(60, Math.min(process.stdout.columns ?? 80, 100));
const say = (line = '') => process.stdout.write(line + '\n');
// Narrow terminals: a long detail goes on its own indented line instead of wrapping mid-word.
const step = (what, detail = '') => {
  if (!detail || what.length + detail.length + 3 <= width) say(`${p.cyan('▸')} ${what}${detail ? ` ${p.dim(detail)}` : ''}`);
  else say(`${p.cyan('▸')} ${what}\n    ${p.dim(detail)}`);
};
const durationMs = Math.max(1, Number(values.duration)) * 1000;
const cleanups = [];
async function cleanup() {
  while (cleanups.length) await cleanups.pop()().catch(() => {});
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function main() {
  say(p.bold('@org/obs demo — a quant-analytics API under node --import @org/obs/register'));
  say();

  // 1. PostgreSQL
  let databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    step('PostgreSQL', `from DATABASE_URL`);
  } else {
    step('PostgreSQL', 'starting embedded PGlite over the wire protocol (a few seconds)…');
    const { startEmbeddedPostgres } = await import('./embedded-postgres.mjs');
    const pgServer = await startEmbeddedPostgres();
    cleanups.push(() => pgServer.stop());
    databaseUrl = pgServer.url;
    step('PostgreSQL', `embedded, ${databaseUrl.replace(/^postgres:\/\/[^@]*@/, 'postgres://')}`);
  }

  // 2. Redis
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redisOk = await redisAnswers(redisUrl);
  step('Redis', redisOk ? redisUrl : `not reachable at ${redisUrl}: quote cache is off`);
  if (!redisOk) say(p.dim('    (start redis-server or set REDIS_URL to see cache spans)'));

  // 3. Where telemetry goes
  const collector = values.collector ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  let session;
  let otelEnv;
  if (collector) {
    const signalUrl = `${collector.replace(/\/+$/, '')}/v1/traces`;
    const grpc = /:4317\/?$/.test(collector);
    const probe = await probeOtlp({ endpoint: grpc ? collector : signalUrl, protocol: grpc ? 'grpc' : 'http/protobuf', signal: 'traces' });
    step('Collector', `${collector} ${probe.ok ? `answers (${probe.detail})` : p.yellow(`does not answer: ${probe.detail}`)}`);
    otelEnv = { OTEL_EXPORTER_OTLP_ENDPOINT: collector, OTEL_METRIC_EXPORT_INTERVAL: '5000' };
  } else {
    session = new TailSession({
      grpcPort: 0, httpPort: 0, host: '127.0.0.1',
      signals: new Set(['traces', 'metrics', 'logs']),
      json: false, paint: p, width, keep: true, quiet: !values.follow,
      write: (t) => process.stdout.write(t),
    });
    await session.start();
    cleanups.push(() => session.stop());
    step('obs tail', `receiving OTLP: gRPC ${session.receiver.grpcUrl}, HTTP ${session.receiver.httpUrl}`);
    otelEnv = { ...session.receiver.envFor({ fastExport: false }), OTEL_BSP_SCHEDULE_DELAY: '200', OTEL_BLRP_SCHEDULE_DELAY: '200', OTEL_METRIC_EXPORT_INTERVAL: '2000' };
  }

  // 4. The service, under the preload
  const promPort = await freePort();
  const env = {
    ...process.env,
    ...otelEnv,
    OTEL_SERVICE_NAME: process.env.OTEL_SERVICE_NAME ?? 'quant-demo',
    OTEL_METRICS_EXPORTER: 'otlp,prometheus',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(promPort),
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisOk ? redisUrl : 'off',
    PORT: values.port,
  };
  const app = spawn(process.execPath, ['--import', values.preload, path.join(here, 'server.mjs')], {
    cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const appLog = [];
  let exited = false;
  const appExit = new Promise((resolve) => app.on('exit', (code, signal) => { exited = true; resolve({ code, signal }); }));
  cleanups.push(async () => {
    if (!exited) app.kill('SIGKILL');
  });
  app.stderr.on('data', (d) => {
    for (const line of d.toString().split('\n').filter(Boolean)) process.stderr.write(p.dim(`  [demo stderr] ${line}`) + '\n');
  });
  const port = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`the demo did not start in 30 s; its output:\n${appLog.slice(-10).join('\n')}`)), 30_000);
    app.stdout.on('data', (d) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        appLog.push(line);
        if (appLog.length > 200) appLog.shift();
        try {
          const rec = JSON.parse(line);
          if (rec.msg === 'demo listening') { clearTimeout(timer); resolve(rec.port); }
        } catch { /* not JSON */ }
      }
    });
    app.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the demo exited (code ${code}); its output:\n${appLog.slice(-10).join('\n')}`)); });
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  step('Demo API', `${baseUrl}/api/v1/...  (login, trades, quotes/:symbol)`);

  // 5. Traffic
  step('Traffic', `${durationMs / 1000} s of logins, trades and quotes…`);
  const tty = process.stdout.isTTY && !values.follow;
  const started = Date.now();
  const ticker = setInterval(() => {
    const secs = Math.round((Date.now() - started) / 1000);
    const c = session ? session.receiver : undefined;
    const line = c ? `  ${secs}s · received ${c.spans.length} spans, ${c.metrics.length} metric points, ${c.logs.length} logs` : `  ${secs}s`;
    if (tty) process.stdout.write(`\r${line}`.padEnd(width));
    else if (secs % 5 === 0) say(line);
  }, 1000);
  const traffic = await drive({ baseUrl, durationMs });
  clearInterval(ticker);
  if (tty) process.stdout.write('\r'.padEnd(width) + '\r');

  // 6. Prometheus scrape, then let the last exports arrive and stop the service
  let prometheusSample;
  const prometheusUrl = `http://127.0.0.1:${promPort}/metrics`;
  try {
    const text = await (await fetch(prometheusUrl, { signal: AbortSignal.timeout(2000) })).text();
    prometheusSample = text.split('\n').filter((l) => l && !l.startsWith('#'));
    // Business and cache counters first: they are the demo's own metrics, next to the preload's.
    const rank = (l) => ['trades_processed', 'cache_lookups', 'http_server_request_duration_count'].findIndex((n) => l.startsWith(n)) >>> 0;
    prometheusSample.sort((a, b) => rank(a) - rank(b));
  } catch {
    prometheusSample = undefined;
  }
  await sleep(1500);
  app.kill('SIGTERM');
  await Promise.race([appExit, sleep(5000)]);
  await sleep(300);
  if (!collector) await session.stop();
  say();

  if (collector) {
    say(`Sent to ${collector} as service "${env.OTEL_SERVICE_NAME}". With the bundled stack, look in`);
    say('Grafana http://localhost:3000, Jaeger http://localhost:16686, Prometheus :9090.');
    for (const [k, n] of Object.entries(traffic).sort()) say(`  ${String(n).padStart(5)}  ${k}`);
    return 0;
  }
  const r = session.receiver;
  const { text, fullPathTraceId } = renderSummary(
    { spans: r.spans, metrics: r.metrics, logs: r.logs, traffic, prometheusUrl, prometheusSample },
    p, width,
  );
  process.stdout.write(text);
  say();
  say(p.bold('Next:'));
  say('  npx obs tail                                  # this receiver, on :4317/:4318');
  say('  node --import @org/obs/register server.js     # your service, unchanged');
  say('  npx obs doctor -- node server.js              # if something is missing');
  if (r.spans.length === 0) {
    say(p.red('✗ no spans arrived: run "npx obs doctor -- node examples/demo/server.mjs" to see why'));
    return 1;
  }
  return redisOk && !fullPathTraceId ? 1 : 0;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(p.red(`demo: ${err.message}`));
} finally {
  await cleanup();
}
process.exit(code);
