// The configurations the benchmark compares: how each one starts the same fixture app.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureOfficial, OFFICIAL_VERSION } from './official.mjs';
import { assertBuilt, REGISTER_SPECIFIER } from './package.mjs';

// Same for every instrumented configuration: 100 % sampling, all three signals, metrics exported
// every 5 s (the 60 s default would send nothing during a run).
const COMMON_OTEL_ENV = {
  OTEL_SERVICE_NAME: 'bench-app',
  OTEL_TRACES_SAMPLER: 'parentbased_always_on',
  OTEL_METRIC_EXPORT_INTERVAL: '5000',
};

export const ALL_CONFIGS = ['plain', 'obs', 'official', 'official-min'];

/**
 * @typedef {{ traces: boolean, spansPerWork: number, logs: boolean, metrics: boolean }} Expect
 * @typedef {{ name: string, label: string, base?: string, execArgv: string[], env: Record<string, string>, expect: Expect | null }} Config
 * @typedef {{ repoDir: string, benchDir: string, sink: import('./sink.mjs').Sink, log: (msg: string) => void }} Context
 */

/**
 * @param {string} name
 * @param {Context} ctx
 * @returns {Config}
 */
export function buildConfig(name, { benchDir, sink, log }) {
  switch (name) {
    case 'plain':
      return { name, label: 'plain node', execArgv: [], env: {}, expect: null };
    case 'obs': {
      assertBuilt();
      return {
        name,
        label: REGISTER_SPECIFIER,
        // Resolved through the package's self-reference, as a user's `--import @org/obs/register` is.
        execArgv: ['--import', REGISTER_SPECIFIER],
        env: { ...COMMON_OTEL_ENV, ...sink.env() },
        expect: { traces: true, spansPerWork: 5, logs: true, metrics: true },
      };
    }
    case 'official':
    case 'official-min': {
      const { register, esmHook } = ensureOfficial(benchDir, log);
      /** @type {Record<string, string>} */
      const env = {
        ...COMMON_OTEL_ENV,
        // The official package's own default transport: OTLP/HTTP protobuf for all signals.
        OTEL_EXPORTER_OTLP_ENDPOINT: sink.httpUrl,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      };
      if (name === 'official-min') env.OTEL_NODE_ENABLED_INSTRUMENTATIONS = 'http,pg,redis';
      return {
        name,
        label: name === 'official' ? `official register ${OFFICIAL_VERSION}` : 'official, only http,pg,redis',
        // The app is ESM: without the loader hook its `import http from 'node:http'` is never
        // patched (upstream's ESM instructions add it; the table measured it working).
        execArgv: ['--experimental-loader', pathToFileURL(esmHook).href, '--import', pathToFileURL(register).href],
        env,
        // Without the pino instrumentation the official-min set sends no logs.
        expect: { traces: true, spansPerWork: 5, logs: name === 'official', metrics: true },
      };
    }
    default:
      throw new Error(`unknown configuration ${name} (known: ${ALL_CONFIGS.join(', ')})`);
  }
}

/**
 * A variant: a base configuration with extra environment, e.g. "obs-nometrics=obs:OTEL_METRICS_EXPORTER=none"
 * or "obs-raw=obs:OBS_DB_STATEMENT=raw,OTEL_BSP_MAX_EXPORT_BATCH_SIZE=1024", to price one setting;
 * "obs-before=obs:BENCH_REGISTER=../old/dist/register.js" runs another build of the preload.
 * Signals switched off with OTEL_*_EXPORTER=none are not expected at the sink.
 */
/** @param {string} spec @param {Context} ctx @returns {Config} */
export function buildVariant(spec, ctx) {
  const match = /^([\w.-]+)=([\w-]+):(.+)$/.exec(spec);
  if (!match) throw new Error(`--variant "${spec}": expected NAME=BASE:KEY=VALUE[,KEY=VALUE...]`);
  const [, name, baseName, pairs] = match;
  if (ALL_CONFIGS.includes(name)) throw new Error(`--variant "${spec}": ${name} is a built-in configuration`);
  const base = buildConfig(baseName, ctx);
  /** @type {Record<string, string>} */
  const extra = {};
  for (const pair of pairs.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--variant "${spec}": bad KEY=VALUE "${pair}"`);
    extra[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  // BENCH_REGISTER=<path>: the base's preload from another build (a copy of an earlier dist/), so a
  // change is measured before/after in one interleaved run; not passed to the app.
  let execArgv = base.execArgv;
  if (extra.BENCH_REGISTER !== undefined) {
    const at = execArgv.indexOf(REGISTER_SPECIFIER);
    if (at < 0) throw new Error(`--variant "${spec}": BENCH_REGISTER needs a base that loads ${REGISTER_SPECIFIER}`);
    execArgv = [...execArgv.slice(0, at), pathToFileURL(path.resolve(extra.BENCH_REGISTER)).href, ...execArgv.slice(at + 1)];
    delete extra.BENCH_REGISTER;
  }
  const env = { ...base.env, ...extra };
  // A variant that switches a signal's protocol also needs the sink's endpoint for that protocol.
  for (const signal of ['TRACES', 'METRICS', 'LOGS']) {
    const protocol = extra[`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`];
    if (protocol === undefined || extra[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`] !== undefined || !(`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT` in base.env)) continue;
    env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`] = protocol === 'grpc' ? ctx.sink.grpcUrl : `${ctx.sink.httpUrl}/v1/${signal.toLowerCase()}`;
  }
  /** @param {string} signal */
  const off = (signal) => String(env[`OTEL_${signal}_EXPORTER`] ?? '').split(',').includes('none');
  const expect = base.expect && {
    ...base.expect,
    traces: base.expect.traces && !off('TRACES'),
    metrics: base.expect.metrics && !off('METRICS'),
    logs: base.expect.logs && !off('LOGS'),
  };
  return { ...base, name, base: baseName, label: `${base.label} + ${pairs}`, execArgv, env, expect };
}
