// The OTLP → Prometheus name translation of Prometheus's OTLP receiver (UnderscoreEscapingWithSuffixes), for the
// cases our metrics use, so the docs' names can be checked against the stack's path without a Prometheus 3 here.
// Follows prometheus/otlptranslator's normalizeName: unit suffix, then _total for monotonic sums,
// _ratio only for gauges with unit "1" (not for UpDownCounters), units in braces dropped.

const UNITS: Record<string, string> = {
  d: 'days', h: 'hours', min: 'minutes', s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds',
  By: 'bytes', KiBy: 'kibibytes', MiBy: 'mebibytes', GiBy: 'gibibytes', KBy: 'kilobytes', MBy: 'megabytes', GBy: 'gigabytes',
  '1': '', '%': 'percent', Hz: 'hertz', Cel: 'celsius',
};
const PER_UNITS: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' };

function unitToken(unit: string, map: Record<string, string>): string {
  const u = unit.trim();
  // Annotations in braces ({connection}) carry no unit; what remains outside braces still counts.
  const bare = u.replace(/\{[^}]*\}/g, '');
  if (bare === '') return '';
  return map[bare] ?? bare.replace(/[^a-zA-Z0-9]/g, '_');
}

export type OtelKind = 'histogram' | 'counter' | 'updowncounter' | 'gauge';

/** The Prometheus metric name Prometheus's OTLP receiver stores for an OTel metric (histograms: the base name). */
export function otlpToPrometheusName(name: string, unit: string, kind: OtelKind): string {
  let tokens = name.split(/[^a-zA-Z0-9]+/).filter(Boolean);
  const [main, per] = unit.split('/', 2);
  const mainToken = unitToken(main ?? '', UNITS);
  const perToken = per !== undefined ? unitToken(per, PER_UNITS) : '';
  if (mainToken && !tokens.includes(mainToken)) tokens.push(mainToken);
  if (perToken && !tokens.includes(perToken)) tokens.push('per', perToken);
  if (kind === 'counter') tokens = [...tokens.filter((t) => t !== 'total'), 'total'];
  if (unit === '1' && kind === 'gauge') tokens = [...tokens.filter((t) => t !== 'ratio'), 'ratio'];
  return tokens.join('_');
}
