// Every shipped config file checked by the real binaries of the pinned versions (`npm run test:stack`):
// otelcol validate (single machine and scale/), promtool 3 (config, rules, rule unit tests), amtool, jaeger.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { collectorDir, filesIn, ruleTestsDir, rulesDir } from './support/collector-files.js';
import { repoRoot } from './support/fixtures-dir.js';
import { stackBin } from './support/stack-run.js';

const bin = stackBin();
const tool = (name: string): string => path.join(bin, name);
const scratch = mkdtempSync(path.join(tmpdir(), 'obs-stack-configs-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): { code: number | null; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

/** The native copy of an otelcol config (stack/configs.mjs: components this build lacks are dropped). */
function nativeCopy(rel: string): { file: string; dropped: string[] } {
  const r = run(process.execPath, ['--input-type=module', '-e', `
    const m = await import(${JSON.stringify(path.join(repoRoot, 'stack/configs.mjs'))});
    const c = m.builtComponents(${JSON.stringify(tool('otelcol-contrib'))});
    console.log(JSON.stringify(m.writeOtelcolConfig(${JSON.stringify(scratch)}, ${JSON.stringify(path.join(collectorDir, rel))}, c, ${JSON.stringify(rel.replace('/', '-'))})));
  `]);
  assert.equal(r.code, 0, r.out);
  return JSON.parse(r.out) as { file: string; dropped: string[] };
}

/** Only what the Go module proxy cannot serve may be dropped (stack/otelcol-builder.yaml says why). */
const MAY_DROP = new Set(['receivers/tlscheck', 'processors/resource_detection']);

for (const rel of ['otelcol.yaml', 'scale/agent.yaml', 'scale/gateway.yaml']) {
  test(`otelcol-contrib validates collector/${rel}`, (t) => {
    const copy = nativeCopy(rel);
    for (const d of copy.dropped) {
      assert.ok(MAY_DROP.has(d), `${d} is used by ${rel} but missing from stack/otelcol-builder.yaml`);
      t.diagnostic(`${rel}: ${d} not in the native build (not served by the Go module proxy)`);
    }
    const extra = rel === 'otelcol.yaml' ? ['--config', path.join(collectorDir, 'otelcol.overrides.yaml')] : [];
    const r = run(tool('otelcol-contrib'), ['validate', '--config', copy.file, ...extra], { POSTGRES_MONITOR_PASSWORD: 'validate-only' });
    assert.equal(r.code, 0, r.out);
  });
}

test('the builder manifest lists exactly the component types the shipped configs use', () => {
  const manifest = readFileSync(path.join(repoRoot, 'stack/otelcol-builder.yaml'), 'utf8');
  const r = run(tool('otelcol-contrib'), ['components']);
  const built = parseYaml(r.out) as Record<string, Array<{ name: string }>>;
  const used = new Set<string>();
  for (const rel of ['otelcol.yaml', 'scale/agent.yaml', 'scale/gateway.yaml']) {
    const doc = parseYaml(readFileSync(path.join(collectorDir, rel), 'utf8')) as Record<string, Record<string, unknown> | undefined>;
    for (const kind of ['receivers', 'processors', 'exporters', 'extensions', 'connectors']) {
      for (const id of Object.keys(doc[kind] ?? {})) used.add(`${kind}/${id.split('/')[0]}`);
    }
  }
  const have = new Set<string>();
  // The native httpcheck module predates the http_check rename (stack/configs.mjs maps the name).
  const current: Record<string, string> = { httpcheck: 'http_check' };
  for (const kind of ['receivers', 'processors', 'exporters', 'extensions', 'connectors']) for (const c of built[kind] ?? []) have.add(`${kind}/${current[c.name] ?? c.name}`);
  assert.deepEqual([...have].filter((c) => !used.has(c)).sort(), [], 'built but unused (the manifest lists more than the configs use)');
  assert.deepEqual([...used].filter((c) => !have.has(c) && !MAY_DROP.has(c)).sort(), [], 'used but not built');
  assert.match(manifest, /dist:/);
});

test('promtool 3 checks prometheus.yml (native copy) and the rules, and runs the rule unit tests', () => {
  const r = run(process.execPath, ['--input-type=module', '-e', `
    const m = await import(${JSON.stringify(path.join(repoRoot, 'stack/configs.mjs'))});
    console.log(m.writePrometheusConfig(${JSON.stringify(scratch)}));
  `]);
  assert.equal(r.code, 0, r.out);
  const config = run(tool('promtool'), ['check', 'config', r.out.trim()]);
  assert.equal(config.code, 0, config.out);
  const rules = run(tool('promtool'), ['check', 'rules', ...filesIn(rulesDir, '.yml')]);
  assert.equal(rules.code, 0, rules.out);
  // Rule unit tests name their rule files relative to themselves.
  const unit = run(tool('promtool'), ['test', 'rules', ...filesIn(ruleTestsDir, '.test.yml')]);
  assert.equal(unit.code, 0, unit.out);
});

test('promtool 3 checks scale/prometheus.yml', () => {
  const text = readFileSync(path.join(collectorDir, 'scale/prometheus.yml'), 'utf8').replaceAll('/etc/prometheus/rules/', `${rulesDir}/`);
  const file = path.join(scratch, 'scale-prometheus.yml');
  writeFileSync(file, text);
  const r = run(tool('promtool'), ['check', 'config', '--syntax-only', file]);
  assert.equal(r.code, 0, r.out);
});

test('amtool checks alertmanager.yml (native copy, secrets mapped)', () => {
  const r = run(process.execPath, ['--input-type=module', '-e', `
    const m = await import(${JSON.stringify(path.join(repoRoot, 'stack/configs.mjs'))});
    console.log(m.writeAlertmanagerConfig(${JSON.stringify(scratch)}, {}));
  `]);
  assert.equal(r.code, 0, r.out);
  const check = run(tool('amtool'), ['check-config', r.out.trim()]);
  assert.equal(check.code, 0, check.out);
});

test('jaeger validates collector/jaeger/jaeger.yaml and scale/jaeger.yaml', () => {
  const single = run(tool('jaeger'), ['validate', '--config', path.join(collectorDir, 'jaeger/jaeger.yaml')]);
  assert.equal(single.code, 0, single.out);
  const scale = run(tool('jaeger'), ['validate', '--config', path.join(collectorDir, 'scale/jaeger.yaml')], { OPENSEARCH_URL: 'http://127.0.0.1:9200' });
  assert.equal(scale.code, 0, scale.out);
});

test('docker-compose.yml pins the versions stack/versions.json pins (the versions built here)', () => {
  const versions = JSON.parse(readFileSync(path.join(repoRoot, 'stack/versions.json'), 'utf8')) as Record<string, { image?: string; tag?: string; version?: string }>;
  const compose = parseYaml(readFileSync(path.join(collectorDir, 'docker-compose.yml'), 'utf8')) as { services: Record<string, { image: string }> };
  const images = Object.values(compose.services).map((s) => s.image);
  for (const [name, v] of Object.entries(versions)) {
    if (!v.image) continue;
    const want = `${v.image}:${v.tag ?? v.version}`;
    assert.ok(images.includes(want), `${name}: docker-compose.yml should use ${want}; it has ${images.join(', ')}`);
  }
  const built = JSON.parse(readFileSync(path.join(bin, 'build.json'), 'utf8')) as { versions: unknown };
  assert.deepEqual(built.versions, versions, 'the cached binaries were built from other pins');
});
