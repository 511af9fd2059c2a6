// The start-up bundle: dist/register-bundle.cjs, one CommonJS file for --import and --require, holding
// our preload code and the OpenTelemetry SDK parts every start needs, behind two tiny entries,
// dist/register.js and dist/register.cjs, which run it from its code cache (src/lifecycle/startup-code-cache.ts). Run by `npm run build` after tsc, so it
// overwrites tsc's register.js/.cjs; dist/src/ (tsc's output) stays for the public API, `obs doctor`,
// the CLI and the sync-send child process.
//
// Why the tiny entry in front of the bundle: Node's compile cache only serves files loaded after
// module.enableCompileCache() ran, and the bundle is the largest file we load. With the call inside
// the bundle (as before), every start parsed and compiled its 1.3 MB again: NODE_DEBUG_NATIVE=
// COMPILE_CACHE listed no cache read for it. Behind the entry it is read from the cache: 601 M → 505 M
// instructions from spawn to an empty module's first line (callgrind; plain node: 87 M).
//
// Why each rule below (issue 15, "Start-up"):
// - One file instead of ~50 ES modules of ours and ~300 CommonJS files of the SDK: each file costs
//   a resolve, a read and a compile before the app's first line.
// - Node built-ins through require(): an ESM `import … from 'node:http'` syncs every export of the
//   module, which runs lazy getters (node:http loads Node's internal undici, node:crypto webcrypto).
//   require() returns the object and the getters stay lazy.
// - External, loaded from node_modules at run time:
//   the subpaths of @opentelemetry/api and api-logs. Their main entries are bundled but reached
//     through src/sdk/shared-package.ts, which enters the bundled module into require.cache as the
//     file node_modules holds (same version) or uses that file: the app-API probe
//     (src/sdk/app-api.ts) and the API-resolution hook (src/sdk/api-resolution.ts) depend on there
//     being exactly one copy of ours, the one the process resolves from node_modules.
//   import-in-the-middle: its loader hook and the Hook objects of the instrumentations must share
//     one module instance, and its hook file is registered by path.
//   exporters, gRPC, protobufjs, the Prometheus exporter: large and not needed before the first
//     export; src/export/warm-up.ts loads them on idle ticks (keep it that way).
//   the optional auto-instrumentations bundle: an optional peer dependency.
// - import.meta.url keeps meaning "this source file's place in dist/src/", so paths relative to a
//   file (our package.json, the sync-send child, the warm-up's resolution base) do not move.
import { build } from 'esbuild';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

const rootRequire = createRequire(path.join(root, 'package.json'));

const EXTERNAL = [
  '@opentelemetry/api/*',
  '@opentelemetry/api-logs/*',
  'import-in-the-middle',
  'import-in-the-middle/*',
  '@opentelemetry/exporter-*',
  '@opentelemetry/otlp-*',
  '@opentelemetry/auto-instrumentations-node',
  '@opentelemetry/auto-instrumentations-node/*',
  '@grpc/*',
  'protobufjs',
  'protobufjs/*',
];

const BUILTINS = new Set(builtinModules.flatMap((m) => (m.startsWith('node:') ? [m] : [m, `node:${m}`])));

/**
 * Built-ins that bundled packages require at load but use only when called: a lazy stand-in that
 * requires the built-in on first use. node:crypto (with its ~15 internal modules) cost 5-10 ms of
 * start-up here, loaded by @opentelemetry/resources' ServiceInstanceIdDetector at its first line for a
 * randomUUID it calls only when that detector runs (ours replaces it: src/sdk/resource.ts).
 */
const LAZY_BUILTINS = [{ builtin: /^(node:)?crypto$/, importer: /[\\/]@opentelemetry[\\/]resources[\\/]/ }];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^(node:)?[a-z_]+$/ }, (args) => {
      const rule = LAZY_BUILTINS.find((r) => r.builtin.test(args.path) && r.importer.test(args.importer));
      return rule ? { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' } : undefined;
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: `let real;
const load = () => (real ??= __obsRequire(${JSON.stringify(`node:${args.path}`)}));
module.exports = new Proxy({}, {
  get: (_, key) => load()[key],
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => {
    const d = Object.getOwnPropertyDescriptor(load(), key);
    return d && { ...d, configurable: true };
  },
});`,
      loader: 'js',
    }));
  },
};

/** Built-ins imported by our ES modules become `require()` of the built-in (see the header). */
const builtinsThroughRequire = {
  name: 'builtins-through-require',
  setup(b) {
    b.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
      if (!BUILTINS.has(args.path) || (args.kind !== 'import-statement' && args.kind !== 'dynamic-import')) return undefined;
      return { path: args.path, namespace: 'builtin-require' };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin-require' }, (args) => ({
      contents: `module.exports = __obsRequire(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/**
 * Our sources: `createRequire(import.meta.url)` becomes the bundler's own require (so the SDK
 * packages they require are bundled), and import.meta.url / import.meta.resolve keep their meaning
 * for the file's place under dist/src/.
 */
const ourSources = {
  name: 'our-sources',
  setup(b) {
    b.onLoad({ filter: /\.c?ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      let text = await readFile(args.path, 'utf8');
      const rel = path.relative(root, args.path).replace(/\\/g, '/').replace(/\.ts$/, '.js').replace(/\.cts$/, '.cjs');
      const own = `__obsUrl(${JSON.stringify(`./${rel}`)})`;
      text = text
        .replace(/^const require = createRequire\(import\.meta\.url\);$/m, '')
        .replace(/createRequire\(import\.meta\.url\)\((['"][^'"]+['"])\)/g, 'require($1)')
        // A package-internal file found next to the entry at run time (pg-pool-name.ts patches
        // instrumentation-pg's utils module): point at the very file the bundle holds, so the patch
        // reaches the copy the instrumentation uses.
        .replace(/require\(join\(dirname\(require\.resolve\('([^']+)'\)\), '([^']+)'\)\)/g, (_, pkg, file) =>
          `require(${JSON.stringify(path.join(path.dirname(rootRequire.resolve(pkg)), file))})`)
        // import() of a package left outside the bundle: the bundle runs as a vm.Script
        // (src/lifecycle/startup-code-cache.ts), which has no module to import from, so the entry's
        // import() is handed in.
        .replace(/(?<![\w$.]|typeof\s)import\((['"])([^'"]+)\1\)/g, (all, _q, spec) => (EXTERNAL_RE.test(spec) ? `__obsImport(${JSON.stringify(spec)})` : all))
        .replace(/import\.meta\.resolve\(/g, `__obsImportResolve(${own}, `)
        .replace(/import\.meta\.url/g, own);
      return { contents: text, loader: 'ts' };
    });
  },
};

// The SDK packages src/export/shared-sdk.ts shares with the exporters, with the versions bundled.
// Not @opentelemetry/semantic-conventions: the bundle holds only the names it uses (below), which
// a package loaded from node_modules must not be handed; the exporters do not require it.
const SHARED_SDK = ['@opentelemetry/core', '@opentelemetry/sdk-metrics', '@opentelemetry/resources'];
const bundledSdk = Object.fromEntries(SHARED_SDK.map((pkg) => {
  let dir = path.dirname(rootRequire.resolve(pkg));
  while (!dir.endsWith(path.join('node_modules', pkg))) dir = path.dirname(dir);
  return [pkg, JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version];
}));

const base = {
  define: { __OBS_BUNDLED_SDK__: JSON.stringify(bundledSdk) },
  bundle: true,
  platform: 'node',
  target: 'node22.15',
  external: EXTERNAL,
  plugins: [lazyBuiltins, builtinsThroughRequire, ourSources],
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  // Whitespace, comments and syntax minified, names kept (stack traces and CPU profiles stay readable;
  // the linked source map maps lines back): V8 keeps a script's source string for the process's life,
  // and the bundle's was 1.1 MB of the ~5.6 MB the preload keeps after start-up (a heap snapshot
  // at the app's first line, against plain node).
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  // Dynamic require()s of computed names (exporters, resource detectors) stay run-time requires on purpose.
  // require.resolve('@opentelemetry/api') in src/sdk/app-api.ts asks the run-time resolver on purpose (the file the process resolves).
  logOverride: { 'unsupported-require-call': 'silent', 'unsupported-dynamic-import': 'silent', 'require-resolve-not-external': 'silent' },
  absWorkingDir: root,
};

/**
 * @opentelemetry/semantic-conventions as the names the bundle uses, nothing else. Its index requires
 * five files and copies ~660 constants (SemanticAttributes alone builds hundreds of objects) at every
 * start, for the ~150 names the SDK and instrumentations read: 505 M → 459 M instructions to an
 * empty module's first line (callgrind). The names are every identifier of the bundled sources that is
 * one of the package's exports (a first, unwritten build lists the sources); values are copied from
 * the package at build time (strings, numbers, plain objects, and the attribute-key functions' source).
 */
async function semconvUsedOnly() {
  const pkg = '@opentelemetry/semantic-conventions';
  const real = rootRequire(pkg);
  const probe = await build({ ...base, entryPoints: { esm: 'register.ts', cjs: 'register.cts' }, outdir: 'dist', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
  const used = new Set();
  for (const input of Object.keys(probe.metafile.inputs)) {
    if (input.includes(`node_modules/${pkg}/`) || input.includes(':')) continue;
    const text = readFileSync(path.join(root, input), 'utf8');
    for (const [name] of text.matchAll(/[A-Za-z_$][\w$]*/g)) if (Object.hasOwn(real, name)) used.add(name);
  }
  const lines = [...used].sort().map((name) => {
    const value = real[name];
    if (typeof value === 'function') return `exports.${name} = ${value.toString()};`;
    return `exports.${name} = ${JSON.stringify(value)};`;
  });
  return {
    name: 'semconv-used-only',
    setup(b) {
      b.onResolve({ filter: /^@opentelemetry\/semantic-conventions$/ }, () => ({ path: pkg, namespace: 'semconv-used-only' }));
      b.onLoad({ filter: /.*/, namespace: 'semconv-used-only' }, () => ({ contents: lines.join('\n'), loader: 'js' }));
    },
  };
}

/**
 * Every bundled import of @opentelemetry/api or api-logs goes through src/sdk/shared-package.ts with
 * the package's bundled copy (required by its file path, so the bundler takes it in) and its version.
 */
const sharedApi = {
  name: 'shared-api',
  setup(b) {
    b.onResolve({ filter: /^@opentelemetry\/api(-logs)?$/ }, (args) => ({ path: args.path, namespace: 'shared-api' }));
    b.onLoad({ filter: /.*/, namespace: 'shared-api' }, (args) => {
      const entry = rootRequire.resolve(args.path);
      let dir = path.dirname(entry);
      while (!dir.endsWith(path.join('node_modules', args.path))) dir = path.dirname(dir);
      const { version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      const helper = path.join(root, 'src', 'sdk', 'shared-package.ts');
      return {
        contents: `module.exports = require(${JSON.stringify(helper)}).sharedPackage(${JSON.stringify(args.path)}, ${JSON.stringify(version)}, () => require(${JSON.stringify(entry)}));`,
        loader: 'js',
        resolveDir: root,
      };
    });
  },
};

/**
 * One copy per package code: npm nests a package under each dependent whose range the hoisted copy
 * does not meet, so identical code can sit in several folders (@opentelemetry/instrumentation 0.301.2
 * under instrumentation-http and under instrumentation-pg, and 0.300.0 at the top, whose JavaScript is
 * byte for byte the same). Bundled as they lie, each copy's modules initialise at start and each keeps
 * its own require-in-the-middle singleton, which every later require() of the app passes through:
 * 419 M → 398 M instructions to an empty module's first line with the three copies made one. Copies
 * whose JavaScript files and package.json entry fields are identical are the same code: the first
 * folder found stands for the others, as an npm dedupe would have made it.
 */
function codeKey(dir) {
  const hash = createHash('sha256');
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  hash.update(JSON.stringify([pkg.name, pkg.main, pkg.exports, pkg.imports, pkg.type]));
  let referencesPackageJson = false;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name === 'node_modules') continue;
      const f = path.join(d, e.name);
      if (e.isDirectory()) walk(f);
      else if (/\.(c?js|json)$/.test(e.name) && e.name !== 'package.json') {
        const text = readFileSync(f);
        if (/require\(\s*["'](\.\.?\/)+package\.json["']\s*\)/.test(text.toString())) referencesPackageJson = true;
        hash.update(path.relative(dir, f)).update(text);
      }
    }
  };
  walk(dir);
  // A package that reads its own package.json (a version string) is only the same code with the same file.
  if (referencesPackageJson) hash.update(readFileSync(path.join(dir, 'package.json')));
  return hash.digest('hex');
}

const oneCopyPerCode = {
  name: 'one-copy-per-code',
  setup(b) {
    const first = new Map();
    const codeKeys = new Map();
    b.onResolve({ filter: /^(@[^/]+\/)?[^./][^/]*$/ }, async (args) => {
      if (args.pluginData === 'one-copy-per-code' || args.namespace !== 'file' || EXTERNAL_RE.test(args.path) || BUILTINS.has(args.path)) return undefined;
      const found = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'one-copy-per-code' });
      if (found.errors.length > 0 || found.external || !found.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      let dir = path.dirname(found.path);
      while (!dir.endsWith(path.join('node_modules', args.path)) && path.dirname(dir) !== dir) dir = path.dirname(dir);
      let code;
      try {
        code = codeKeys.get(dir) ?? codeKeys.set(dir, codeKey(dir)).get(dir);
      } catch {
        return undefined;
      }
      const key = `${args.path}@${code}:${path.relative(dir, found.path)}`;
      if (!first.has(key)) first.set(key, found.path);
      return { path: first.get(key) };
    });
  },
};
const EXTERNAL_RE = new RegExp(`^(${EXTERNAL.map((e) => e.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')).join('|')})$`);

const common = { ...base, plugins: [...base.plugins, sharedApi, await semconvUsedOnly(), oneCopyPerCode] };

// import.meta.resolve for CommonJS: the "import"/"default" entry of the package's exports.
const cjsImportResolve = `function __obsImportResolve(from, specifier) {
  const { createRequire } = require("node:module");
  const { pathToFileURL } = require("node:url");
  const path = require("node:path");
  const r = createRequire(from);
  const main = r.resolve(specifier);
  // The package folder, up from its CommonJS entry: "exports" need not list ./package.json (the OTel
  // API's does not), so resolving that subpath threw and the preload did not start.
  const tail = path.join("node_modules", specifier);
  let dir = path.dirname(main);
  while (!dir.endsWith(tail) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  let pkg;
  try {
    pkg = JSON.parse(require("node:fs").readFileSync(path.join(dir, "package.json"), "utf8"));
  } catch {
    return pathToFileURL(main).href;
  }
  let entry = pkg.exports && (pkg.exports["."] ?? pkg.exports);
  while (entry && typeof entry === "object") entry = entry.node ?? entry.import ?? entry.default;
  if (typeof entry !== "string") return pathToFileURL(main).href;
  return pathToFileURL(path.join(dir, entry)).href;
}`;

const IMPORT_BANNER = 'const __obsImport = typeof __obsImportFromEntry === "function" ? __obsImportFromEntry : (specifier) => import(specifier);';

// The bundle: one CommonJS file for both entries, run by them through src/lifecycle/startup-code-cache.ts
// (a vm.Script, whose code cache can be taken once start-up has run). CommonJS because only a script
// has that; its wrapper hands in __obsImport, the entry's import().
await build({
  ...common,
  stdin: {
    contents: `export { startForImport } from './register.ts';
export { startForRequire } from './register.cts';`,
    resolveDir: root,
    sourcefile: 'register-bundle.ts',
    loader: 'ts',
  },
  outfile: 'dist/register-bundle.cjs',
  format: 'cjs',
  banner: {
    js: [
      '"use strict";',
      'const __obsRequire = require;',
      'const __obsUrl = (rel) => require("node:url").pathToFileURL(require("node:path").join(__dirname, rel)).href;',
      // Loaded by require() (--enable-source-maps) the bundle is a module of its own and imports itself.
      IMPORT_BANNER,
      cjsImportResolve,
    ].join('\n'),
  },
});
const bundleText = readFileSync(path.join(root, 'dist', 'register-bundle.cjs'), 'utf8');
// An import() left in the bundle would fail at run time: a vm.Script without a module to import from.
const strayImport = /(?<![\w$.])import\(/.exec(bundleText.replace(IMPORT_BANNER, ''));
if (strayImport) throw new Error(`dist/register-bundle.cjs keeps an import() at ${strayImport.index}: route it through __obsImport (ourSources)`);
// src/lifecycle/startup-code-cache.ts reads the bundle as latin1, which is exact for ASCII only.
const nonAscii = /[^\x00-\x7f]/.exec(bundleText);
if (nonAscii) throw new Error(`dist/register-bundle.cjs holds a non-ASCII character at ${nonAscii.index}: it is read as latin1`);
// The code cache's file name: V8 accepts a cache for any source of the same length.
const bundleHash = createHash('sha256').update(bundleText).digest('hex').slice(0, 16);

// The entries: the compile cache on (src/lifecycle/compile-cache.ts, so OBS_COMPILE_CACHE=0 still
// turns it off), then the bundle from its code cache. Each evaluation of an entry runs the bundle
// anew: a second copy loaded as `register.js?x` starts (and is refused by the guard) as a second
// installed copy would.
const ENTRY_ESM = `import { fileURLToPath } from 'node:url';
import { enableCompileCache } from './src/lifecycle/compile-cache.ts';
import { runStartupBundle } from './src/lifecycle/startup-code-cache.ts';
enableCompileCache();
try {
  const bundle = runStartupBundle(fileURLToPath(new URL('./register-bundle.cjs', import.meta.url)), __OBS_BUNDLE_HASH__, (specifier) => import(specifier));
  if (await bundle.startForImport()) bundle.saveLater();
} catch (err) {
  process.stderr.write('@org/obs: failed to start (' + (err instanceof Error ? err.message.split('\\n')[0] : String(err)) + '); the app runs uninstrumented\\n');
}`;
const ENTRY_CJS = `import { enableCompileCache } from './src/lifecycle/compile-cache.ts';
import { runStartupBundle } from './src/lifecycle/startup-code-cache.ts';
enableCompileCache();
try {
  const bundle = runStartupBundle(require('node:path').join(__dirname, 'register-bundle.cjs'), __OBS_BUNDLE_HASH__, (specifier) => import(specifier));
  if (bundle.startForRequire()) bundle.saveLater();
} catch (err) {
  process.stderr.write('@org/obs: failed to start (' + (err instanceof Error ? err.message.split('\\n')[0] : String(err)) + '); the app runs uninstrumented\\n');
}`;
const entryOptions = {
  ...common,
  define: { ...common.define, __OBS_BUNDLE_HASH__: JSON.stringify(bundleHash) },
  sourcemap: false,
  outdir: undefined,
};

await Promise.all([
  build({
    ...entryOptions,
    stdin: { contents: ENTRY_ESM, resolveDir: root, sourcefile: 'register-entry.ts', loader: 'ts' },
    outfile: 'dist/register.js',
    format: 'esm',
    banner: {
      js: [
        "// @org/obs/register (--import): the compile cache on, then the start-up bundle (scripts/bundle.mjs).",
        "import { createRequire as __obsCreateRequire } from 'node:module';",
        'const require = __obsCreateRequire(import.meta.url);',
        'const __obsRequire = require;',
      ].join('\n'),
    },
  }),
  build({
    ...entryOptions,
    stdin: { contents: ENTRY_CJS, resolveDir: root, sourcefile: 'register-entry.cts', loader: 'ts' },
    outfile: 'dist/register.cjs',
    format: 'cjs',
    banner: {
      js: [
        '"use strict";',
        "// @org/obs/register (--require): the compile cache on, then the start-up bundle (scripts/bundle.mjs).",
        'const __obsRequire = require;',
      ].join('\n'),
    },
  }),
]);
