#!/usr/bin/env node
// Builds the native stack's binaries from their Go modules into a cache outside the repo, and reuses it.
// Usage: node stack/build.mjs [--print-bin] [--force] [--only=name,...]. Cache: ${OBS_STACK_CACHE:-~/.cache/obs-stack}/<key>/bin,
// where <key> hashes every pin (versions.json, the builder manifest, the tools modules), so a pin change rebuilds.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { binDir, cacheRoot, here, readVersions } from './paths.mjs';

const versions = readVersions();
const bin = binDir();
const work = path.join(cacheRoot(), 'work');
const args = new Set(process.argv.slice(2));
if (args.has('--print-bin')) {
  process.stdout.write(`${bin}\n`);
  process.exit(0);
}

// -trimpath and stripped symbols: smaller binaries and faster links on a 2-core machine.
const LDFLAGS = '-s -w';
// go.sum in each tools module is the pin; never let a build rewrite it.
const goEnv = { ...process.env, GOFLAGS: '-mod=readonly' };

function run(cmd, argv, cwd, env = goEnv) {
  const r = spawnSync(cmd, argv, { cwd, env, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} (in ${cwd}) failed with ${r.status ?? r.signal}`);
}

/** otelcol-contrib: the Collector Builder generates main.go/components.go; our committed go.mod/go.sum pin the graph. */
function buildOtelcol() {
  const tools = path.join(cacheRoot(), 'tools', versions.otelcol.module);
  const builder = path.join(tools, 'builder');
  if (!existsSync(builder)) {
    run('go', ['install', `go.opentelemetry.io/collector/cmd/builder@${versions.otelcol.module}`], here, { ...process.env, GOBIN: tools });
  }
  const src = path.join(work, 'otelcol');
  rmSync(src, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  const manifest = readFileSync(path.join(here, 'otelcol-builder.yaml'), 'utf8').replace(/output_path: .*/, `output_path: ${src}`);
  writeFileSync(path.join(work, 'otelcol-builder.yaml'), manifest);
  // The builder's own module resolution asks for versions the proxy does not serve (see the manifest's
  // replaces); so it only generates code, and the committed module pins what is compiled.
  run(builder, ['--config', path.join(work, 'otelcol-builder.yaml'), '--skip-get-modules', '--skip-compilation'], here, process.env);
  for (const f of ['go.mod', 'go.sum']) copyFileSync(path.join(here, 'tools/otelcol', f), path.join(src, f));
  run('go', ['build', '-trimpath', `-ldflags=${LDFLAGS}`, '-o', path.join(bin, 'otelcol-contrib'), '.'], src);
}

/** A tools module of ours (stack/tools/<dir>) that requires the upstream module and repeats its replace directives. */
function buildTool(dir, pkgs, ldflags = '', tags = '') {
  run('go', ['build', '-trimpath', `-ldflags=${LDFLAGS} ${ldflags}`.trim(), ...(tags ? [`-tags=${tags}`] : []), '-o', `${bin}/`, ...pkgs], path.join(here, 'tools', dir));
}

/** chmod -R u+w: the module cache is read-only, our patched copy must not be. */
function makeWritable(dir) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    chmodSync(p, st.mode | 0o200);
    if (st.isDirectory()) makeWritable(p);
  }
}

/**
 * Alertmanager's ui package embeds ui/app/dist (its built web UI), which the module zip on the proxy does not
 * contain, so `go build` of the module as served fails. We build from a copy of the served module with an
 * empty UI (the API, which the stack uses, is unaffected), through a replace in a copy of our tools module.
 */
function buildAlertmanager(ldflags) {
  const r = spawnSync('go', ['mod', 'download', '-json', `github.com/prometheus/alertmanager@${versions.alertmanager.module}`], { cwd: path.join(here, 'tools/alertmanager'), env: goEnv, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`go mod download alertmanager failed: ${r.stderr}`);
  const dir = JSON.parse(r.stdout).Dir;
  const src = path.join(work, 'alertmanager-src');
  const mod = path.join(work, 'alertmanager-tools');
  rmSync(src, { recursive: true, force: true });
  rmSync(mod, { recursive: true, force: true });
  cpSync(dir, src, { recursive: true });
  makeWritable(src);
  for (const ui of ['elm', 'mantine']) {
    mkdirSync(path.join(src, 'ui/app/dist', ui), { recursive: true });
    writeFileSync(path.join(src, 'ui/app/dist', ui, 'index.html'), '<!doctype html><p>Alertmanager UI not built (obs native stack); the API is at /api/v2.</p>\n');
  }
  mkdirSync(mod, { recursive: true });
  for (const f of ['go.mod', 'go.sum']) copyFileSync(path.join(here, 'tools/alertmanager', f), path.join(mod, f));
  run('go', ['mod', 'edit', `-replace=github.com/prometheus/alertmanager=${src}`], mod);
  run('go', ['build', '-trimpath', `-ldflags=${LDFLAGS} ${ldflags}`, '-o', `${bin}/`, 'github.com/prometheus/alertmanager/cmd/alertmanager', 'github.com/prometheus/alertmanager/cmd/amtool'], mod);
}

// Prometheus and Alertmanager print this in --version and their build_info metric (a plain go build leaves it empty).
const promVersion = (v) => `-X github.com/prometheus/common/version.Version=${v} -X github.com/prometheus/common/version.Branch=module`;

// Longest first: otelcol takes most of a cold build. Prometheus is built with remove_all_sd,enable_dns_sd (the
// stack uses static_configs and scale/prometheus.yml dns_sd_configs; the cloud discoveries are most of its compile time).
const steps = [
  { name: 'otelcol-contrib', outputs: ['otelcol-contrib'], build: buildOtelcol },
  { name: 'prometheus', outputs: ['prometheus', 'promtool'], build: () => buildTool('prometheus', ['github.com/prometheus/prometheus/cmd/prometheus', 'github.com/prometheus/prometheus/cmd/promtool'], promVersion(versions.prometheus.version), versions.prometheus.tags) },
  { name: 'jaeger', outputs: ['jaeger'], build: () => buildTool('jaeger', ['github.com/jaegertracing/jaeger/cmd/jaeger']) },
  { name: 'alertmanager', outputs: ['alertmanager', 'amtool'], build: () => buildAlertmanager(promVersion(versions.alertmanager.version)) },
  { name: 'victoria-logs', outputs: ['victoria-logs'], build: () => buildTool('victorialogs', ['github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs']) },
];

mkdirSync(bin, { recursive: true });
const timings = {};
const started = Date.now();
// --only a,b: build just those steps (to retry one); build.json is then not written.
const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : undefined;
for (const step of steps) {
  if (only && !only.has(step.name)) continue;
  const have = step.outputs.every((o) => existsSync(path.join(bin, o)));
  if (have && !args.has('--force')) {
    console.log(`stack build: ${step.name} cached in ${bin}`);
    continue;
  }
  const t0 = Date.now();
  console.log(`stack build: building ${step.name} ...`);
  step.build();
  timings[step.name] = Math.round((Date.now() - t0) / 1000);
  console.log(`stack build: ${step.name} built in ${timings[step.name]} s`);
}
const total = Math.round((Date.now() - started) / 1000);
if (only) {
  console.log(`stack build: ${[...only].join(', ')} done in ${total} s`);
  process.exit(0);
}
// Written last and atomically: its presence says the whole set is complete.
const stamp = path.join(bin, 'build.json');
writeFileSync(`${stamp}.tmp`, JSON.stringify({ versions, timings, totalSeconds: total, at: new Date().toISOString() }, null, 2));
renameSync(`${stamp}.tmp`, stamp);
console.log(`stack build: done in ${total} s, binaries in ${bin}`);
