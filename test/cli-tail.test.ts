// obs tail: a real OTLP receiver process fed by the real OpenTelemetry SDK exporters (and by the
// preload on a fixture service); asserts the --json lines, the filters, the tree view and fault flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fixture, repoRoot } from './support/fixtures-dir.js';
import { runFixture, runFixtureToExit, type FixtureProcess } from './support/spawn.js';
import { probeOtlp } from '../src/cli/doctor/probe-otlp.js';

const obs = path.join(repoRoot, 'dist', 'src', 'cli', 'obs.js');
const sender = fixture('cli-tail', 'sdk-sender.mjs');
const hasPreload = existsSync(path.join(repoRoot, 'dist', 'register.js'));

async function startTail(t: { after(fn: () => unknown): void }, ...flags: string[]): Promise<{ tail: FixtureProcess; grpc: string; http: string }> {
  const tail = await runFixture(obs, { preload: false, args: ['tail', '--grpc-port', '0', '--http-port', '0', ...flags], t });
  const m = await tail.waitForOutput(/listening on grpc=(\S+) http=(\S+)/, { stream: 'stderr', timeoutMs: 15_000 });
  return { tail, grpc: m[1] as string, http: m[2] as string };
}

function senderEnv(grpc: string, httpUrl: string, service = 'tail-fixture'): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: service,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: grpc,
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${httpUrl}/v1/metrics`,
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `${httpUrl}/v1/logs`,
  };
}

async function stopTail(tail: FixtureProcess): Promise<void> {
  tail.kill('SIGTERM');
  await tail.exited;
}

const jsonLines = (text: string) => text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

test('obs tail --json prints one line per span, metric point and log record, ids and parents intact', async (t) => {
  const { tail, grpc, http: httpUrl } = await startTail(t, '--json');
  const sent = await runFixtureToExit(sender, { preload: false, env: senderEnv(grpc, httpUrl), timeoutMs: 30_000 });
  assert.equal(sent.code, 0, sent.stderr);
  await tail.waitForOutput(/"signal":"logs"/, { timeoutMs: 10_000 });
  await stopTail(tail);

  const lines = jsonLines(tail.stdout);
  const spans = lines.filter((l) => l.signal === 'traces');
  assert.equal(spans.length, 3);
  const server = spans.find((s) => s.kind === 'SERVER');
  assert.ok(server, 'server span');
  assert.match(String(server.traceId), /^[0-9a-f]{32}$/);
  for (const child of spans.filter((s) => s !== server)) {
    assert.equal(child.parentSpanId, server.spanId);
    assert.equal(child.traceId, server.traceId);
  }
  const metric = lines.find((l) => l.signal === 'metrics' && l.name === 'trades.processed');
  assert.equal(metric?.value, 3);
  assert.deepEqual(metric?.attributes, { transaction_type: 'buy' });
  const log = lines.find((l) => l.signal === 'logs');
  assert.equal(log?.body, 'quote served');
  assert.equal(log?.traceId, server.traceId, 'the log record carries the trace id of its span');
  assert.match(tail.stderr, /received 3 spans, \d+ metric points, 1 log records/);
});

test('obs tail --service and --signal filter what is printed', async (t) => {
  const { tail, grpc, http: httpUrl } = await startTail(t, '--json', '--signal', 'metrics', '--service', 'wanted');
  for (const service of ['other', 'wanted']) {
    const sent = await runFixtureToExit(sender, { preload: false, env: senderEnv(grpc, httpUrl, service), timeoutMs: 30_000 });
    assert.equal(sent.code, 0, sent.stderr);
  }
  await tail.waitForOutput(/"signal":"metrics"/, { timeoutMs: 10_000 });
  await stopTail(tail);
  const lines = jsonLines(tail.stdout);
  assert.ok(lines.length > 0);
  for (const l of lines) {
    assert.equal(l.signal, 'metrics');
    assert.equal((l.resource as Record<string, unknown>)['service.name'], 'wanted');
  }
});

test('obs tail without a TTY prints a plain trace tree that fits 80 columns', async (t) => {
  const { tail, grpc, http: httpUrl } = await startTail(t);
  const sent = await runFixtureToExit(sender, { preload: false, env: senderEnv(grpc, httpUrl), timeoutMs: 30_000 });
  assert.equal(sent.code, 0, sent.stderr);
  await tail.waitForOutput(/└─ /, { timeoutMs: 10_000 });
  await stopTail(tail);
  const out = tail.stdout;
  assert.doesNotMatch(out, /\x1b\[/, 'no colour codes when stdout is not a terminal');
  assert.match(out, /^── trace [0-9a-f]{8} · tail-fixture · 3 spans/m);
  assert.match(out, /^GET \/api\/v1\/quotes\/:symbol +server 200 /m);
  assert.match(out, /^├─ GET +client redis /m);
  assert.match(out, /^└─ SELECT trades +client postgresql /m);
  assert.match(out, /✗ relation "trades" does not exist/);
  assert.match(out, /^trades\.processed +counter$/m);
  assert.match(out, /INFO +tail-fixture +quote served +trace [0-9a-f]{8}$/m);
  for (const line of out.split('\n')) assert.ok(line.length <= 80, `wider than 80 columns: ${line}`);
});

test('obs tail stitches a trace from two services into one block, naming the service on each span and log line', async (t) => {
  const { tail, grpc, http: httpUrl } = await startTail(t);
  const sent = await runFixtureToExit(fixture('cli-tail', 'two-services.mjs'), { preload: false, env: senderEnv(grpc, httpUrl), timeoutMs: 30_000 });
  assert.equal(sent.code, 0, sent.stderr);
  await tail.waitForOutput(/INSERT payments/, { timeoutMs: 15_000 });
  await tail.waitForOutput(/payment stored/, { timeoutMs: 15_000 });
  await stopTail(tail);
  const out = tail.stdout;
  const heads = out.split('\n').filter((l) => l.startsWith('── trace '));
  assert.equal(heads.length, 1, `one block for the trace:\n${out}`);
  assert.match(heads[0] ?? '', /^── trace [0-9a-f]{8} · frontend → backend · 4 spans · [\d.]+ ms /);
  assert.match(out, /^\[frontend\] GET \/checkout +server 200 /m);
  assert.match(out, /^└─ \[frontend\] POST +client /m);
  assert.match(out, /^   └─ \[backend\] POST \/charge +server 201 /m);
  assert.match(out, /^      └─ \[backend\] INSERT payments +client postgresql /m);
  assert.match(out, /INFO +backend +payment stored +trace [0-9a-f]{8}$/m);
  assert.match(out, /^── frontend: first metrics within one export interval \(60 s by default\)$/m);
  assert.match(tail.stderr, /metrics once per export interval/);
});

test('obs tail --fail 503 answers HTTP exports with 503 and gRPC exports with UNAVAILABLE', async (t) => {
  const { tail, grpc, http: httpUrl } = await startTail(t, '--fail', '503', '--retry-after', '2');
  const status = await new Promise<{ code?: number; retryAfter?: string }>((resolve, reject) => {
    const req = http.request(`${httpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' } }, (res) => {
      res.resume();
      resolve({ code: res.statusCode, retryAfter: res.headers['retry-after'] });
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(status.code, 503);
  assert.equal(status.retryAfter, '2');
  const viaGrpc = await probeOtlp({ endpoint: grpc, protocol: 'grpc', signal: 'traces' });
  assert.equal(viaGrpc.ok, false);
  assert.match(viaGrpc.detail, /UNAVAILABLE/);
  assert.match(tail.stderr, /fault: answering 503/);
  await stopTail(tail);
});

test('obs tail --refuse keeps its ports closed', async (t) => {
  const { tail, http: httpUrl } = await startTail(t, '--refuse');
  const probe = await probeOtlp({ endpoint: `${httpUrl}/v1/traces`, protocol: 'http/protobuf', signal: 'traces' });
  assert.equal(probe.ok, false);
  assert.equal(probe.detail, 'connection refused');
  await stopTail(tail);
});

test('obs tail rejects unknown flags and bad fault values with exit code 2', async () => {
  const bad = await runFixtureToExit(obs, { preload: false, args: ['tail', '--fail', 'abc'], timeoutMs: 15_000 });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--fail: expected an HTTP error status/);
  const unknown = await runFixtureToExit(obs, { preload: false, args: ['tail', '--nope'], timeoutMs: 15_000 });
  assert.equal(unknown.code, 2);
  const signal = await runFixtureToExit(obs, { preload: false, args: ['tail', '--signal', 'traces,spans'], timeoutMs: 15_000 });
  assert.equal(signal.code, 2);
  assert.match(signal.stderr, /--signal: unknown signal "spans" \(traces, metrics, logs\)/);
});

test('obs tail is the receiver of a service running under the preload', { skip: !hasPreload && 'dist/register.js not built' }, async (t) => {
  const { tail, grpc, http: httpUrl } = await startTail(t, '--json');
  const app = await runFixture(fixture('cli-tail', 'service.mjs'), {
    env: {
      OTEL_SERVICE_NAME: 'tail-service',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: grpc,
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${httpUrl}/v1/metrics`,
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `${httpUrl}/v1/logs`,
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_METRIC_EXPORT_INTERVAL: '500',
    },
    waitForStdout: /listening on (\d+)/,
    t,
  });
  const port = Number(app.ready?.[1]);
  const res = await fetch(`http://127.0.0.1:${port}/hello`);
  assert.equal(res.status, 200);
  await tail.waitForOutput(/"signal":"traces".*"kind":"SERVER"/, { timeoutMs: 15_000 });
  await tail.waitForOutput(/"signal":"metrics".*"http\.server\.request\.duration"/, { timeoutMs: 15_000 });
  app.kill('SIGTERM');
  await app.exited;
  await stopTail(tail);
  const server = jsonLines(tail.stdout).find((l) => l.signal === 'traces' && l.kind === 'SERVER');
  assert.equal((server?.resource as Record<string, unknown>)['service.name'], 'tail-service');
  assert.equal((server?.attributes as Record<string, unknown>)['http.request.method'], 'GET');
});
