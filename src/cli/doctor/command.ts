// `obs doctor [--json] [--no-color] [--wait 5s] [-- <command...>]`: explains whether telemetry will
// work for the service in the current folder, and exits non-zero when something will not.
import { statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { paint, wantColor } from '../util/color.js';
import { parseDuration } from '../util/duration.js';
import { UsageError } from '../util/usage-error.js';
import { exporterFindings, targetsFromConfig, targetsFromReport } from './checks-exporters.js';
import { runFindings } from './checks-run.js';
import { configFindings, effectiveConfig, moduleFindings, portFindings, preloadInstallFindings, runtimeFindings } from './checks-static.js';
import { problems, type Finding } from './finding.js';
import { inspectProject } from './project.js';
import { renderFindings } from './render.js';
import { runApp } from './run-app.js';

export const DOCTOR_HELP = `Usage: obs doctor [options] [-- <command to start your service>]

Checks whether @org/obs will produce and deliver telemetry for the service in
the current folder, and prints one fix per problem. Exit code 1 when something
will not work, 0 otherwise.

  obs doctor                     static check: package.json, node_modules, env
  obs doctor -- node server.js   also starts the service with the preload for a
                                 few seconds and reads the preload's own report
                                 (active? ESM hook? modules patched or loaded
                                 too early?), then stops it

Options:
  --cwd DIR        folder of the service (default: current folder)
  --wait DURATION  how long the started service may take to report (default 10s)
  --settle DURATION  extra time after the first report (default 1s)
  --json           print findings as JSON
  --no-color       plain output (also when stdout is not a terminal)
  -h, --help       this help

Checks: Node version and module system; @org/obs installed and loaded; effective
OTEL_*/OBS_* configuration (secrets masked); each instrumented library's
installed version against the supported range; each exporter endpoint and
protocol, probed with a real (empty) OTLP export; the Prometheus port is free.
`;

function ownRegisterUrl(): string {
  // dist/src/cli/doctor/command.js → dist/register.js
  return pathToFileURL(path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../register.js')).href;
}

export async function doctorCommand(argv: string[]): Promise<number> {
  const dash = argv.indexOf('--');
  const command = dash >= 0 ? argv.slice(dash + 1) : [];
  const { values } = parseArgs({
    args: dash >= 0 ? argv.slice(0, dash) : argv,
    options: {
      cwd: { type: 'string' },
      wait: { type: 'string', default: '10s' },
      settle: { type: 'string', default: '1s' },
      json: { type: 'boolean', default: false },
      'no-color': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(DOCTOR_HELP);
    return 0;
  }
  if (dash >= 0 && command.length === 0) throw new UsageError('nothing after --: give the command that starts your service, e.g. -- node server.js');
  const cwd = path.resolve(values.cwd ?? process.cwd());
  // Checking a folder that is not there would report a project with nothing in it.
  if (!statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--cwd: no such folder: ${cwd}`);
  const env = process.env;
  const facts = inspectProject(cwd);
  const { config, warnings } = effectiveConfig(env);

  const findings: Finding[] = [];
  findings.push(...runtimeFindings(process.version, facts));
  findings.push(...preloadInstallFindings(facts, env));
  findings.push(...configFindings(env, config, warnings, facts.packageJson?.name));
  // Before the app starts: once running, the app itself would hold the port.
  const ports = await portFindings(config);
  let targets = targetsFromConfig(config);

  if (command.length > 0) {
    const run = await runApp({
      command,
      cwd,
      env,
      importSpecifier: facts.obsResolved ? '@org/obs/register' : ownRegisterUrl(),
      waitMs: parseDuration(values.wait),
      settleMs: parseDuration(values.settle),
    });
    const fromRun = runFindings(run, facts);
    // What the real start showed replaces the static guesses about the same things.
    const replaced = new Set<string>();
    if (fromRun.some((f) => f.id === 'runtime.entry')) replaced.add('runtime.modules');
    if (run.report?.active) replaced.add('preload.wired');
    for (let i = findings.length - 1; i >= 0; i--) if (replaced.has(findings[i]!.id)) findings.splice(i, 1);
    // The app's report repeats the configuration warnings already listed from the same environment.
    const configWarnings = new Set(warnings);
    findings.push(...fromRun.filter((f) => !(f.id === 'preload.warning' && configWarnings.has(f.text))));
    // Static module facts still tell about libraries the app has not loaded during the check.
    const seen = new Set(fromRun.map((f) => f.id));
    findings.push(...moduleFindings(facts).filter((f) => !seen.has(f.id)));
    if (run.report && run.report.exporters.length > 0) targets = targetsFromReport(run.report);
  } else {
    findings.push(...moduleFindings(facts));
  }
  findings.push(...(await exporterFindings(targets, env, config)));
  findings.push(...ports);

  if (values.json) {
    process.stdout.write(JSON.stringify({ dir: cwd, ok: problems(findings).length === 0, findings }, null, 2) + '\n');
  } else {
    const p = paint(wantColor(process.stdout, values['no-color']));
    const width = Math.max(60, Math.min(process.stdout.columns ?? 80, 100));
    process.stdout.write(renderFindings(findings, p, width, `obs doctor — ${cwd}${command.length ? `  (ran: ${command.join(' ')})` : ''}`));
  }
  return problems(findings).length > 0 ? 1 : 0;
}
