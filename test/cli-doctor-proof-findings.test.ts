// The proof's verdicts from given evidence (no app): where the request goes, how the request's spans
// are found, and each way a log record can be missing. The real runs are in cli-doctor-proof.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proofFindings } from '../src/cli/doctor/checks-proof.js';
import type { ProofEvidence } from '../src/cli/doctor/proof-run.js';
import { defaultProofUrl } from '../src/cli/doctor/proof-target.js';
import { parseReport, type DoctorReport } from '../src/cli/doctor/report.js';
import type { ReceivedLog, ReceivedSpan } from '../src/cli/receiver/index.js';

const TRACE = 'ab'.repeat(16);
const MS = 1_800_000_000_000;
const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);

function span(fields: Partial<ReceivedSpan>): ReceivedSpan {
  return {
    traceId: TRACE, spanId: '1'.repeat(16), parentSpanId: '', name: 'GET /', kind: 'INTERNAL', attributes: {},
    scope: { name: '@opentelemetry/instrumentation-http', version: '', attributes: {} }, startTimeUnixNano: ns(MS + 1),
    ...fields,
  } as ReceivedSpan;
}

function log(fields: Partial<ReceivedLog>): ReceivedLog {
  return { body: 'handled', traceId: '', timeUnixNano: ns(MS + 5), scope: { name: '@opentelemetry/instrumentation-pino', version: '', attributes: {} }, ...fields } as ReceivedLog;
}

function report(extra: Partial<DoctorReport> = {}): DoctorReport {
  const base = parseReport(JSON.stringify({ active: true, config: { signals: { consoleCapture: false } } }))!;
  return { ...base, ...extra };
}

const pino = { name: 'pino', package: '@opentelemetry/instrumentation-pino', modules: ['pino'], enabled: true, patched: true, loadedBeforePreload: false };
const request = { url: 'http://127.0.0.1:3000/orders', traceId: TRACE, startedAt: MS, endedAt: MS + 20, status: 200 };
const server = span({ kind: 'SERVER', spanId: '2'.repeat(16), parentSpanId: 'f'.repeat(16), attributes: { 'http.route': '/orders' } });
const pgSpan = span({ name: 'pg.query:SELECT shop', parentSpanId: '2'.repeat(16), scope: { name: '@opentelemetry/instrumentation-pg', version: '', attributes: {} } });
const all = new Set(['traces', 'metrics', 'logs']);
const find = (findings: ReturnType<typeof proofFindings>, id: string) => findings.find((f) => f.id === id);

test('default proof URL: first address, wildcard binds through loopback, IPv6 in brackets, https for TLS', () => {
  assert.equal(defaultProofUrl([]), undefined);
  assert.equal(defaultProofUrl([{ host: '0.0.0.0', port: 3000 }, { host: '127.0.0.1', port: 9000 }]), 'http://127.0.0.1:3000/');
  assert.equal(defaultProofUrl([{ host: '::', port: 3000 }]), 'http://[::1]:3000/');
  assert.equal(defaultProofUrl([{ host: 'fe80::1', port: 3000 }]), 'http://[fe80::1]:3000/');
  assert.equal(defaultProofUrl([{ host: '127.0.0.1', port: 8443, tls: true }]), 'https://127.0.0.1:8443/');
});

test('proof findings: span, named children through the tree, route and the log record with the trace id', () => {
  const evidence: ProofEvidence = { request, spans: [server, pgSpan], logs: [log({ traceId: TRACE })] };
  const f = proofFindings(evidence, report({ instrumentations: [pino] }), all);
  assert.deepEqual(f.map((x) => [x.id, x.level]), [['proof.request', 'ok'], ['proof.span', 'ok'], ['proof.child', 'ok'], ['proof.route', 'ok'], ['proof.log', 'ok']]);
  assert.equal(find(f, 'proof.child')?.text, '1 child span: pg.query:SELECT shop (pg)');
  assert.equal(find(f, 'proof.log')?.text, 'log record "handled" (pino) carries the trace id');
});

test('proof findings: without the doctor\'s trace id the server span is found by path', () => {
  const other = { ...server, traceId: 'cd'.repeat(16), attributes: { 'url.path': '/orders', 'http.route': '/orders' } };
  const f = proofFindings({ request, spans: [other], logs: [] }, report(), all);
  assert.equal(find(f, 'proof.span')?.level, 'ok');
  assert.match(find(f, 'proof.span')?.text ?? '', /cdcd/);
});

test('proof findings: a server span without http.route fails', () => {
  const f = proofFindings({ request, spans: [{ ...server, attributes: {} }], logs: [] }, report(), all);
  assert.equal(find(f, 'proof.route')?.level, 'fail');
});

test('log finding: no bridged logger warns; bridged but silent warns; records without the trace id during the request fail', () => {
  const none = proofFindings({ request, spans: [server], logs: [] }, report(), all);
  assert.equal(find(none, 'proof.log')?.level, 'warn');
  assert.match(find(none, 'proof.log')?.text ?? '', /no logger we bridge/);
  const consoleBridged = proofFindings({ request, spans: [server], logs: [] }, report({ config: { signals: { consoleCapture: true } } }), all);
  assert.match(find(consoleBridged, 'proof.log')?.text ?? '', /console \(OBS_CONSOLE_CAPTURE\) is bridged, but the request logged nothing/);
  const lost = proofFindings({ request, spans: [server], logs: [log({}), log({ timeUnixNano: ns(MS + 5000) })] }, report({ instrumentations: [pino] }), all);
  assert.equal(find(lost, 'proof.log')?.level, 'fail');
  assert.match(find(lost, 'proof.log')?.text ?? '', /^1 log record\(s\) written during the request carry no trace id/);
});

test('a command that overrides the doctor\'s traces exporter is named, not "not traced"', () => {
  const r = report({ exporters: [{ signal: 'traces', exporter: 'otlp', protocol: 'grpc', endpoint: 'http://collector:4317' }] });
  const f = proofFindings({ request, spans: [], logs: [] }, r, new Set(['logs']));
  assert.equal(find(f, 'proof.span')?.level, 'fail');
  assert.match(find(f, 'proof.span')?.text ?? '', /sets its own traces exporter \(http:\/\/collector:4317\)/);
});
