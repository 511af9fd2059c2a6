// One line of the doctor's verdict: ok / warn / fail, what was seen, and (for problems) the one-line fix.
export type Level = 'ok' | 'info' | 'warn' | 'fail';

export interface Finding {
  readonly section: Section;
  readonly level: Level;
  readonly text: string;
  readonly fix?: string;
  /** Stable id for tests and --json consumers, e.g. "collector.traces", "module.pg". */
  readonly id: string;
}

export type Section = 'runtime' | 'preload' | 'config' | 'instrumentations' | 'proof' | 'api' | 'exporters' | 'ports';

export const SECTION_TITLES: Record<Section, string> = {
  runtime: 'Runtime',
  preload: 'Preload',
  config: 'Configuration',
  instrumentations: 'Instrumented modules',
  proof: 'Proof: one request through the app',
  api: "The app's @opentelemetry/api",
  exporters: 'Exporters',
  ports: 'Ports',
};

export function problems(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.level === 'fail');
}
