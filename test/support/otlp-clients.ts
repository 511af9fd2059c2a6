// OTLP clients for receiver tests: spans from a real SDK, exports through real exporters, raw posts.
import * as grpc from '@grpc/grpc-js';
import net from 'node:net';
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  TracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan, type SpanExporter,
} from '@opentelemetry/sdk-trace';

export const resource = resourceFromAttributes({ 'service.name': 'receiver-test', 'service.version': '1.2.3' });

/** Finished spans from a real SDK: a SERVER root with a CLIENT child carrying every attribute type. */
export function makeSpans(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor({ exporter: memory })] });
  const tracer = provider.getTracer('receiver-test-scope', '0.0.1');
  const root = tracer.startSpan('GET /users/:id', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'GET' } });
  const child = tracer.startSpan(
    'SELECT users',
    {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system': 'postgresql', rows: 3, ratio: 0.5, cached: false, tags: ['a', 'b'], ports: [1, 2] },
    },
    trace.setSpan(context.active(), root),
  );
  child.addEvent('exception', { 'exception.message': 'boom' });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'query failed' });
  child.end();
  root.end();
  return memory.getFinishedSpans();
}

export function exportWith<T>(exporter: { export(items: T, cb: (r: ExportResult) => void): void }, items: T): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(items, resolve));
}

export async function exportSpans(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  try {
    return await exportWith(exporter, spans);
  } finally {
    await exporter.shutdown();
  }
}

/** A raw OTLP/HTTP POST, for bodies no exporter would send. */
export async function post(url: string, body: string | Buffer | Uint8Array, contentType = 'application/json', signal?: AbortSignal): Promise<Response> {
  return fetch(url, { method: 'POST', body: typeof body === 'string' ? body : Buffer.from(body), headers: { 'content-type': contentType }, signal });
}

/** An OTLP/JSON traces request with one SERVER span. */
export const jsonSpan = (name: string, attributes: unknown[] = []) => JSON.stringify({
  resourceSpans: [{
    resource: { attributes: [{ key: 'service.name', value: { stringValue: 'hand-made' } }] },
    scopeSpans: [{
      scope: { name: 'hand' },
      spans: [{
        traceId: '5B8EFFF798038103D269B633813FC60C', spanId: 'EEE19B7EC3C1B174', name, kind: 2,
        startTimeUnixNano: '1544712660000000000', endTimeUnixNano: '1544712661000000000', attributes,
      }],
    }],
  }],
});

/** A raw unary gRPC call with bytes in and out. */
export function grpcCall(url: string, path: string, body: Buffer): Promise<{ error: grpc.ServiceError | null; value?: Buffer }> {
  const client = new grpc.Client(url.replace('http://', ''), grpc.credentials.createInsecure());
  return new Promise((resolve) => {
    client.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => b, body, (error, value) => {
      client.close();
      resolve({ error, value });
    });
  });
}

/** Opens and closes a TCP connection: 'connected' or the error code (e.g. ECONNREFUSED). */
export function connect(port: number): Promise<'connected' | string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}
