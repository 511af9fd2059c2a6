// Metric names as Prometheus's own OTLP translation writes them (unit and type suffixes), so our
// pull endpoint and the collector stack's push path expose the same names to the same alert rules.
const UNITS: Record<string, string> = {
  d: 'days', h: 'hours', min: 'minutes', s: 'seconds', ms: 'milliseconds', us: 'microseconds', ns: 'nanoseconds',
  By: 'bytes', KiBy: 'kibibytes', MiBy: 'mebibytes', GiBy: 'gibibytes', TiBy: 'tebibytes',
  KBy: 'kilobytes', MBy: 'megabytes', GBy: 'gigabytes', TBy: 'terabytes',
  m: 'meters', V: 'volts', A: 'amperes', J: 'joules', W: 'watts', g: 'grams', Cel: 'celsius', Hz: 'hertz', '%': 'percent',
};
const PER_UNITS: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week', mo: 'month', y: 'year' };

function clean(unit: string): string {
  return unit.replace(/\{[^}]*\}/g, '').trim();
}

/** The unit suffix for a name, '' when the unit adds none. `isGauge` turns a unit of 1 into `ratio`. */
export function unitSuffix(unit: string | undefined, isGauge: boolean): string {
  if (!unit) return '';
  if (unit === '1') return isGauge ? 'ratio' : '';
  const [main, per] = unit.split('/', 2).map(clean);
  const parts: string[] = [];
  if (main) parts.push(UNITS[main] ?? main);
  if (per) parts.push('per', PER_UNITS[per] ?? per);
  return parts.join('_').replace(/[^a-zA-Z0-9_]/g, '_');
}

/** The base name (before _total/_bucket/...): sanitized, with the unit suffix added once. */
export function prometheusBaseName(name: string, unit: string | undefined, isGauge: boolean): string {
  const base = name.replace(/[^a-zA-Z0-9_:]/g, '_').replace(/_+/g, '_');
  const suffix = unitSuffix(unit, isGauge);
  if (!suffix || base.endsWith('_' + suffix)) return base;
  return `${base}_${suffix}`;
}
