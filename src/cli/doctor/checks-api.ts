// Findings about the app's own @opentelemetry/api copies, from the preload's probe at report time: each
// copy's path and version, and whether it hands the app our tracer, meter, logger provider and context.
// A blind copy makes the app's own spans, metrics and logs silent no-ops, so it fails the check.
import type { Finding } from './finding.js';
import type { DoctorReport } from './report.js';

const NAMES: Readonly<Record<string, string>> = { trace: 'tracer', metrics: 'meter', logs: 'logger provider', context: 'context' };

export function apiFindings(report: DoctorReport): Finding[] {
  const api = report.api;
  // No probe when the preload did not start: the preload findings already say why.
  if (!report.active || !api) return [];
  const section = 'api';
  const out: Finding[] = [{ id: 'api.registrar', section, level: 'info', text: `our globals are registered through @opentelemetry/api ${api.registrar.version} (${api.registrar.dir})` }];
  if (api.app.length === 0) {
    out.push({ id: 'api.app', section, level: 'info', text: 'the app resolves no @opentelemetry/api of its own: nothing more to check' });
    return out;
  }
  for (const view of api.app) {
    const entries = Object.entries(view.sees).filter(([, v]) => v !== undefined);
    const blind = entries.filter(([, v]) => v === false).map(([k]) => NAMES[k] ?? k);
    const seen = entries.filter(([, v]) => v === true).map(([k]) => NAMES[k] ?? k);
    const where = `@opentelemetry/api ${view.version} (${view.dir})`;
    if (blind.length === 0) {
      out.push({ id: 'api.app', section, level: 'ok', text: `${where} sees our ${seen.join(', ')}` });
      continue;
    }
    // A prerelease only accepts globals of its very own version; an older minor refuses a newer registrar.
    const why = /-/.test(view.version) ? ' (a prerelease accepts only globals of its exact version)' : '';
    out.push({
      id: 'api.app', section, level: 'fail',
      text: `${where} is blind to our ${blind.join(', ')}${why}: the app's own spans, metrics and logs through it are no-ops`,
      fix: `install a 1.x release the SDK accepts, one copy for the app: npm install @opentelemetry/api@^${api.registrar.version}`,
    });
  }
  return out;
}
