// The preload: `node --import @org/obs/register app.js`. Guards, the ESM hook for the modules we
// instrument, then start(). Nothing here may throw into the app or print when all is well.
import { isMainThread } from 'node:worker_threads';
import { readConfig } from './src/config.js';

const LOADED = Symbol.for('@org/obs.register');
const PREFIX = '@org/obs: ';

function say(message: string): void {
  try {
    process.stderr.write(PREFIX + message + '\n');
  } catch {
    // nowhere to report; stay silent rather than break the app
  }
}

function supportedNode(): boolean {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return major > 20 || (major === 20 && minor >= 6);
}

async function main(): Promise<void> {
  const { config, warnings } = readConfig(process.env);
  const debug = config.logLevel === 'debug' || config.logLevel === 'verbose' || config.logLevel === 'all';
  if (!isMainThread) {
    // Workers inherit --import; the main thread's SDK already serves the process.
    if (debug) say('worker thread: the main thread is instrumented, this one is left alone');
    return;
  }
  const g = globalThis as Record<symbol, unknown>;
  if (g[LOADED]) {
    say('loaded twice (e.g. --import and NODE_OPTIONS); the second copy does nothing');
    return;
  }
  Object.defineProperty(g, LOADED, { value: true });
  if (!supportedNode()) {
    say(`Node ${process.version} is not supported (needs 20.6 or newer); the app runs uninstrumented`);
    return;
  }

  // Our own modules load before the ESM hook exists: once it is registered every ESM import goes
  // through the loader, which measured as the largest single start-up cost.
  const [{ start }, { selectInstrumentations, esmIncludeList }, { appDir }, { registerEsmHook }] = await Promise.all([
    import('./src/start.js'),
    import('./src/instrumentations/index.js'),
    import('./src/app-package.js'),
    import('./src/esm-hook.js'),
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
