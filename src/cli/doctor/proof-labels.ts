// Words the proof findings share: short instrumentation names, the exporters a report shows, and the
// fix for a command that overrides the doctor's exporter settings.
import type { DoctorReport } from './report.js';

export const OVERRIDDEN = 'set OTEL_* variables in the environment of obs doctor, not inside the command (an npm script, an env wrapper)';

/** `@opentelemetry/instrumentation-pg` → `pg`; an app's own tracer name stays as it is. */
export function scopeLabel(scope: string): string {
  return scope.replace(/^@opentelemetry\/instrumentation-/, '') || 'no scope name';
}

export function describeExporters(report: DoctorReport, signal: string): string {
  const list = report.exporters.filter((e) => e.signal === signal).map((e) => e.endpoint ?? e.exporter);
  return list.length > 0 ? list.join(', ') : 'none';
}
