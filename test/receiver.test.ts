// Tests of the OTLP receiver's decoding and API: real OpenTelemetry exporters in, normalized telemetry out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { context, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPLogExporter as LogHttpExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as MetricGrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as MetricHttpExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as MetricProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as TraceGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as TraceHttpExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TraceProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { AggregationType, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import * as grpc from '@grpc/grpc-js';
import { exportSpans, grpcCall, jsonSpan, makeSpans, post, resource } from './support/otlp-clients.js';
import { startReceiver, type OtlpReceiver, type ReceivedSpan } from './support/receiver.js';

/** Drops the per-request fields so protobuf and JSON decodings can be compared whole. */
function comparable(spans: ReceivedSpan[]): unknown[] {
  return spans.map(({ protocol: _p, requestId: _r, ...rest }) => rest).sort((a, b) => a.name.localeCompare(b.name));
}

function assertSpanShape(receiver: OtlpReceiver, sent: ReadableSpan[]): void {
  assert.equal(receiver.spans.length, 2);
  const root = receiver.spans.find((s) => s.name === 'GET /users/:id');
  const child = receiver.spans.find((s) => s.name === 'SELECT users');
  assert.ok(root && child, receiver.summary());
  const sentRoot = sent.find((s) => s.name === 'GET /users/:id')!;
  assert.equal(root.traceId, sentRoot.spanContext().traceId);
  assert.match(root.traceId, /^[0-9a-f]{32}$/);
  assert.match(root.spanId, /^[0-9a-f]{16}$/);
  assert.equal(root.parentSpanId, '');
  assert.equal(child.parentSpanId, root.spanId);
  assert.equal(child.traceId, root.traceId);
  assert.equal(root.kind, 'SERVER');
  assert.equal(child.kind, 'CLIENT');
  assert.deepEqual(child.attributes, {
    'db.system': 'postgresql', rows: 3, ratio: 0.5, cached: false, tags: ['a', 'b'], ports: [1, 2],
  });
  assert.deepEqual(child.status, { code: 'ERROR', message: 'query failed' });
  assert.equal(root.status.code, 'UNSET');
  assert.equal(child.events[0].name, 'exception');
  assert.deepEqual(child.events[0].attributes, { 'exception.message': 'boom' });
  assert.equal(root.resource['service.name'], 'receiver-test');
  assert.deepEqual({ name: root.scope.name, version: root.scope.version }, { name: 'receiver-test-scope', version: '0.0.1' });
  assert.match(root.startTimeUnixNano, /^\d{19}$/);
  assert.ok(BigInt(root.endTimeUnixNano) >= BigInt(root.startTimeUnixNano));
  assert.ok(root.durationMs >= 0);
}

test('gRPC trace export decodes to hex ids, kinds, typed attributes, status, events, resource and scope', async (t) => {
  const receiver = await startReceiver(t);
  const spans = makeSpans();
  const result = await exportSpans(new TraceGrpcExporter({ url: receiver.grpcUrl }), spans);
  assert.equal(result.code, ExportResultCode.SUCCESS, String(result.error));
  assertSpanShape(receiver, spans);
  assert.equal(receiver.spans[0].protocol, 'grpc');
  const [request] = receiver.requests;
  assert.deepEqual(
    { signal: request.signal, protocol: request.protocol, items: request.items, outcome: request.outcome, status: request.status },
    { signal: 'traces', protocol: 'grpc', items: 2, outcome: 'accepted', status: 0 },
  );
  assert.equal(request.path, '/opentelemetry.proto.collector.trace.v1.TraceService/Export');
  assert.match(request.headers['user-agent'] ?? '', /OTel|grpc/i);
});

test('OTLP/HTTP JSON and protobuf trace exports decode to the same spans as gRPC', async (t) => {
  const receiver = await startReceiver(t);
  const spans = makeSpans();
  const url = `${receiver.httpUrl}/v1/traces`;
  assert.equal((await exportSpans(new TraceHttpExporter({ url }), spans)).code, ExportResultCode.SUCCESS);
  const json = comparable(receiver.spans);
  assertSpanShape(receiver, spans);
  assert.equal(receiver.requests[0].encoding, 'json');
  receiver.clear();
  assert.equal((await exportSpans(new TraceProtoExporter({ url }), spans)).code, ExportResultCode.SUCCESS);
  const proto = comparable(receiver.spans);
  assert.equal(receiver.requests[0].encoding, 'protobuf');
  receiver.clear();
  assert.equal((await exportSpans(new TraceGrpcExporter({ url: receiver.grpcUrl }), spans)).code, ExportResultCode.SUCCESS);
  assert.deepEqual(json, proto);
  assert.deepEqual(comparable(receiver.spans), proto);
});

test('gzip-compressed exports are decoded over HTTP and gRPC', async (t) => {
  const receiver = await startReceiver(t);
  const spans = makeSpans();
  // CompressionAlgorithm.GZIP; otlp-exporter-base (which declares the enum) is not a direct dependency.
  const gzip = 'gzip' as never;
  await exportSpans(new TraceProtoExporter({ url: `${receiver.httpUrl}/v1/traces`, compression: gzip }), spans);
  await exportSpans(new TraceGrpcExporter({ url: receiver.grpcUrl, compression: gzip }), spans);
  assert.deepEqual(receiver.requests.map((r) => [r.protocol, r.contentEncoding, r.outcome]), [
    ['http', 'gzip', 'accepted'],
    ['grpc', 'gzip', 'accepted'],
  ]);
  assert.equal(receiver.spans.length, 4);
});

async function exportMetrics(exporter: PushMetricExporter): Promise<void> {
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({ resource, readers: [reader] });
  const meter = provider.getMeter('receiver-test-meter', '0.0.2');
  meter.createCounter('jobs.done', { unit: '{job}' }).add(5, { queue: 'mail' });
  meter.createUpDownCounter('jobs.queued').add(-2);
  meter.createGauge('temperature', { unit: 'Cel' }).record(21.5, { room: 'lab' });
  const h = meter.createHistogram('job.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 1, 10] } });
  for (const v of [0.05, 0.5, 0.7, 20]) h.record(v, { queue: 'mail' });
  await provider.forceFlush();
  await provider.shutdown();
}

test('metrics over gRPC, HTTP/protobuf and HTTP/JSON become one point per data point with type, temporality and buckets', async (t) => {
  const receiver = await startReceiver(t);
  const exporters: Array<[string, () => PushMetricExporter]> = [
    ['grpc', () => new MetricGrpcExporter({ url: receiver.grpcUrl })],
    ['protobuf', () => new MetricProtoExporter({ url: `${receiver.httpUrl}/v1/metrics` })],
    ['json', () => new MetricHttpExporter({ url: `${receiver.httpUrl}/v1/metrics` })],
  ];
  for (const [label, make] of exporters) {
    receiver.clear();
    await exportMetrics(make());
    const byName = (n: string) => receiver.metrics.find((m) => m.name === n);
    const counter = byName('jobs.done');
    assert.ok(counter, `${label}: ${receiver.summary()}`);
    assert.equal(counter.type, 'sum', label);
    assert.equal(counter.monotonic, true);
    assert.equal(counter.temporality, 'cumulative');
    assert.equal(counter.value, 5);
    assert.equal(counter.unit, '{job}');
    assert.deepEqual(counter.attributes, { queue: 'mail' });
    assert.equal(counter.scope.name, 'receiver-test-meter');
    assert.equal(counter.resource['service.name'], 'receiver-test');
    assert.match(counter.timeUnixNano, /^\d{19}$/);
    const upDown = byName('jobs.queued');
    assert.deepEqual([upDown?.type, upDown?.monotonic, upDown?.value], ['sum', false, -2], label);
    const gauge = byName('temperature');
    assert.deepEqual([gauge?.type, gauge?.value, gauge?.attributes], ['gauge', 21.5, { room: 'lab' }], label);
    const hist = byName('job.duration');
    assert.ok(hist, label);
    assert.equal(hist.type, 'histogram');
    assert.equal(hist.count, 4);
    assert.equal(hist.sum, 21.25);
    assert.equal(hist.min, 0.05);
    assert.equal(hist.max, 20);
    assert.deepEqual(hist.explicitBounds, [0.1, 1, 10]);
    assert.deepEqual(hist.bucketCounts, [1, 2, 0, 1]);
  }
});

test('exponential histograms (from the SDK) and summaries (hand-made JSON) keep scale, buckets and quantiles', async (t) => {
  const receiver = await startReceiver(t);
  const exporter = new MetricProtoExporter({ url: `${receiver.httpUrl}/v1/metrics` });
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
  const provider = new MeterProvider({
    resource, readers: [reader],
    views: [{ instrumentName: 'payload.size', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM } }],
  });
  const h = provider.getMeter('m').createHistogram('payload.size', { unit: 'By' });
  for (const v of [1, 2, 4, 1024]) h.record(v);
  await provider.forceFlush();
  await provider.shutdown();
  const exp = await receiver.waitForMetric('payload.size');
  assert.equal(exp.type, 'exponentialHistogram');
  assert.equal(exp.count, 4);
  assert.equal(exp.sum, 1031);
  assert.equal(typeof exp.scale, 'number');
  assert.equal(exp.positive?.bucketCounts.reduce((a, b) => a + b, 0), 4);
  assert.equal(exp.temporality, 'cumulative');

  const summary = {
    resource_metrics: [{ scope_metrics: [{ metrics: [{
      name: 'rpc.latency', unit: 'ms',
      summary: { data_points: [{
        count: '10', sum: 55.5, time_unix_nano: '1700000000000000000',
        quantile_values: [{ quantile: 0.5, value: 4 }, { quantile: 0.99, value: 9.5 }],
      }] },
    }] }] }],
  };
  assert.equal((await post(`${receiver.httpUrl}/v1/metrics`, JSON.stringify(summary))).status, 200);
  const point = await receiver.waitForMetric('rpc.latency');
  assert.deepEqual(
    { type: point.type, count: point.count, sum: point.sum, quantiles: point.quantiles, time: point.timeUnixNano },
    { type: 'summary', count: 10, sum: 55.5, quantiles: [{ quantile: 0.5, value: 4 }, { quantile: 0.99, value: 9.5 }], time: '1700000000000000000' },
  );
});

test('lax OTLP/JSON is accepted: snake_case keys and enum names instead of numbers', async (t) => {
  const receiver = await startReceiver(t);
  const body = {
    resource_spans: [{ scope_spans: [{ spans: [{
      trace_id: '0af7651916cd43dd8448eb211c80319c', span_id: 'b7ad6b7169203331', parent_span_id: '00f067aa0ba902b7',
      name: 'lax', kind: 'SPAN_KIND_CLIENT', status: { code: 'STATUS_CODE_OK' },
      start_time_unix_nano: 1_700_000_000_000_000_000, end_time_unix_nano: '1700000000500000000',
    }] }] }],
  };
  assert.equal((await post(`${receiver.httpUrl}/v1/traces`, JSON.stringify(body))).status, 200);
  const [span] = receiver.spans;
  assert.deepEqual(
    { traceId: span.traceId, parent: span.parentSpanId, kind: span.kind, status: span.status.code, ms: span.durationMs },
    { traceId: '0af7651916cd43dd8448eb211c80319c', parent: '00f067aa0ba902b7', kind: 'CLIENT', status: 'OK', ms: 500 },
  );
});

async function exportLogs(exporter: LogRecordExporter): Promise<string> {
  const provider = new LoggerProvider({ resource, processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('receiver-test-logger');
  const tracer = new TracerProvider().getTracer('t');
  const span = tracer.startSpan('handler');
  logger.emit({
    body: 'user logged in', severityNumber: SeverityNumber.INFO, severityText: 'info',
    attributes: { 'user.id': 42, 'http.route': '/login' }, context: trace.setSpan(context.active(), span),
  });
  logger.emit({ body: { structured: true, n: 1 }, severityNumber: SeverityNumber.ERROR, severityText: 'error' });
  span.end();
  await provider.forceFlush();
  await provider.shutdown();
  return span.spanContext().traceId;
}

test('logs over HTTP/protobuf and HTTP/JSON keep body, severity, attributes and trace context', async (t) => {
  const receiver = await startReceiver(t);
  for (const exporter of [new LogProtoExporter({ url: `${receiver.httpUrl}/v1/logs` }), new LogHttpExporter({ url: `${receiver.httpUrl}/v1/logs` })]) {
    receiver.clear();
    const traceId = await exportLogs(exporter);
    const info = await receiver.waitForLog((l) => l.body === 'user logged in');
    assert.equal(info.severityNumber, 9);
    assert.equal(info.severityText, 'info');
    assert.deepEqual(info.attributes, { 'user.id': 42, 'http.route': '/login' });
    assert.equal(info.traceId, traceId);
    assert.match(info.spanId, /^[0-9a-f]{16}$/);
    assert.equal(info.scope.name, 'receiver-test-logger');
    assert.equal(info.resource['service.name'], 'receiver-test');
    const structured = receiver.logs.find((l) => l.severityNumber === 17);
    assert.deepEqual(structured?.body, { structured: true, n: 1 });
    assert.equal(structured?.traceId, '');
  }
});

test('OTLP/JSON attributes flatten: int64 beyond 2^53 stays a string, kvlists become objects, bytes become buffers', async (t) => {
  const receiver = await startReceiver(t);
  const res = await post(`${receiver.httpUrl}/v1/traces`, jsonSpan('hand', [
    { key: 'small', value: { intValue: '7' } },
    { key: 'big', value: { intValue: '9007199254740993' } },
    { key: 'nan', value: { doubleValue: 'NaN' } },
    { key: 'kv', value: { kvlistValue: { values: [{ key: 'x', value: { arrayValue: { values: [{ boolValue: true }] } } }] } } },
    { key: 'raw', value: { bytesValue: Buffer.from('hi').toString('base64') } },
    { key: 'empty', value: {} },
  ]));
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {});
  const [span] = receiver.spans;
  assert.equal(span.traceId, '5b8efff798038103d269b633813fc60c');
  assert.equal(span.kind, 'SERVER');
  assert.equal(span.durationMs, 1000);
  assert.equal(span.attributes.small, 7);
  assert.equal(span.attributes.big, '9007199254740993');
  assert.ok(Number.isNaN(span.attributes.nan));
  assert.deepEqual(span.attributes.kv, { x: [true] });
  assert.deepEqual(Buffer.from(span.attributes.raw as Uint8Array).toString(), 'hi');
  assert.equal(span.attributes.empty, null);
});

test('envFor points traces at gRPC and metrics/logs at HTTP protobuf, with short export intervals', async (t) => {
  const receiver = await startReceiver(t);
  assert.deepEqual(receiver.envFor(), {
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.grpcUrl,
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${receiver.httpUrl}/v1/metrics`,
    OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `${receiver.httpUrl}/v1/logs`,
    OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf',
    OTEL_METRIC_EXPORT_INTERVAL: '300',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_BLRP_SCHEDULE_DELAY: '100',
  });
  assert.match(receiver.grpcUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.notEqual(receiver.grpcPort, receiver.httpPort);
  const json = receiver.envFor({ traces: 'http/json', fastExport: false });
  assert.equal(json.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, `${receiver.httpUrl}/v1/traces`);
  assert.equal(json.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, 'http/json');
  assert.equal(json.OTEL_METRIC_EXPORT_INTERVAL, undefined);
});

test('maxRequests keeps only the latest request records', async (t) => {
  const receiver = await startReceiver(t, { maxRequests: 2 });
  for (const name of ['a', 'b', 'c']) await post(`${receiver.httpUrl}/v1/traces`, jsonSpan(name));
  assert.deepEqual(receiver.requests.map((r) => r.id), [2, 3]);
  assert.equal(receiver.spans.length, 3);
  assert.equal(receiver.stats().traces.requests, 3);
});

test('stop() is safe to call twice and before start()', async () => {
  const receiver = await startReceiver();
  await receiver.stop();
  await receiver.stop();
  await new (receiver.constructor as new () => OtlpReceiver)().stop();
});

test('undecodable bodies get 400 / INVALID_ARGUMENT and are recorded with the error', async (t) => {
  const receiver = await startReceiver(t);
  const res = await post(`${receiver.httpUrl}/v1/metrics`, Buffer.from([0x0a, 0xff, 0xff]), 'application/x-protobuf');
  assert.equal(res.status, 400);
  const json = await post(`${receiver.httpUrl}/v1/logs`, '{not json');
  assert.equal(json.status, 400);
  const grpcResult = await grpcCall(receiver.grpcUrl, '/opentelemetry.proto.collector.logs.v1.LogsService/Export', Buffer.from([0x0a, 0xff]));
  assert.equal(grpcResult.error?.code, grpc.status.INVALID_ARGUMENT);
  assert.deepEqual(receiver.requests.map((r) => [r.signal, r.outcome, typeof r.error]), [
    ['metrics', 'bad-request', 'string'], ['logs', 'bad-request', 'string'], ['logs', 'bad-request', 'string'],
  ]);
});

test('HTTP answers 404 off the OTLP paths, 405 to GET and 415 to other content types', async (t) => {
  const receiver = await startReceiver(t);
  assert.equal((await post(`${receiver.httpUrl}/v1/spans`, '{}')).status, 404);
  assert.equal((await fetch(`${receiver.httpUrl}/v1/traces`)).status, 405);
  assert.equal((await post(`${receiver.httpUrl}/v1/traces`, 'x', 'text/plain')).status, 415);
  assert.equal(receiver.requests.length, 0);
});

test('waitFor rejects with a list of what was received', async (t) => {
  const receiver = await startReceiver(t);
  await post(`${receiver.httpUrl}/v1/traces`, jsonSpan('GET /present'));
  await assert.rejects(
    receiver.waitForSpan('GET /absent', { timeoutMs: 50 }),
    (err: Error) => /span GET \/absent/.test(err.message) && /GET \/present \[SERVER\]/.test(err.message),
  );
  assert.equal((await receiver.waitForSpan('GET /present')).kind, 'SERVER');
});

test('batch events carry the request and its decoded items', async (t) => {
  const receiver = await startReceiver(t);
  const events: string[] = [];
  receiver.on('batch', (b: { request: { signal: string }; spans: ReceivedSpan[] }) => events.push(`${b.request.signal}:${b.spans.length}`));
  await post(`${receiver.httpUrl}/v1/traces`, jsonSpan('evt'));
  assert.deepEqual(events, ['traces:1']);
});
