// The app's own @opentelemetry/api copies: found the way the app resolves them, the newest chosen to
// register our globals, and probed afterwards to prove the app's copy sees our providers.
// Why: the API keeps one global registry stamped with the registering copy's version and hands it
// only to readers of the same or an older minor (api/src/internal/semver.ts), so globals registered
// through an older copy than the app's leave the app with silent no-ops.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { installedPackage } from '../host/installed-packages.js';

export type ApiModule = typeof import('@opentelemetry/api');

export interface ApiCopy {
  readonly dir: string;
  readonly version: string;
  /** Loaded on demand: requiring a copy the app never loads would cost start-up for nothing. */
  load(): ApiModule;
}

const require = createRequire(import.meta.url);
const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

function loader(dir: string): () => ApiModule {
  // An absolute folder path loads the package's main entry, whatever its exports map allows.
  return () => require(dir) as ApiModule;
}

/** Our own copy: the one the SDK packages resolve. */
export function ownApiCopy(): ApiCopy {
  const tail = join('node_modules', '@opentelemetry', 'api');
  let dir = dirname(require.resolve('@opentelemetry/api'));
  while (!dir.endsWith(tail) && dirname(dir) !== dir) dir = dirname(dir);
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  return { dir, version, load: () => require('@opentelemetry/api') as ApiModule };
}

/** The copies the app resolves from each of its folders (entry script, working directory), without duplicates. */
export function appApiCopies(appDirs: readonly string[]): ApiCopy[] {
  const out = new Map<string, ApiCopy>();
  for (const from of appDirs) {
    const found = installedPackage('@opentelemetry/api', [from]);
    if (found && !out.has(found.dir)) out.set(found.dir, { dir: found.dir, version: found.version, load: loader(found.dir) });
  }
  return [...out.values()];
}

function minorOf(version: string): number | undefined {
  const m = SEMVER.exec(version);
  return m && m[1] === '1' ? Number(m[2]) : undefined;
}

/**
 * The copy to register through: the newest 1.x minor among ours and the app's, so every reader
 * (ours, the app's, an instrumentation's) of that minor or older accepts the globals. Copies that
 * are not plain 1.x releases are never chosen.
 */
export function registrarCopy(own: ApiCopy, app: readonly ApiCopy[]): ApiCopy {
  let best = own;
  for (const c of app) {
    const m = minorOf(c.version);
    if (m !== undefined && m > (minorOf(best.version) ?? -1)) best = c;
  }
  return best;
}

export interface ApiView {
  readonly dir: string;
  readonly version: string;
  /** Whether this copy hands the app our tracer, meter, logger provider and context; undefined when we have none. */
  readonly sees: { trace?: boolean; metrics?: boolean; logs?: boolean; context: boolean };
}

export interface OurProviders {
  readonly tracing: boolean;
  readonly meterProvider?: object;
  readonly loggerProvider?: object;
}

/** What the app's copy really hands out, checked through its own API surface. */
export function probeApiCopy(copy: ApiCopy, own: ApiModule, ours: OurProviders): ApiView {
  const api = copy.load();
  const sees: { trace?: boolean; metrics?: boolean; logs?: boolean; context: boolean } = { context: false };
  const key = own.createContextKey('@org/obs probe');
  sees.context = api.context.with(own.context.active().setValue(key, true), () => own.context.active().getValue(key) === true);
  if (ours.tracing) {
    // A span from a no-op tracer carries the all-zero ids; one from ours has real ones. It is never ended, so never exported.
    sees.trace = api.trace.isSpanContextValid(api.trace.getTracer('@org/obs.probe').startSpan('probe').spanContext());
  }
  if (ours.meterProvider) sees.metrics = api.metrics.getMeterProvider() === ours.meterProvider;
  if (ours.loggerProvider) {
    const logs = (api as Partial<ApiModule>).logs;
    sees.logs = logs === undefined ? undefined : logs.getLoggerProvider() === ours.loggerProvider;
  }
  return { dir: copy.dir, version: copy.version, sees };
}

/** One line naming the versions and the fix, when the app's copy does not see what we registered. */
export function blindCopyMessage(view: ApiView, registrar: ApiCopy): string | undefined {
  const blind = Object.entries(view.sees).filter(([, v]) => v === false).map(([k]) => k);
  if (blind.length === 0) return undefined;
  return `the app's @opentelemetry/api ${view.version} (${view.dir}) does not see our ${blind.join(', ')} `
    + `(registered through @opentelemetry/api ${registrar.version}); install one 1.x copy, e.g. npm install @opentelemetry/api@^${registrar.version}`;
}
