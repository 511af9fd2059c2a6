// Tests of the OTLP receiver's fault injection: what exporters see when the collector misbehaves.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as TraceGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as TraceProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { otlpType } from '../src/cli/receiver/proto.js';
import { connect, exportSpans, grpcCall, jsonSpan, makeSpans, post } from './support/otlp-clients.js';
import { parseFault, startReceiver } from './support/receiver.js';

test('status fault answers HTTP 503 with Retry-After and a google.rpc.Status body, and stores nothing', async (t) => {
  const receiver = await startReceiver(t, { faults: { traces: { kind: 'status', status: 503, retryAfterSeconds: 2 } } });
  const res = await post(`${receiver.httpUrl}/v1/traces`, jsonSpan('refused'));
  assert.equal(res.status, 503);
  assert.equal(res.headers.get('retry-after'), '2');
  assert.deepEqual(await res.json(), { code: 14, message: 'injected fault: HTTP 503' });
  assert.equal(receiver.spans.length, 0);
  assert.equal(receiver.requests[0].outcome, 'status');
  assert.equal(receiver.stats().traces.faultsInjected, 1);
  // Other signals are not affected by a per-signal fault.
  const logs = await post(`${receiver.httpUrl}/v1/logs`, JSON.stringify({ resourceLogs: [] }));
  assert.equal(logs.status, 200);
});

test('an exporter honours Retry-After: one 503 then success delivers the spans exactly once', async (t) => {
  const receiver = await startReceiver(t);
  await receiver.setFault({ kind: 'status', status: 503, retryAfterSeconds: 0, times: 1 }, 'traces');
  const result = await exportSpans(new TraceProtoExporter({ url: `${receiver.httpUrl}/v1/traces` }), makeSpans());
  assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
  assert.deepEqual(receiver.requests.map((r) => [r.outcome, r.status]), [['status', 503], ['accepted', 200]]);
  assert.equal(receiver.spans.length, 2);
});

test('gRPC status faults map 503 to UNAVAILABLE and 429 to RESOURCE_EXHAUSTED with a RetryInfo detail', async (t) => {
  const receiver = await startReceiver(t, { faults: { all: { kind: 'status', status: 503 } } });
  const path = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
  const unavailable = await grpcCall(receiver.grpcUrl, path, Buffer.alloc(0));
  assert.equal(unavailable.error?.code, grpc.status.UNAVAILABLE);
  await receiver.setFault({ kind: 'status', status: 429, retryAfterSeconds: 1.5 });
  const throttled = await grpcCall(receiver.grpcUrl, path, Buffer.alloc(0));
  assert.equal(throttled.error?.code, grpc.status.RESOURCE_EXHAUSTED);
  const [details] = throttled.error?.metadata.get('grpc-status-details-bin') ?? [];
  assert.ok(Buffer.isBuffer(details), 'grpc-status-details-bin trailer present');
  const status = otlpType('google.rpc.Status').toObject(otlpType('google.rpc.Status').decode(details), { longs: Number }) as {
    code: number; details: Array<{ typeUrl: string; value: Uint8Array }>;
  };
  assert.equal(status.code, grpc.status.RESOURCE_EXHAUSTED);
  assert.equal(status.details[0].typeUrl, 'type.googleapis.com/google.rpc.RetryInfo');
  const retry = otlpType('google.rpc.RetryInfo').toObject(otlpType('google.rpc.RetryInfo').decode(status.details[0].value), { longs: Number });
  assert.deepEqual(retry, { retryDelay: { seconds: 1, nanos: 500_000_000 } });
  assert.deepEqual(receiver.requests.map((r) => r.status), [grpc.status.UNAVAILABLE, grpc.status.RESOURCE_EXHAUSTED]);
});

test('refuse for all signals closes both ports (ECONNREFUSED); ok reopens the same ports', async (t) => {
  const receiver = await startReceiver(t);
  const { grpcPort, httpPort } = receiver;
  await receiver.setFault('refuse');
  assert.equal(await connect(httpPort), 'ECONNREFUSED');
  assert.equal(await connect(grpcPort), 'ECONNREFUSED');
  const grpcResult = await exportSpans(new TraceGrpcExporter({ url: receiver.grpcUrl, timeoutMillis: 2000 }), makeSpans());
  assert.equal(grpcResult.code, ExportResultCode.FAILED);
  await receiver.setFault('ok');
  assert.equal(receiver.httpPort, httpPort);
  assert.equal(await connect(httpPort), 'connected');
  const ok = await exportSpans(new TraceGrpcExporter({ url: receiver.grpcUrl }), makeSpans());
  assert.equal(ok.code, ExportResultCode.SUCCESS);
  assert.equal(receiver.spans.length, 2);
});

test('a receiver started in refuse mode has known URLs but accepts no connection', async (t) => {
  const receiver = await startReceiver(t, { faults: { all: 'refuse' } });
  assert.ok(receiver.httpPort > 0);
  assert.equal(await connect(receiver.httpPort), 'ECONNREFUSED');
});

test('per-signal refuse drops the connection of that signal only', async (t) => {
  const receiver = await startReceiver(t, { faults: { traces: 'refuse' } });
  await assert.rejects(post(`${receiver.httpUrl}/v1/traces`, jsonSpan('dropped')), TypeError);
  const logs = await post(`${receiver.httpUrl}/v1/logs`, JSON.stringify({ resourceLogs: [] }));
  assert.equal(logs.status, 200);
  assert.deepEqual(receiver.requests.map((r) => [r.signal, r.outcome]), [['traces', 'refused'], ['logs', 'accepted']]);
  const grpcRefused = await exportSpans(new TraceGrpcExporter({ url: receiver.grpcUrl, timeoutMillis: 2000 }), makeSpans());
  assert.equal(grpcRefused.code, ExportResultCode.FAILED);
  assert.equal(receiver.spans.length, 0);
});

test('hang never answers, keeps the export in flight, and stop() still closes at once', async () => {
  const receiver = await startReceiver(undefined, { faults: { all: 'hang' } });
  let settled = false;
  const pending = post(`${receiver.httpUrl}/v1/traces`, jsonSpan('hung')).finally(() => (settled = true));
  pending.catch(() => {});
  await receiver.waitFor((r) => r.stats().traces.inFlight === 1);
  assert.equal(receiver.requests[0].outcome, 'hang');
  await new Promise((r) => setImmediate(r));
  assert.equal(settled, false, 'the hung request must not have been answered');
  await receiver.stop();
  await assert.rejects(pending, TypeError);
  assert.equal(receiver.spans.length, 0);
});

test('stats count requests in flight per signal and the maximum seen', async (t) => {
  const receiver = await startReceiver(t, { faults: { traces: 'hang' } });
  const abort = new AbortController();
  const hung = [1, 2, 3].map(() => post(`${receiver.httpUrl}/v1/traces`, jsonSpan('x'), 'application/json', abort.signal).catch(() => 'aborted'));
  await receiver.waitFor((r) => r.stats().traces.inFlight === 3);
  assert.equal((await post(`${receiver.httpUrl}/v1/logs`, JSON.stringify({ resourceLogs: [] }))).status, 200);
  abort.abort();
  assert.deepEqual(await Promise.all(hung), ['aborted', 'aborted', 'aborted']);
  const stats = await receiver.waitFor((r) => (r.stats().traces.inFlight === 0 ? r.stats() : undefined));
  assert.deepEqual(stats.traces, { requests: 3, accepted: 0, items: 0, inFlight: 0, maxInFlight: 3, faultsInjected: 3 });
  assert.deepEqual(stats.logs, { requests: 1, accepted: 1, items: 0, inFlight: 0, maxInFlight: 1, faultsInjected: 0 });
});

test('a gRPC export to a hanging receiver stays in flight until the exporter gives up, then counts down', async (t) => {
  const receiver = await startReceiver(t, { faults: { traces: 'hang' } });
  const result = await exportSpans(new TraceGrpcExporter({ url: receiver.grpcUrl, timeoutMillis: 300 }), makeSpans());
  assert.equal(result.code, ExportResultCode.FAILED);
  const stats = await receiver.waitFor((r) => (r.stats().traces.inFlight === 0 ? r.stats().traces : undefined));
  assert.equal(stats.maxInFlight, 1);
  assert.equal(receiver.spans.length, 0);
  assert.ok(receiver.requests.every((r) => r.outcome === 'hang'));
});

test('delay answers after the delay and then stores the batch', async (t) => {
  const receiver = await startReceiver(t, { faults: { all: { kind: 'ok', delayMs: 50 } } });
  const res = await post(`${receiver.httpUrl}/v1/traces`, jsonSpan('slow'));
  assert.equal(res.status, 200);
  assert.equal(receiver.spans[0]?.name, 'slow');
  assert.equal(receiver.stats().traces.faultsInjected, 1);
});

test('malformed answers 200 with a body no OTLP client can decode, over HTTP and gRPC', async (t) => {
  const receiver = await startReceiver(t, { faults: { all: 'malformed' } });
  const res = await post(`${receiver.httpUrl}/v1/traces`, new Uint8Array(0), 'application/x-protobuf');
  assert.equal(res.status, 200);
  const body = new Uint8Array(await res.arrayBuffer());
  assert.throws(() => otlpType('opentelemetry.proto.collector.v1.ExportServiceResponse').decode(body));
  const json = await post(`${receiver.httpUrl}/v1/traces`, jsonSpan('m'));
  await assert.rejects(json.json(), SyntaxError);
  const grpcResult = await grpcCall(receiver.grpcUrl, '/opentelemetry.proto.collector.trace.v1.TraceService/Export', Buffer.alloc(0));
  assert.equal(grpcResult.error, null);
  assert.throws(() => otlpType('opentelemetry.proto.collector.v1.ExportServiceResponse').decode(grpcResult.value!));
  assert.deepEqual(receiver.requests.map((r) => r.outcome), ['malformed', 'malformed', 'malformed']);
});

test('times limits a fault to N requests; setting all heals per-signal overrides', async (t) => {
  const receiver = await startReceiver(t);
  await receiver.setFault({ kind: 'status', status: 500, times: 2 }, 'logs');
  const statuses: number[] = [];
  for (let i = 0; i < 3; i++) statuses.push((await post(`${receiver.httpUrl}/v1/logs`, '{}')).status);
  assert.deepEqual(statuses, [500, 500, 200]);
  await receiver.setFault('hang', 'metrics');
  assert.equal(receiver.faultsInForce().metrics?.kind, 'hang');
  await receiver.setFault('ok');
  assert.deepEqual(receiver.faultsInForce(), { all: { kind: 'ok' }, traces: undefined, metrics: undefined, logs: undefined });
});

test('parseFault reads CLI fault specs', () => {
  assert.deepEqual(parseFault('503'), { kind: 'status', status: 503 });
  assert.deepEqual(parseFault('status=429,retry-after=2'), { kind: 'status', status: 429, retryAfterSeconds: 2 });
  assert.deepEqual(parseFault('delay=2s'), { kind: 'ok', delayMs: 2000 });
  assert.deepEqual(parseFault('refuse,times=3'), { kind: 'refuse', times: 3 });
  assert.deepEqual(parseFault('hang'), { kind: 'hang' });
  assert.throws(() => parseFault('explode'), /unknown fault token/);
});
