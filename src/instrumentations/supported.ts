// Supported version ranges per instrumented module: the one source for `obs doctor`, the matrix and the docs.
//
// Each contrib range is copied from the `InstrumentationNodeModuleDefinition` of the instrumentation version pinned
// in package.json (node_modules/@opentelemetry/instrumentation-*/build/src/instrumentation.js). When an
// instrumentation is bumped, re-read its definition and update the range here; `npm run test:matrix`
// then shows whether the new range really holds. This module is imported by the CLI, so it must stay
// free of side effects and imports.

export interface SupportedModule {
  /** semver range (subset: `>=`, `>`, `<=`, `<`, `=`, `^`, `~`, `x`, `||`) the instrumentation declares */
  readonly range: string;
  /** npm package of the instrumentation that patches this module, or OWN_PATCH */
  readonly instrumentation: string;
  /** short name used in the preload's instrumentation list and in OBS_* switches */
  readonly name: string;
  /** the module the user installs, when it differs from the module that gets patched */
  readonly via?: string;
  /**
   * Modules that carry the patch for some of this module's versions: the range then adds those versions
   * to the ones the instrumentation declares for the module itself.
   */
  readonly through?: readonly string[];
  readonly note?: string;
}

/** `instrumentation` of the modules @org/obs instruments with its own code rather than a contrib package. */
export const OWN_PATCH = '@org/obs (built in)';

export const SUPPORTED: Readonly<Record<string, SupportedModule>> = Object.freeze({
  pg: {
    name: 'pg',
    range: '>=8.0.3 <9',
    instrumentation: '@opentelemetry/instrumentation-pg',
  },
  'pg-pool': {
    name: 'pg',
    range: '>=2.0.0 <4',
    instrumentation: '@opentelemetry/instrumentation-pg',
    via: 'pg',
  },
  // node-redis 4-6 delegate to @redis/client (4.0.x: @node-redis/client), which is what gets patched;
  // node-redis 2-3 is patched directly.
  redis: {
    name: 'redis',
    range: '>=2.6.0 <4 || >=4.0.0 <7',
    instrumentation: '@opentelemetry/instrumentation-redis',
    through: ['@redis/client', '@node-redis/client'],
    note: 'redis 4-6 are patched through @redis/client 1/5/6 (redis 4.0.x: @node-redis/client)',
  },
  '@redis/client': {
    name: 'redis',
    range: '^1.0.0 || ^5.0.0 || ^6.0.0',
    instrumentation: '@opentelemetry/instrumentation-redis',
    via: 'redis',
  },
  '@node-redis/client': {
    name: 'redis',
    range: '^1.0.0 || ^5.0.0 || ^6.0.0',
    instrumentation: '@opentelemetry/instrumentation-redis',
    via: 'redis',
  },
  ioredis: {
    name: 'ioredis',
    range: '>=2.0.0 <7',
    instrumentation: '@opentelemetry/instrumentation-ioredis',
  },
  express: {
    name: 'express',
    range: '>=4.0.0 <6',
    instrumentation: '@opentelemetry/instrumentation-express',
  },
  // Our own (src/instrumentations/fastify.ts): fastify announces instances on the
  // `fastify.initialization` diagnostics channel, present in every 4.x and 5.x; 4.0.0 is in the matrix.
  fastify: {
    name: 'fastify',
    range: '>=4.0.0 <6',
    instrumentation: OWN_PATCH,
  },
  koa: {
    name: 'koa',
    range: '>=2.0.0 <4',
    instrumentation: '@opentelemetry/instrumentation-koa',
  },
  pino: {
    name: 'pino',
    range: '>=5.14.0 <11',
    instrumentation: '@opentelemetry/instrumentation-pino',
  },
  winston: {
    name: 'winston',
    range: '>=3 <4 || >=1 <3',
    instrumentation: '@opentelemetry/instrumentation-winston',
    note: 'log sending needs winston 3 (@opentelemetry/winston-transport); 1-2 get trace ids only',
  },
  bunyan: {
    name: 'bunyan',
    range: '>=1.0.0 <2',
    instrumentation: '@opentelemetry/instrumentation-bunyan',
  },
});

/**
 * Modules users run that no bundled instrumentation patches: requests still get http server spans from
 * the http instrumentation, but without the framework's details (no `http.route`). Empty today; kept
 * so `obs doctor` can name such modules when one appears.
 */
export const NOT_COVERED: Readonly<Record<string, string>> = Object.freeze({});

type Version = readonly [number, number, number, boolean];

function parseVersion(text: string): Version | undefined {
  const m = /^v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(-[0-9A-Za-z.-]+)?(?:\+.*)?$/.exec(text.trim());
  if (!m) return undefined;
  const part = (s: string | undefined): number => (s === undefined || /[xX*]/.test(s) ? -1 : Number(s));
  return [Number(m[1]), part(m[2]), part(m[3]), m[4] !== undefined];
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) {
    const d = Math.max(a[i] as number, 0) - Math.max(b[i] as number, 0);
    if (d !== 0) return d;
  }
  // A prerelease sorts before its release (6.0.0-beta.1 < 6.0.0).
  return (b[3] ? 1 : 0) - (a[3] ? 1 : 0);
}

/** One comparator set ("a b c", all must hold) → predicate on a version. */
function comparatorSet(set: string): (v: Version) => boolean {
  const checks: Array<(v: Version) => boolean> = [];
  for (const token of set.trim().split(/\s+/).filter(Boolean)) {
    const m = /^(>=|<=|>|<|=|\^|~)?(.+)$/.exec(token);
    const bound = m ? parseVersion(m[2] as string) : undefined;
    if (!m || !bound) return () => false;
    const op = m[1] ?? '=';
    const [major, minor, patch] = bound;
    if (op === '^' || op === '~' || (op === '=' && (minor < 0 || patch < 0))) {
      // ^1.2.3 → <2.0.0 ; ^0.2.3 → <0.3.0 ; ~1.2.3 / 1.2.x → <1.3.0 ; 1 / 1.x → <2.0.0
      const lower: Version = [major, Math.max(minor, 0), Math.max(patch, 0), false];
      const upper: Version =
        op === '~' ? (minor < 0 ? [major + 1, 0, 0, true] : [major, minor + 1, 0, true])
        : op === '^' && major === 0 && minor > 0 ? [0, minor + 1, 0, true]
        : op === '=' && patch < 0 && minor >= 0 ? [major, minor + 1, 0, true]
        : [major + 1, 0, 0, true];
      checks.push((v) => compare(v, lower) >= 0 && compare(v, upper) < 0);
      continue;
    }
    // `<7` means below every 7.x, its prereleases included (semver reads it as `<7.0.0-0`).
    const partial = minor < 0 || patch < 0;
    const b: Version = [major, Math.max(minor, 0), Math.max(patch, 0), bound[3] || (op === '<' && partial)];
    checks.push((v) => {
      const c = compare(v, b);
      return op === '>=' ? c >= 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : op === '<' ? c < 0 : c === 0;
    });
  }
  return (v) => checks.every((check) => check(v));
}

/** True when `version` lies in `range` (prereleases included, as the instrumentations check them). */
export function satisfiesRange(version: string, range: string): boolean {
  const v = parseVersion(version);
  if (!v || v[1] < 0 || v[2] < 0) return false;
  return range.split('||').some((set) => comparatorSet(set)(v));
}

/** Whether an installed module version is covered: undefined when the module is not one we instrument. */
export function isSupportedVersion(moduleName: string, version: string): boolean | undefined {
  const entry = SUPPORTED[moduleName];
  return entry ? satisfiesRange(version, entry.range) : undefined;
}
