// The child side of sendSync(): reads captured OTLP requests as JSON on stdin, sends them all at
// once (HTTP POST or a raw gRPC unary call), and exits 0 only if every one was accepted.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { CapturedRequest } from './outbox.js';
import { pairs, type Reader } from '../config/env.js';

const require = createRequire(import.meta.url);
const GRPC_PATHS: Record<CapturedRequest['signal'], string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

/** OTEL_EXPORTER_OTLP_HEADERS, then the per-signal variable on top, as the exporters read them. */
function headers(signal: CapturedRequest['signal']): Record<string, string> {
  const r: Reader = { env: process.env, warnings: [] };
  return { ...pairs(r, 'OTEL_EXPORTER_OTLP_HEADERS'), ...pairs(r, `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_HEADERS`) };
}

function sendHttp(req: CapturedRequest, body: Buffer, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const url = new URL(req.endpoint);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const contentType = req.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf';
    const r = send(url, { method: 'POST', timeout: timeoutMs, headers: { ...headers(req.signal), 'content-type': contentType, 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300));
    });
    r.on('error', () => resolve(false));
    r.on('timeout', () => r.destroy());
    r.end(body);
  });
}

function sendGrpc(req: CapturedRequest, body: Buffer, timeoutMs: number): Promise<boolean> {
  const grpc = require('@grpc/grpc-js') as typeof import('@grpc/grpc-js');
  return new Promise((resolve) => {
    const url = new URL(req.endpoint);
    const credentials = url.protocol === 'https:' ? grpc.credentials.createSsl() : grpc.credentials.createInsecure();
    const client = new grpc.Client(url.host, credentials);
    const metadata = new grpc.Metadata();
    for (const [k, v] of Object.entries(headers(req.signal))) metadata.set(k, v);
    client.makeUnaryRequest(GRPC_PATHS[req.signal], (b: Buffer) => b, (b: Buffer) => b, body, metadata, { deadline: Date.now() + timeoutMs }, (err) => {
      client.close();
      resolve(!err);
    });
  });
}

async function main(): Promise<void> {
  const timeoutMs = Number(process.argv[2]) || 3000;
  const requests = JSON.parse(readFileSync(0, 'utf8')) as CapturedRequest[];
  const results = await Promise.all(requests.map((req) => {
    const body = Buffer.from(req.body, 'base64');
    return req.protocol === 'grpc' ? sendGrpc(req, body, timeoutMs) : sendHttp(req, body, timeoutMs);
  }));
  process.exit(results.every(Boolean) ? 0 : 1);
}

main().catch(() => process.exit(2));
