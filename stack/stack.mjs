#!/usr/bin/env node
// `npm run stack -- up | down | status [--json] | test-alert [--severity S]`: the bundled stack run natively,
// from the binaries stack/build.mjs caches, with the users' config files (see stack/configs.mjs for the mapping).
import { parseArgs } from 'node:util';
import { binDir, binariesReady, stateDir } from './paths.mjs';
import { defineServices } from './services.mjs';
import { healthy, isOurs, readPids, startService, stopService, waitHealthy } from './supervise.mjs';
import { testAlert } from './test-alert.mjs';

const HELP = `Usage: npm run stack -- <command> [options]
  up           start otelcol, Prometheus, Alertmanager, Jaeger and the logs store (VictoriaLogs) natively
  down         stop them
  status       show what runs and where it listens
  test-alert   push a test alert through the real Alertmanager route; report which receivers got it
Options: --json (machine-readable output), --interval 15s (Prometheus scrape/evaluation interval for up),
         --severity critical|warning (test-alert; default critical)
Binaries: node stack/build.mjs (cache ${binDir()}). State, logs, data: ${stateDir()} (OBS_STACK_STATE).`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    interval: { type: 'string' },
    severity: { type: 'string', default: 'critical' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
const command = positionals[0];
const state = stateDir();
const bin = binDir();
const print = (human, json) => process.stdout.write(values.json ? `${JSON.stringify(json, null, 2)}\n` : `${human}\n`);

async function status() {
  const pids = readPids(state);
  const services = defineServices({ bin, state });
  const rows = [];
  for (const svc of services) {
    const entry = pids[svc.name];
    rows.push({ name: svc.name, pid: isOurs(entry) ? entry.pid : null, running: isOurs(entry), healthy: await healthy(svc.health), endpoints: svc.endpoints, log: entry?.logFile ?? null });
  }
  return rows;
}

function describe(rows) {
  return rows.map((r) => `${r.name.padEnd(13)} ${r.running ? `pid ${r.pid}` : 'stopped'}${r.healthy ? ', healthy' : ''}\n${Object.entries(r.endpoints).map(([k, v]) => `  ${k.padEnd(9)} ${v}`).join('\n')}`).join('\n');
}

async function up() {
  if (!binariesReady()) {
    console.error(`stack: no binaries in ${bin}; run "node stack/build.mjs" first (a cold build takes a while)`);
    process.exit(1);
  }
  const pids = readPids(state);
  const services = defineServices({ bin, state, interval: values.interval });
  const notes = [];
  for (const svc of services) {
    if (isOurs(pids[svc.name])) continue;
    if (await healthy(svc.health)) throw new Error(`${svc.name}: something else already answers ${svc.health}; stop it first`);
    const entry = startService(svc, { bin, state });
    await waitHealthy(svc, entry);
    if (svc.dropped?.length) notes.push(`${svc.name}: the native copy of otelcol.yaml, adapted to this build: ${svc.dropped.join('; ')}`);
  }
  const rows = await status();
  print(`${describe(rows)}${notes.length ? `\n${notes.join('\n')}` : ''}\nstate: ${state}`, { state, services: rows, notes });
}

async function down() {
  // Reverse order: the collector first, so it does not log export failures for backends stopping under it.
  const services = defineServices({ bin, state }).reverse();
  for (const svc of services) await stopService(state, svc.name);
  print('stack: stopped', { stopped: services.map((s) => s.name) });
}

if (values.help || !command) {
  console.log(HELP);
  process.exit(command || values.help ? 0 : 1);
}
try {
  if (command === 'up') await up();
  else if (command === 'down') await down();
  else if (command === 'status') {
    const rows = await status();
    print(describe(rows), { state, services: rows });
  } else if (command === 'test-alert') {
    const report = await testAlert({ severity: values.severity });
    print(report.text, report);
    if (!report.ok) process.exitCode = 1;
  } else {
    console.error(`stack: unknown command ${command}\n${HELP}`);
    process.exitCode = 1;
  }
} catch (err) {
  console.error(`stack: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
