// Pure pieces of the obs views: trace trees and metric tables stay within the width, secrets are
// masked, fault flags map onto receiver faults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTrace } from '../src/cli/tail/render-trace.js';
import { TraceBuffer } from '../src/cli/tail/trace-buffer.js';
import { renderMetrics } from '../src/cli/tail/render-metrics.js';
import { maskValue } from '../src/cli/doctor/mask.js';
import { faultFromFlags } from '../src/cli/tail/command.js';
import { paint, visibleLength } from '../src/cli/util/color.js';
import type { ReceivedMetricPoint, ReceivedSpan } from '../src/cli/receiver/types.js';

const base = { resource: { 'service.name': 'svc' }, scope: { name: 's', version: '', attributes: {} }, protocol: 'grpc' as const, requestId: 1 };

function span(id: string, parent: string, name: string, start: number, extra: Partial<ReceivedSpan> = {}): ReceivedSpan {
  return {
    ...base, traceId: 'ab'.repeat(16), spanId: id.padStart(16, '0'), parentSpanId: parent ? parent.padStart(16, '0') : '',
    traceState: '', flags: 1, name, kind: parent ? 'CLIENT' : 'SERVER',
    startTimeUnixNano: String(1_700_000_000_000_000_000n + BigInt(start)), endTimeUnixNano: '0', durationMs: 12.5,
    attributes: {}, status: { code: 'UNSET', message: '' }, events: [], links: [], droppedAttributesCount: 0, ...extra,
  };
}

test('a deep trace with long names renders as a tree no wider than 80 columns, children by start time', () => {
  const spans = [
    span('1', '', 'GET /api/v1/quotes/:symbol', 0, { attributes: { 'http.response.status_code': 200 } }),
    span('3', '1', 'pg.query:SELECT ' + 'x'.repeat(120), 20, { attributes: { 'db.system.name': 'postgresql' } }),
    span('2', '1', 'get', 10, { attributes: { 'db.system.name': 'redis' } }),
    span('4', '3', 'nested', 30, { status: { code: 'ERROR', message: 'boom '.repeat(30) } }),
  ];
  for (const colour of [false, true]) {
    const lines = renderTrace(spans, paint(colour), 80);
    for (const line of lines) assert.ok(visibleLength(line) <= 80, `too wide: ${line}`);
    const plain = renderTrace(spans, paint(false), 80);
    assert.match(plain[1] ?? '', /^GET \/api\/v1\/quotes\/:symbol  server 200 +12\.5 ms$/);
    assert.match(plain[2] ?? '', /^├─ get  client redis +12\.5 ms$/);
    assert.match(plain[3] ?? '', /^└─ pg\.query:SELECT x+… +12\.5 ms$/);
    assert.match(plain[4] ?? '', /^   └─ nested  client +12\.5 ms$/);
    assert.match(plain[5] ?? '', /^ +✗ boom/);
  }
});

test('a trace whose root has not arrived shows its spans as orphans instead of dropping them', () => {
  const lines = renderTrace([span('5', '9', 'orphan child', 0)], paint(false), 80);
  assert.match(lines[0] ?? '', /1 span · partial/);
  assert.match(lines[1] ?? '', /^↳ orphan child/);
});

test('trace buffer: an outgoing HTTP call without its remote child waits for it; a late span brings the whole trace back as an update', async () => {
  const emitted: { ids: string[]; update: boolean }[] = [];
  const buffer = new TraceBuffer((spans, update) => emitted.push({ ids: spans.map((s) => s.spanId.replace(/^0+/, '')), update }), 20, 100, 300);
  const other = { resource: { 'service.name': 'other' } };
  buffer.add([span('1', '', 'GET /a', 0), span('2', '1', 'POST', 1, { attributes: { 'http.request.method': 'POST' } })]);
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(emitted.length, 0, 'still waiting for the called service');
  buffer.add([span('3', '2', 'POST /b', 2, { kind: 'SERVER', ...other })]);
  await new Promise((r) => setTimeout(r, 80));
  assert.deepEqual(emitted, [{ ids: ['1', '2', '3'], update: false }]);
  buffer.add([span('4', '3', 'SELECT', 3, { attributes: { 'db.system.name': 'postgresql' }, ...other })]);
  await new Promise((r) => setTimeout(r, 80));
  assert.deepEqual(emitted[1], { ids: ['1', '2', '3', '4'], update: true });
  const lines = renderTrace([span('1', '', 'GET /a', 0), span('3', '1', 'POST /b', 2, other)], paint(false), 80, true);
  assert.match(lines[0] ?? '', /· svc → other · 2 spans · 12\.5 ms · updated/);
  assert.match(lines[1] ?? '', /^\[svc\] GET \/a/);
  assert.match(lines[2] ?? '', /^└─ \[other\] POST \/b/);
});

test('metric tables keep the latest point per series and hide attributes shared by every series', () => {
  const point = (status: number, count: number, t: number): ReceivedMetricPoint => ({
    ...base, name: 'http.server.request.duration', description: '', unit: 's', type: 'histogram',
    attributes: { 'http.request.method': 'GET', 'http.route': '/a', 'http.response.status_code': status, 'url.scheme': 'http' },
    startTimeUnixNano: '1', timeUnixNano: String(t), count, sum: count * 0.01, max: 0.02,
  });
  const lines = renderMetrics([point(200, 1, 1), point(200, 5, 2), point(500, 2, 2)], paint(false), 80);
  assert.equal(lines[0], 'http.server.request.duration  histogram');
  assert.match(lines[1] ?? '', /^ {3}200 +n=5 avg 10\.0ms max 20\.0ms$/);
  assert.match(lines[2] ?? '', /^ {3}500 +n=2 avg 10\.0ms max 20\.0ms$/);
  for (const line of lines) assert.ok(line.length <= 80);
});

test('configuration values are masked: secret names, header values, URL passwords and secret query keys', () => {
  assert.equal(maskValue('OTEL_EXPORTER_OTLP_HEADERS', 'authorization=Bearer x,x-tenant=acme'), 'authorization=REDACTED,x-tenant=REDACTED');
  assert.equal(maskValue('OBS_API_TOKEN', 'abc'), 'REDACTED');
  assert.equal(maskValue('OTEL_EXPORTER_OTLP_ENDPOINT', 'https://user:pw@collector:4318/?api_key=k&x=1'), 'https://user:REDACTED@collector:4318/?api_key=REDACTED&x=1');
  assert.equal(maskValue('OTEL_EXPORTER_OTLP_ENDPOINT', 'http://localhost:4318'), 'http://localhost:4318');
});

test('fault flags map onto receiver faults; conflicting flags are refused', () => {
  assert.deepEqual(faultFromFlags({ fail: '503', 'retry-after': '2' }), { kind: 'status', status: 503, retryAfterSeconds: 2 });
  assert.deepEqual(faultFromFlags({ delay: '2s' }), { kind: 'ok', delayMs: 2000 });
  assert.deepEqual(faultFromFlags({ refuse: true }), { kind: 'refuse' });
  assert.equal(faultFromFlags({}), undefined);
  assert.throws(() => faultFromFlags({ refuse: true, hang: true }), /only one of/);
  assert.throws(() => faultFromFlags({ fail: '200' }), /HTTP error status/);
});
