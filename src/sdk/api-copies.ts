// Which @opentelemetry/api copy our globals go through (the newest in the process, see app-api.ts), and,
// once started, whether each copy the app resolves sees our providers: a blind copy gets one warning.
import { appApiCopies, blindCopyMessage, ownApiCopy, probeApiCopy, registrarCopy, type ApiCopy, type ApiModule, type OurProviders } from './app-api.js';
import { pinOlderApiCopies } from './api-resolution.js';
import type { ObsStatus } from '../lifecycle/obs-state.js';
import { errorLine, log } from '../log.js';

export interface ApiCopies {
  readonly own: ApiCopy;
  readonly app: readonly ApiCopy[];
  readonly registrar: ApiCopy;
  /** The registrar copy, loaded. */
  readonly api: ApiModule;
}

export function resolveApiCopies(dirs: readonly string[]): ApiCopies {
  const own = ownApiCopy();
  const app = appApiCopies(dirs);
  const registrar = registrarCopy(own, app);
  if (app.some((c) => c.dir !== own.dir)) pinOlderApiCopies(own.dir, own.version);
  return { own, app, registrar, api: registrar.load() };
}

/** Records the copies in the status and probes the app's copies 200 ms after start. */
export function watchApiCopies(copies: ApiCopies, ours: OurProviders, status: ObsStatus): void {
  status.api = { registrar: { dir: copies.registrar.dir, version: copies.registrar.version }, app: [] };
  status.apiProbe = () => copies.app.map((copy) => probeApiCopy(copy, copies.own.load(), ours));
  // Off the start-up path: loading the app's copy costs a module load the app pays for itself later.
  setTimeout(() => {
    try {
      for (const view of status.apiProbe?.() ?? []) {
        const msg = blindCopyMessage(view, copies.registrar);
        if (msg) {
          log.warn(msg);
          status.warnings.push(msg);
        }
      }
    } catch (err) {
      log.debug(`could not probe the app's @opentelemetry/api (${errorLine(err)})`);
    }
  }, 200).unref();
}
