// The real collector reads what our OTLP trace writer encodes (`npm run test:stack`): the stack's
// otelcol-contrib receives a seeded batch covering every span field and attribute kind (over OTLP/HTTP
// directly, and over gRPC through our trace exporter), decodes it and re-exports it to the repo's
// receiver; every span arrives with the ids, attributes, events, links and status we encoded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { encodeTraceRequest } from '../src/export/otlp-trace-writer/serializer.js';
import { createTraceExporter } from '../src/export/otlp-trace-writer/exporter.js';
import { freePort } from './support/free-port.js';
import { startReceiver, waitFor, decodeRequest, type ReceivedSpan } from './support/receiver.js';
import { SpanGen } from './support/random-spans.js';
import { stackBin } from './support/stack-run.js';

const otelcol = path.join(stackBin(), 'otelcol-contrib');

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** What the receiver would make of our own bytes, without the per-request origin fields. */
function expected(body: Uint8Array): Map<string, Omit<ReceivedSpan, 'protocol' | 'requestId'>> {
  const out = new Map<string, Omit<ReceivedSpan, 'protocol' | 'requestId'>>();
  for (const s of decodeRequest('traces', 'protobuf', body, { protocol: 'http', requestId: 0 }).spans) {
    const { protocol: _p, requestId: _r, ...rest } = s;
    out.set(s.spanId, rest);
  }
  return out;
}

test('otelcol-contrib decodes our writer\'s batches (OTLP/HTTP and gRPC) and passes every span on intact', async (t) => {
  const receiver = await startReceiver(t);
  const [grpcPort, httpPort] = [await freePort(), await freePort()];
  const dir = mkdtempSync(path.join(tmpdir(), 'obs-otlp-writer-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const config = {
    receivers: { otlp: { protocols: { grpc: { endpoint: `127.0.0.1:${grpcPort}` }, http: { endpoint: `127.0.0.1:${httpPort}` } } } },
    exporters: { otlp_http: { endpoint: receiver.httpUrl, compression: 'none', retry_on_failure: { enabled: false } } },
    service: {
      pipelines: { traces: { receivers: ['otlp'], exporters: ['otlp_http'] } },
      telemetry: { metrics: { level: 'none' }, logs: { level: 'warn' } },
    },
  };
  const file = path.join(dir, 'otelcol.json');
  writeFileSync(file, JSON.stringify(config));
  const child = spawn(otelcol, ['--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let logs = '';
  child.stdout.on('data', (d: Buffer) => (logs += d.toString()));
  child.stderr.on('data', (d: Buffer) => (logs += d.toString()));
  t.after(() => child.kill('SIGKILL'));
  const deadline = Date.now() + 60_000;
  while (!((await portOpen(httpPort)) && (await portOpen(grpcPort)))) {
    assert.equal(child.exitCode, null, `otelcol exited:\n${logs}`);
    assert.ok(Date.now() < deadline, `otelcol did not listen within 60 s:\n${logs}`);
    await new Promise((r) => setTimeout(r, 200));
  }

  // Over OTLP/HTTP: our bytes as the body; the collector answers 400 for anything it cannot decode.
  const gen = new SpanGen(2026);
  const viaHttp = gen.batch(120);
  const body = encodeTraceRequest(viaHttp);
  const res = await fetch(`http://127.0.0.1:${httpPort}/v1/traces`, {
    method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: Uint8Array.from(body),
  });
  assert.equal(res.status, 200, `${res.status} ${await res.text()}\n${logs}`);

  // Over gRPC: our exporter (upstream's gRPC transport, our serializer).
  const viaGrpc = gen.batch(80);
  const exporter = createTraceExporter<{ export(s: ReadableSpan[], cb: (r: ExportResult) => void): void; shutdown(): Promise<void> }>(
    'grpc', { url: `http://127.0.0.1:${grpcPort}` },
  );
  const result = await new Promise<ExportResult>((resolve) => exporter.export(viaGrpc, resolve));
  await exporter.shutdown();
  assert.equal(result.code, 0, `${String(result.error)}\n${logs}`);

  const want = new Map([...expected(body), ...expected(encodeTraceRequest(viaGrpc))]);
  assert.equal(want.size, 200, 'the generator made 200 distinct span ids');
  await waitFor(() => receiver.spans.length >= want.size, { timeoutMs: 30_000, describe: () => `${receiver.spans.length} of ${want.size} spans\n${logs}` });
  assert.equal(receiver.spans.length, want.size);
  for (const got of receiver.spans) {
    const { protocol: _p, requestId: _r, ...rest } = got;
    assert.deepStrictEqual(rest, want.get(got.spanId), `span ${got.spanId}`);
  }
});
