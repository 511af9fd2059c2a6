// The preload: `node --import @org/obs/register app.js`. Guards, the ESM hook for the modules we
// instrument, then start(). Nothing here may throw into the app or print when all is well.
// First, so that what loads after it (the API copy, the ESM hook, the app) can come from the compile cache.
import './src/lifecycle/compile-cache-first.js';
import { passGuards, say } from './src/preload-guard.js';

async function main(): Promise<void> {
  const guarded = passGuards();
  if (!guarded) return;
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
  const esmHook = hook.state;
  const acknowledged = 'acknowledged' in hook ? hook.acknowledged : undefined;

  start(config, warnings, esmHook, selection);
  // The app's first import must wait until the loader knows every module to wrap.
  await acknowledged?.();
}

try {
  await main();
} catch (err) {
  say(`failed to start (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); the app runs uninstrumented`);
}
