// obs doctor says what is true: the effective service.name when OTEL_SERVICE_NAME is unset, no
// `"type": "commonjs"` when package.json has no "type", and a usage error for a --cwd that does not exist.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { configFindings, effectiveConfig, runtimeFindings } from '../src/cli/doctor/checks-static.js';
import type { ProjectFacts } from '../src/cli/doctor/project.js';
import { repoRoot } from './support/fixtures-dir.js';
import { runFixtureToExit } from './support/spawn.js';

const obs = path.join(repoRoot, 'dist', 'src', 'cli', 'obs.js');

test('doctor: without OTEL_SERVICE_NAME the warning names the service.name the preload will use', () => {
  const text = (env: NodeJS.ProcessEnv, pkg?: string) => {
    const { config, warnings } = effectiveConfig(env);
    return configFindings(env, config, warnings, pkg).find((f) => f.id === 'config.service')?.text;
  };
  assert.equal(text({}, 'shop-api'), 'OTEL_SERVICE_NAME is not set: service.name will be "shop-api"');
  assert.equal(text({}), 'OTEL_SERVICE_NAME is not set: service.name will be "unknown_service:node"');
  assert.equal(text({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs' }, 'shop-api'), 'OTEL_SERVICE_NAME is not set: service.name will be "from-attrs"');
  assert.equal(text({ OTEL_SERVICE_NAME: 'named' }), 'service.name = named');
});

test('doctor: a package.json without "type" is called CommonJS by default, not "type": "commonjs"', () => {
  const facts = (type?: string) => ({ dir: '/x', packageJson: type === undefined ? {} : { type }, entry: 'server.js', moduleSystem: type === 'module' ? 'esm' : 'cjs' }) as unknown as ProjectFacts;
  const modules = (type?: string) => runtimeFindings('v24.0.0', facts(type)).find((f) => f.id === 'runtime.modules')?.text;
  assert.equal(modules(), 'module system: CommonJS (package.json has no "type": CommonJS by default), entry server.js');
  assert.equal(modules('module'), 'module system: ESM (package.json "type": "module"), entry server.js');
});

test('doctor: a --cwd that does not exist is a usage error (exit 2) naming the folder', async () => {
  const res = await runFixtureToExit(obs, { preload: false, args: ['doctor', '--cwd', '/no/such/folder'], timeoutMs: 15_000 });
  assert.equal(res.code, 2);
  assert.match(res.stderr, /--cwd: no such folder: \/no\/such\/folder/);
});

test('doctor -- node app: a bad sampler value is one warning, not one from the environment and one from the run', async () => {
  const dir = path.join(repoRoot, 'test', 'fixtures', 'cli-doctor', 'esm-app');
  const res = await runFixtureToExit(obs, {
    preload: false,
    cwd: dir,
    args: ['doctor', '--no-color', '--', process.execPath, 'server.mjs'],
    env: { OTEL_TRACES_SAMPLER: 'bogus' },
    timeoutMs: 60_000,
  });
  const lines = res.stdout.split('\n').filter((l) => l.includes('OTEL_TRACES_SAMPLER="bogus" is not one of'));
  assert.equal(lines.length, 1, res.stdout);
});
