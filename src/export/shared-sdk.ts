// One copy of the SDK for us and the exporters. In the start-up bundle (scripts/bundle.mjs) our SDK
// packages are bundled while the exporters stay in node_modules; their require("@opentelemetry/core")
// etc. would load a second copy from disk during the warm-up (about 150 more files, a second
// sdk-metrics, slower warm-up). So the bundled module objects are entered into require.cache under
// the file those packages resolve to from our package, when that file is the very version we bundled.
// Unbundled (dist/src/), there is nothing to do: the packages are already in require.cache.
import { createRequire } from 'node:module';
import { enterBundled } from '../sdk/shared-package.js';

/** Set by scripts/bundle.mjs (esbuild `define`): package → version bundled. Undefined outside the bundle. */
declare const __OBS_BUNDLED_SDK__: Readonly<Record<string, string>> | undefined;

const require = createRequire(import.meta.url);

/** The bundled module objects, by package: static requires, so the bundler resolves them into the bundle. */
const BUNDLED: Readonly<Record<string, () => unknown>> = {
  '@opentelemetry/core': () => require('@opentelemetry/core'),
  '@opentelemetry/sdk-metrics': () => require('@opentelemetry/sdk-metrics'),
  '@opentelemetry/resources': () => require('@opentelemetry/resources'),
};

/** Enters the bundled SDK packages into require.cache where node_modules holds the same version. */
export function shareBundledSdk(): void {
  if (typeof __OBS_BUNDLED_SDK__ === 'undefined') return;
  for (const [pkg, load] of Object.entries(BUNDLED)) {
    try {
      enterBundled(pkg, require.resolve(pkg), __OBS_BUNDLED_SDK__[pkg], load);
    } catch {
      // not resolvable from here: the exporters load their own copy, as without the bundle
    }
  }
}
