// obs doctor against real folders (made per test from test/fixtures/cli-doctor), real endpoints
// (an OTLP receiver, a closed port), a real port holder and, in run mode, the real preload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fixture, repoRoot } from './support/fixtures-dir.js';
import { runFixtureToExit } from './support/spawn.js';
import { startReceiver } from './support/receiver.js';
import { freePort } from './support/free-port.js';
import { runDoctor } from './support/doctor-run.js';

const obs = path.join(repoRoot, 'dist', 'src', 'cli', 'obs.js');
const hasPreload = existsSync(path.join(repoRoot, 'dist', 'register.js'));


type After = { after(fn: () => unknown): void };

/** A service folder outside the repo: the fixture's files, @org/obs linked in, and pg real or faked. */
function makeProject(t: After, name: string, opts: { pgVersion?: string; withObs?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), `obs-doctor-${name}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(fixture('cli-doctor', name), dir, { recursive: true });
  mkdirSync(path.join(dir, 'node_modules', '@org'), { recursive: true });
  if (opts.withObs !== false) symlinkSync(repoRoot, path.join(dir, 'node_modules', '@org', 'obs'), 'dir');
  if (opts.pgVersion) {
    mkdirSync(path.join(dir, 'node_modules', 'pg'));
    writeFileSync(path.join(dir, 'node_modules', 'pg', 'package.json'), JSON.stringify({ name: 'pg', version: opts.pgVersion }));
  } else {
    symlinkSync(path.join(repoRoot, 'node_modules', 'pg'), path.join(dir, 'node_modules', 'pg'), 'dir');
  }
  return dir;
}


const doctor = runDoctor;

async function healthyEnv(t: After): Promise<Record<string, string>> {
  const receiver = await startReceiver(t);
  return {
    ...receiver.envFor({ fastExport: false }),
    OTEL_SERVICE_NAME: 'doctor-fixture',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()),
  };
}

test('doctor on a healthy project: exit 0, pg supported, every exporter answers a real OTLP export', async (t) => {
  const dir = makeProject(t, 'esm-app');
  const env = await healthyEnv(t);
  const r = await doctor(dir, env);
  assert.equal(r.code, 0, JSON.stringify(r.report.findings.filter((f) => f.level === 'fail'), null, 2));
  assert.equal(r.report.ok, true);
  assert.equal(r.find('module.pg')?.level, 'ok');
  assert.match(r.find('module.pg')?.text ?? '', /^pg 8\.\d+\.\d+ supported/);
  for (const signal of ['traces', 'metrics', 'logs']) {
    assert.equal(r.find(`exporter.${signal}`)?.level, 'ok', `exporter.${signal}`);
    assert.match(r.find(`exporter.${signal}`)?.text ?? '', /answers \((gRPC OK|HTTP 200)\)/);
  }
  assert.equal(r.find('preload.installed')?.level, 'ok');
  assert.equal(r.find('preload.wired')?.level, 'ok', 'the start script loads @org/obs/register');
  assert.match(r.find('runtime.modules')?.text ?? '', /ESM/);
  assert.equal(r.find('ports.prometheus')?.level, 'ok');
});

test('doctor with a dead collector endpoint: exit 1, connection refused and the fix', async (t) => {
  const dir = makeProject(t, 'esm-app');
  const dead = await freePort();
  const r = await doctor(dir, {
    OTEL_SERVICE_NAME: 'doctor-fixture',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${dead}`,
    OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()),
  });
  assert.equal(r.code, 1);
  assert.equal(r.report.ok, false);
  for (const signal of ['traces', 'metrics', 'logs']) {
    const f = r.find(`exporter.${signal}`);
    assert.equal(f?.level, 'fail');
    assert.match(f?.text ?? '', new RegExp(`127\\.0\\.0\\.1:${dead}/v1/${signal} http/protobuf → connection refused`));
    assert.match(f?.fix ?? '', /start a collector/);
  }
});

test('doctor with a dead gRPC endpoint says connection refused, not a protocol problem', async (t) => {
  const dir = makeProject(t, 'esm-app');
  const dead = await freePort();
  const r = await doctor(dir, {
    ...(await healthyEnv(t)),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${dead}`,
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
  });
  assert.equal(r.code, 1);
  assert.match(r.find('exporter.traces')?.text ?? '', new RegExp(`127\\.0\\.0\\.1:${dead} grpc → connection refused`));
  assert.equal(r.find('exporter.metrics')?.level, 'ok');
});

test('doctor with a collector answering 503: exit 1, the status is shown', async (t) => {
  const dir = makeProject(t, 'esm-app');
  const receiver = await startReceiver(t, { faults: { all: { kind: 'status', status: 503 } } });
  const r = await doctor(dir, { ...receiver.envFor({ fastExport: false }), OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()) });
  assert.equal(r.code, 1);
  assert.match(r.find('exporter.traces')?.text ?? '', /gRPC UNAVAILABLE/);
  assert.match(r.find('exporter.metrics')?.text ?? '', /HTTP 503/);
});

test('doctor with a collector that never answers reports a timeout for that signal only', async (t) => {
  const dir = makeProject(t, 'esm-app');
  const receiver = await startReceiver(t, { faults: { traces: 'hang' } });
  const r = await doctor(dir, { ...receiver.envFor({ fastExport: false }), OTEL_SERVICE_NAME: 'x', OTEL_EXPORTER_PROMETHEUS_PORT: String(await freePort()) });
  assert.equal(r.code, 1);
  assert.match(r.find('exporter.traces')?.text ?? '', /no answer \(timed out\)/);
  assert.equal(r.find('exporter.logs')?.level, 'ok');
});

test('doctor with an unsupported pg version: exit 1, names the supported range', async (t) => {
  const dir = makeProject(t, 'esm-app', { pgVersion: '9.0.0' });
  const r = await doctor(dir, await healthyEnv(t));
  assert.equal(r.code, 1);
  const f = r.find('module.pg');
  assert.equal(f?.level, 'fail');
  assert.match(f?.text ?? '', /pg 9\.0\.0 is outside >=8\.\d+\.\d+ <9 \(@opentelemetry\/instrumentation-pg\)/);
  assert.match(f?.fix ?? '', /install a supported pg/);
});

test('doctor where @org/obs is not installed: exit 1 with the install command', async (t) => {
  const dir = makeProject(t, 'esm-app', { withObs: false });
  const r = await doctor(dir, await healthyEnv(t));
  assert.equal(r.code, 1);
  assert.equal(r.find('preload.installed')?.level, 'fail');
  assert.match(r.find('preload.installed')?.fix ?? '', /npm install @org\/obs/);
});

test('doctor with the Prometheus exporter on a taken port: exit 1', async (t) => {
  const dir = makeProject(t, 'esm-app');
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  t.after(() => holder.close());
  const port = (holder.address() as net.AddressInfo).port;
  const r = await doctor(dir, { ...(await healthyEnv(t)), OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_PORT: String(port) });
  assert.equal(r.code, 1);
  assert.equal(r.find('ports.prometheus')?.level, 'fail');
  assert.match(r.find('ports.prometheus')?.text ?? '', new RegExp(`:${port} is taken \\(EADDRINUSE\\)`));
});

test('doctor masks secrets in the configuration it prints', async (t) => {
  const dir = makeProject(t, 'esm-app');
  const env = {
    ...(await healthyEnv(t)),
    OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20s3cr3t-token,x-tenant=acme',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=dev',
  };
  const res = await runFixtureToExit(obs, { preload: false, cwd: dir, env, args: ['doctor', '--no-color'], timeoutMs: 60_000 });
  assert.equal(res.code, 0, res.stdout);
  assert.doesNotMatch(res.stdout, /s3cr3t/);
  assert.match(res.stdout, /OTEL_EXPORTER_OTLP_HEADERS=authorization=REDACTED,x-tenant=REDACTED/);
  assert.match(res.stdout, /✓ No blocking problem found/);
  for (const line of res.stdout.split('\n')) assert.ok(line.length <= 80, `wider than 80 columns: ${line}`);
});

test('doctor -- node server.mjs: preload active, ESM hook registered, pg patched', { skip: !hasPreload && 'dist/register.js not built' }, async (t) => {
  const dir = makeProject(t, 'esm-app');
  const r = await doctor(dir, await healthyEnv(t), '--', process.execPath, 'server.mjs');
  assert.equal(r.find('preload.active')?.level, 'ok', r.find('preload.active')?.text);
  assert.equal(r.find('preload.esm')?.level, 'ok', r.find('preload.esm')?.text);
  assert.equal(r.find('module.pg')?.level, 'ok', r.find('module.pg')?.text);
  assert.match(r.find('module.pg')?.text ?? '', /patched/);
  // The proof request went through it (details in cli-doctor-proof.test.ts); no logger: a warning only.
  assert.equal(r.find('proof.span')?.level, 'ok', r.find('proof.span')?.text);
  assert.match(r.find('proof.child')?.text ?? '', /\(pg\)/);
  assert.equal(r.find('proof.log')?.level, 'warn');
  assert.equal(r.code, 0, JSON.stringify(r.report.findings.filter((f) => f.level === 'fail'), null, 2));
});

test('doctor -- node --require pg server.cjs: pg was loaded before the preload, exit 1', { skip: !hasPreload && 'dist/register.js not built' }, async (t) => {
  const dir = makeProject(t, 'cjs-early-pg');
  const r = await doctor(dir, await healthyEnv(t), '--', process.execPath, '--require', 'pg', 'server.cjs');
  assert.equal(r.code, 1);
  const f = r.find('module.pg');
  assert.equal(f?.level, 'fail', JSON.stringify(r.report.findings, null, 2));
  assert.match(f?.text ?? '', /loaded before the preload/);
  assert.match(f?.fix ?? '', /--import @org\/obs\/register before/);
});

test('doctor -- npm start: reads the app\'s report, not npm\'s, and stops the app npm launched', { skip: !hasPreload && 'dist/register.js not built' }, async (t) => {
  const dir = makeProject(t, 'esm-app');
  // npm runs whatever `node` PATH names first: this run's Node, as `npm run` does for the project's own scripts.
  const env = { ...(await healthyEnv(t)), PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}` };
  const r = await doctor(dir, env, '--', 'npm', 'start', '--silent');
  assert.equal(r.code, 0, JSON.stringify(r.report.findings.filter((f) => f.level === 'fail'), null, 2));
  assert.match(r.find('runtime.entry')?.text ?? '', /server\.mjs runs as ESM/);
  assert.match(r.find('module.pg')?.text ?? '', /patched/);
});

test('doctor -- a command that does not exist: exit 1 with the reason', async (t) => {
  const dir = makeProject(t, 'esm-app');
  const r = await doctor(dir, await healthyEnv(t), '--', 'definitely-not-a-command-xyz');
  assert.equal(r.code, 1);
  assert.match(r.find('preload.run')?.text ?? '', /could not start the command: .*ENOENT/);
});
