// An HTTP exporter pointed at a gRPC port (a collector's gRPC listener on a port other than 4317, which
// alone does not choose gRPC) fails with an HTTP parse error: the failure line says to set the protocol.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exportFailure, protocolHint } from '../src/export/failure-message.js';
import { startApp } from './signals-helpers.js';
import { startReceiver } from './support/receiver.js';

test('the hint is added to HTTP parse errors only', () => {
  const parse = Object.assign(new Error('Parse Error: Expected HTTP/, RTSP/ or ICE/'), { code: 'HPE_INVALID_CONSTANT' });
  assert.match(exportFailure('traces', 'http://c:14317/v1/traces (http/protobuf)', parse).message, /gRPC port\? set OTEL_EXPORTER_OTLP_PROTOCOL=grpc\)$/);
  assert.equal(protocolHint(new Error('connect ECONNREFUSED 127.0.0.1:4318')), '');
});

test('under the preload: http/protobuf to a gRPC port gives one line with the gRPC hint', async (t) => {
  const grpcOnly = await startReceiver(t);
  const { proc, base } = await startApp(t, 'signals-app/server.mjs', {
    OTEL_EXPORTER_OTLP_ENDPOINT: grpcOnly.grpcUrl,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined,
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: undefined,
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: undefined,
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: undefined,
    OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: undefined,
    OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: undefined,
    OTEL_BSP_SCHEDULE_DELAY: '100',
  });
  await (await fetch(base + '/users/1')).arrayBuffer();
  const m = await proc.waitForOutput(/traces export to \S+ \(http\/protobuf\) failed: .*Parse Error.*/, { stream: 'stderr', timeoutMs: 20_000 });
  assert.match(m[0], /\(the endpoint answers in HTTP\/2: a gRPC port\? set OTEL_EXPORTER_OTLP_PROTOCOL=grpc\)/);
});
