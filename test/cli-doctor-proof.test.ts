// `obs doctor -- <command>` proves telemetry with one request through the real app (the preload, real
// PostgreSQL, pino, the app's own @opentelemetry/api copy): what arrives decides, not what was patched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apiCopyWithVersion } from './support/api-copy.js';
import { fixture, repoRoot } from './support/fixtures-dir.js';
import { startReceiver } from './support/receiver.js';
import { freePort } from './support/free-port.js';
import { runDoctor } from './support/doctor-run.js';

const skip = !existsSync(path.join(repoRoot, 'dist', 'register.js')) && 'dist/register.js not built';

type After = { after(fn: () => unknown): void };

/** The proof-app fixture outside the repo, with @org/obs, pg and pino linked and the given API copy. */
function makeApp(t: After, api: { version?: string } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'obs-doctor-proof-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(fixture('cli-doctor', 'proof-app'), dir, { recursive: true });
  const nm = path.join(dir, 'node_modules');
  mkdirSync(path.join(nm, '@org'), { recursive: true });
  mkdirSync(path.join(nm, '@opentelemetry'), { recursive: true });
  symlinkSync(repoRoot, path.join(nm, '@org', 'obs'), 'dir');
  for (const name of ['pg', 'pino']) symlinkSync(path.join(repoRoot, 'node_modules', name), path.join(nm, name), 'dir');
  if (api.version) apiCopyWithVersion(nm, api.version);
  else symlinkSync(path.join(repoRoot, 'node_modules', '@opentelemetry', 'api'), path.join(nm, '@opentelemetry', 'api'), 'dir');
  return dir;
}


const doctor = runDoctor;

test('doctor proves a healthy app: server span with pg and manual child spans, route, pino record with the trace id, API copy sees us; exit 0', { skip }, async (t) => {
  const dir = makeApp(t);
  // The user's collector: probed by the doctor, but the proof run's telemetry goes to the doctor's own receiver.
  const collector = await startReceiver(t);
  const env = { ...collector.envFor({ fastExport: false }), OTEL_SERVICE_NAME: 'doctor-proof', OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()) };
  const r = await doctor(dir, env, '--', process.execPath, 'server.mjs');
  assert.equal(r.code, 0, r.failures());
  assert.match(r.find('proof.request')?.text ?? '', /^GET http:\/\/127\.0\.0\.1:\d+\/ → HTTP 200 in \d+ ms$/);
  assert.match(r.find('proof.span')?.text ?? '', /^server span "GET \/" \(trace [0-9a-f]{32}\)$/);
  const child = r.find('proof.child');
  assert.equal(child?.level, 'ok');
  assert.match(child?.text ?? '', /load-one \(doctor-proof-app\)/, 'the manual span made through the app\'s own API copy');
  assert.match(child?.text ?? '', /\(pg\)/);
  assert.deepEqual([r.find('proof.route')?.level, r.find('proof.route')?.text], ['ok', 'route http.route = /']);
  assert.equal(r.find('proof.log')?.level, 'ok', r.find('proof.log')?.text);
  assert.match(r.find('proof.log')?.text ?? '', /"answered" \(pino\) carries the trace id/);
  const api = r.report.findings.filter((f) => f.id === 'api.app');
  assert.equal(api.length, 1);
  assert.equal(api[0]?.level, 'ok');
  assert.match(api[0]?.text ?? '', /^@opentelemetry\/api 1\.10\.\d+ \(.*node_modules\/@opentelemetry\/api\) sees our context, tracer, meter, logger provider$/);
  for (const signal of ['traces', 'metrics', 'logs']) assert.equal(r.find(`exporter.${signal}`)?.level, 'ok', `the user's ${signal} endpoint is probed`);
  assert.equal(collector.spans.length, 0, 'the proof run exported to the doctor, not to the user\'s collector');
});

test('doctor with the app on a blind @opentelemetry/api copy (1.99.0-rc.1): exit 1, the failure names the version, the path and the fix', { skip }, async (t) => {
  const dir = makeApp(t, { version: '1.99.0-rc.1' });
  const collector = await startReceiver(t);
  const env = { ...collector.envFor({ fastExport: false }), OTEL_SERVICE_NAME: 'doctor-proof', OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()) };
  const r = await doctor(dir, env, '--', process.execPath, 'server.mjs');
  assert.equal(r.code, 1);
  const api = r.report.findings.filter((f) => f.id === 'api.app');
  assert.equal(api.length, 1, JSON.stringify(api));
  assert.equal(api[0]?.level, 'fail');
  assert.match(api[0]?.text ?? '', new RegExp(`^@opentelemetry/api 1\\.99\\.0-rc\\.1 \\(${dir}/node_modules/@opentelemetry/api\\) is blind to our context, tracer, meter, logger provider`));
  assert.match(api[0]?.fix ?? '', /npm install @opentelemetry\/api@\^1\.10\.\d+/);
  // What the blind copy costs, seen in the telemetry: the app's manual span never arrives; the instrumented pg spans do.
  assert.doesNotMatch(r.find('proof.child')?.text ?? '', /load-one/);
  assert.match(r.find('proof.child')?.text ?? '', /\(pg\)/);
  assert.equal(r.report.findings.filter((f) => f.level === 'fail').length, 1, r.failures());
  assert.ok(!r.report.findings.some((f) => f.id === 'preload.warning' && /@opentelemetry\/api/.test(f.text)), 'said once, as the api finding');
});

test('doctor --url to a route that touches no instrumented library: "no child span" is a warning, exit 0', { skip }, async (t) => {
  const dir = makeApp(t);
  const collector = await startReceiver(t);
  const port = await freePort();
  const env = { ...collector.envFor({ fastExport: false }), OTEL_SERVICE_NAME: 'doctor-proof', OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()), PORT: String(port) };
  const r = await doctor(dir, env, '--url', `http://127.0.0.1:${port}/ping`, '--', process.execPath, 'server.mjs');
  assert.equal(r.code, 0, r.failures());
  assert.match(r.find('proof.request')?.text ?? '', new RegExp(`^GET http://127\\.0\\.0\\.1:${port}/ping → HTTP 200`));
  assert.deepEqual([r.find('proof.child')?.level, r.find('proof.child')?.text], ['warn', 'no child span: the request touched no instrumented library']);
  assert.equal(r.find('proof.route')?.text, 'route http.route = /ping');
  // pino is bridged, but /ping logs nothing.
  assert.equal(r.find('proof.log')?.level, 'warn');
  assert.match(r.find('proof.log')?.text ?? '', /pino is bridged, but the request logged nothing/);
});

test('doctor --url to a health path: no server span by design, the failure says OBS_IGNORE_PATHS, not "not traced"', { skip }, async (t) => {
  const dir = makeApp(t);
  const port = await freePort();
  const env = { OTEL_SERVICE_NAME: 'doctor-proof', OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()), PORT: String(port) };
  const r = await doctor(dir, env, '--url', `http://127.0.0.1:${port}/healthz`, '--', process.execPath, 'server.mjs');
  assert.equal(r.code, 1);
  assert.match(r.find('proof.span')?.text ?? '', /^no server span for \/healthz: it matches OBS_IGNORE_PATHS \(.*\/healthz.*\), untraced by design$/);
  assert.match(r.find('proof.span')?.fix ?? '', /--url/);
});

test('doctor on an app that never listens: the proof fails within --wait and says to give --url; --no-request skips it', { skip }, async (t) => {
  const dir = makeApp(t);
  // A collector that answers, so stopping the app does not wait out a flush to a dead endpoint.
  const collector = await startReceiver(t);
  const env = { ...collector.envFor({ fastExport: false }), OTEL_SERVICE_NAME: 'doctor-proof', OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()) };
  const idle = ['-e', 'setInterval(() => {}, 1000)'];
  const started = Date.now();
  const r = await doctor(dir, env, '--wait', '3s', '--', process.execPath, ...idle);
  assert.equal(r.find('proof.request')?.level, 'fail');
  assert.match(r.find('proof.request')?.text ?? '', /listened on no TCP port/);
  assert.match(r.find('proof.request')?.fix ?? '', /--url http:\/\/127\.0\.0\.1:<port>/);
  assert.ok(Date.now() - started < 20_000, 'bounded by --wait');
  const skipped = await doctor(dir, env, '--no-request', '--', process.execPath, ...idle);
  assert.equal(skipped.find('proof.request')?.level, 'info');
  assert.match(skipped.find('proof.request')?.text ?? '', /--no-request/);
});
