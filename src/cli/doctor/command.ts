// `obs doctor [--json] [--no-color] [--wait 5s] [-- <command...>]`: explains whether telemetry will
// work for the service in the current folder, and exits non-zero when something will not.
import { statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { paint, wantColor } from '../util/color.js';
import { parseDuration } from '../util/duration.js';
import { UsageError } from '../util/usage-error.js';
import { OtlpReceiver } from '../receiver/index.js';
import { apiFindings } from './checks-api.js';
import { exporterFindings, targetsFromConfig, targetsFromReport, type ExporterTarget } from './checks-exporters.js';
import { proofFindings } from './checks-proof.js';
import { runFindings } from './checks-run.js';
import { configFindings, effectiveConfig, moduleFindings, portFindings, preloadInstallFindings, runtimeFindings } from './checks-static.js';
import { problems, type Finding } from './finding.js';
import { inspectProject } from './project.js';
import { renderFindings } from './render.js';
import { proofEndpointTest, proofEnv } from './proof-env.js';
import { collectProof, type ProofEvidence } from './proof-run.js';
import { parseProofUrl } from './proof-target.js';
import { runApp, type AppRun } from './run-app.js';

export const DOCTOR_HELP = `Usage: obs doctor [options] [-- <command to start your service>]

Checks whether @org/obs will produce and deliver telemetry for the service in
the current folder, and prints one fix per problem. Exit code 1 when something
will not work, 0 otherwise.

  obs doctor                     static check: package.json, node_modules, env
  obs doctor -- node server.js   also starts the service with the preload, reads
                                 the preload's own report (active? ESM hook?
                                 modules patched or loaded too early?), sends one
                                 request through it and checks the telemetry
                                 that arrives (server span, child span, route,
                                 log record with the trace id, the app's own
                                 @opentelemetry/api copies), then stops it

Options:
  --cwd DIR        folder of the service (default: current folder)
  --wait DURATION  how long the started service may take to report and to
                   listen (default 10s)
  --settle DURATION  extra time before the service is stopped (default 1s)
  --url URL        where the proof request goes (default: the first port the
                   app listens on, path /)
  --no-request     start the service but send no request (no HTTP server)
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

/**
 * The exporters to probe after a proof run: the report's, except that signals the doctor pointed at its
 * own receiver fall back to what the user's environment configures.
 */
function userTargets(fromReport: ExporterTarget[], fromConfig: ExporterTarget[], isOurs: (endpoint?: string) => boolean): ExporterTarget[] {
  const redirected = new Set(fromReport.filter((t) => isOurs(t.endpoint)).map((t) => t.signal));
  const order = ['traces', 'metrics', 'logs'];
  return [...fromReport.filter((t) => !redirected.has(t.signal)), ...fromConfig.filter((t) => redirected.has(t.signal))]
    .sort((a, b) => order.indexOf(a.signal) - order.indexOf(b.signal));
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
      url: { type: 'string' },
      'no-request': { type: 'boolean', default: false },
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
  const proofUrl = values.url === undefined ? undefined : parseProofUrl(values.url);
  if (values.url !== undefined && !proofUrl) throw new UsageError(`--url ${values.url}: give an http:// or https:// URL, e.g. --url http://127.0.0.1:3000/orders`);
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
    const waitMs = parseDuration(values.wait);
    const prove = !values['no-request'];
    // The proof run's telemetry comes here; the user's own endpoints are probed below all the same.
    const receiver = prove ? await new OtlpReceiver().start() : undefined;
    const isProofEndpoint = receiver ? proofEndpointTest(receiver) : () => false;
    let evidence: ProofEvidence | undefined;
    let run: AppRun;
    try {
      run = await runApp({
        command,
        cwd,
        env: receiver ? { ...env, ...proofEnv(receiver, config) } : env,
        importSpecifier: facts.obsResolved ? '@org/obs/register' : ownRegisterUrl(),
        waitMs,
        settleMs: parseDuration(values.settle),
        during: receiver ? async (app) => {
          evidence = await collectProof(app, receiver, { url: proofUrl?.href, waitMs });
        } : undefined,
      });
    } finally {
      await receiver?.stop();
    }
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
    if (run.report?.active) {
      findings.push(...apiFindings(run.report));
      // A command that sets its own OTEL_* variables (an npm script, an env wrapper) wins over ours.
      const reaching = new Set(run.report.exporters.filter((e) => isProofEndpoint(e.endpoint)).map((e) => e.signal));
      if (evidence) findings.push(...proofFindings(evidence, run.report, reaching));
      else if (prove) findings.push({ id: 'proof.request', section: 'proof', level: 'fail', text: 'no proof request was sent: the app exited, or did not report within --wait', fix: 'fix the error shown above, or raise --wait' });
      else findings.push({ id: 'proof.request', section: 'proof', level: 'info', text: 'no request sent (--no-request): spans, routes and log correlation are not proven' });
    }
    if (run.report && run.report.exporters.length > 0) {
      targets = userTargets(targetsFromReport(run.report), targets, isProofEndpoint);
    }
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
