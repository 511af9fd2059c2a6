// The --require entry (`node --require @org/obs/register app.js`), for platforms that only allow
// --require: the same guards and start() as register.ts, without the ESM hook, synchronously. CommonJS
// modules are fully instrumented; an ESM entry gets one line saying to use --import (the CommonJS
// packages it imports still load through the require hooks, so they are patched; ESM-only ones are not).
// Bundled with register.ts into dist/register-bundle.cjs, which dist/register.cjs runs (scripts/bundle.mjs).
/* eslint-disable @typescript-eslint/no-require-imports -- each require must run after the check before it (an older Node cannot load our ES modules) */
import type * as Guard from './src/preload-guard.js';
import type * as Start from './src/start.js';
import type * as Instrumentations from './src/instrumentations/index.js';
import type * as AppPackage from './src/host/app-package.js';
import type * as ModuleSystem from './src/host/module-system.js';
import type * as NodeSupport from './src/node-support.cjs';

function sayOnce(message: string): void {
  try {
    process.stderr.write('@org/obs: ' + message + '\n');
  } catch {
    // nowhere to report; stay silent rather than break the app
  }
}

function main(): boolean {
  const support = require('./src/node-support.cjs') as typeof NodeSupport;
  // An older Node cannot require() our ES modules: check before loading any of them.
  if (!support.supportedNode()) {
    sayOnce(support.unsupportedNodeLine());
    return false;
  }
  const { passGuards, say } = require('./src/preload-guard.js') as typeof Guard;
  const guarded = passGuards();
  if (!guarded) return false;
  const { config, warnings } = guarded;
  const { start } = require('./src/start.js') as typeof Start;
  const { selectInstrumentations } = require('./src/instrumentations/index.js') as typeof Instrumentations;
  const { appDir, appPackage } = require('./src/host/app-package.js') as typeof AppPackage;
  const entry = process.argv[1] ?? '';
  const { moduleSystemOf } = require('./src/host/module-system.js') as typeof ModuleSystem;
  const esmEntry = moduleSystemOf(entry, appPackage().type) === 'esm';
  if (esmEntry && !config.disabled) {
    say('started with --require: this app is ESM; libraries it imports that ship as ES modules stay uninstrumented (CommonJS ones such as pg are patched); start it with node --import @org/obs/register');
  }
  return start(config, warnings, 'skipped', selectInstrumentations(config, [appDir(), process.cwd()]))?.status.active === true;
}

/** Starts the preload synchronously; true when it started active. */
export function startForRequire(): boolean {
  try {
    return main();
  } catch (err) {
    sayOnce(`failed to start (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); the app runs uninstrumented`);
    return false;
  }
}
