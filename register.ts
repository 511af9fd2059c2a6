// The preload: `node --import @org/obs/register app.js`. Guards, the ESM hook for the modules we
// instrument, then start(). Nothing here may throw into the app or print when all is well.
// scripts/bundle.mjs bundles this with register.cts into dist/register-bundle.cjs, which the package's
// entry dist/register.js runs from its code cache (src/lifecycle/startup-code-cache.ts) and awaits.
import { passGuards, say } from './src/preload-guard.js';

/** Resolves once the app may run its first import; true when the preload started active. */
export async function startForImport(): Promise<boolean> {
  try {
    return await main();
  } catch (err) {
    say(`failed to start (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); the app runs uninstrumented`);
    return false;
  }
}

async function main(): Promise<boolean> {
  const guarded = passGuards();
  if (!guarded) return false;
  const { config, warnings } = guarded;
  // Our own modules load before the ESM hook exists: once it is registered every ESM import goes
  // through the loader, which measured as the largest single start-up cost.
  const [{ start }, { selectInstrumentations, esmIncludeList }, { appDir }, { registerEsmHook }] = await Promise.all([
    import('./src/start.js'),
    import('./src/instrumentations/index.js'),
    import('./src/host/app-package.js'),
    import('./src/sdk/esm-hook.js'),
  ]);
  const selection = selectInstrumentations(config, [appDir(), process.cwd()]);
  const hook = config.disabled ? { state: 'skipped' as const } : await registerEsmHook(esmIncludeList(selection.specs));
  if (hook.state === 'failed') say(`ESM hook not registered (${hook.error}); only CommonJS modules are instrumented`);
  const acknowledged = 'acknowledged' in hook ? hook.acknowledged : undefined;

  const started = start(config, warnings, hook.state, selection);
  // The app's first import must wait until the loader knows every module to wrap.
  await acknowledged?.();
  return started?.status.active === true;
}
