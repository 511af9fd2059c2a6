// Findings from a real start (`obs doctor -- node server.js`): the preload's own report of what it did.
import type { Finding } from './finding.js';
import type { AppRun } from './run-app.js';
import type { ProjectFacts } from './project.js';

const FIRST = 'load @org/obs/register first: put --import @org/obs/register before any --require/--import that loads';

export function runFindings(run: AppRun, facts: ProjectFacts): Finding[] {
  const out: Finding[] = [];
  const report = run.report;
  if (run.spawnError) {
    return [{ id: 'preload.run', section: 'preload', level: 'fail', text: `could not start the command: ${run.spawnError}`, fix: 'check the command after --' }];
  }
  if (!report) {
    const why = run.exitedEarly ? `the app exited (code ${run.exitCode}) before the preload reported` : 'the preload never reported';
    out.push({ id: 'preload.active', section: 'preload', level: 'fail', text: `${why}; output:\n${run.output || '(none)'}`, fix: 'make sure the command runs node (not a shell script that drops NODE_OPTIONS) and fix any error above' });
    return out;
  }
  out.push(report.active
    ? { id: 'preload.active', section: 'preload', level: 'ok', text: `preload active (@org/obs ${report.obsVersion}, Node ${report.node})` }
    : { id: 'preload.active', section: 'preload', level: 'fail', text: `preload inactive: ${report.disabledReason ?? 'no reason given'}`, fix: 'see the reason above; OTEL_SDK_DISABLED, a worker thread or an old Node disable it' });
  const esm = (report.entry?.moduleSystem ?? facts.moduleSystem) === 'esm';
  if (report.esmHook === 'registered') {
    out.push({ id: 'preload.esm', section: 'preload', level: 'ok', text: 'ESM hook registered' });
  } else {
    out.push({
      id: 'preload.esm', section: 'preload', level: esm ? 'fail' : 'info',
      text: `ESM hook ${report.esmHook}${esm ? ': ESM imports of instrumented modules are not patched' : ' (fine for a CommonJS app)'}`,
      fix: esm ? 'start with --import @org/obs/register (not --require) on Node >= 22.15' : undefined,
    });
  }
  if (report.entry) {
    out.push({ id: 'runtime.entry', section: 'runtime', level: 'info', text: `entry ${report.entry.path} runs as ${report.entry.moduleSystem === 'esm' ? 'ESM' : 'CommonJS'}` });
  }
  // Modules loaded too early get their own finding below; their warning would say it twice.
  const early = report.instrumentations.filter((i) => i.loadedBeforePreload).flatMap((i) => i.modules);
  for (const w of report.warnings) {
    if (early.some((m) => w.includes(`${m} was loaded before`) || w.startsWith(`${m}/`))) continue;
    // A blind API copy is a finding of its own (checks-api.ts), with its fix.
    if (report.api && w.startsWith("the app's @opentelemetry/api")) continue;
    out.push({ id: 'preload.warning', section: 'preload', level: 'warn', text: w });
  }
  if (run.exitedEarly) {
    out.push({ id: 'preload.exited', section: 'preload', level: 'warn', text: `the app exited by itself (code ${run.exitCode}) during the check; last output:\n${run.output || '(none)'}` });
  }
  for (const inst of report.instrumentations) {
    const modules = inst.modules.length > 0 ? inst.modules.join(', ') : inst.name;
    const version = inst.installedVersion ? ` ${inst.installedVersion}` : '';
    const id = `module.${inst.modules[0] ?? inst.name}`;
    if (inst.loadedBeforePreload) {
      out.push({ id, section: 'instrumentations', level: 'fail', text: `${modules}${version} was loaded before the preload: not patched`, fix: `${FIRST} ${inst.modules[0] ?? inst.name}` });
    } else if (inst.supported === false) {
      out.push({ id, section: 'instrumentations', level: 'fail', text: `${modules}${version} is not supported by ${inst.package}: not patched`, fix: `install a supported version (see docs/compatibility.md)` });
    } else if (!inst.enabled) {
      if (inst.installedVersion) out.push({ id, section: 'instrumentations', level: 'info', text: `${modules}${version} present, instrumentation ${inst.name} disabled by configuration` });
    } else if (inst.patched) {
      out.push({ id, section: 'instrumentations', level: 'ok', text: `${modules}${version} patched` });
    } else if (inst.installedVersion) {
      out.push({ id, section: 'instrumentations', level: 'info', text: `${modules}${version} not loaded yet (patched when the app imports it)` });
    }
  }
  return out;
}
