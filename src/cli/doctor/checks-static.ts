// Findings that need no running app: Node version, preload installed and wired, configuration,
// instrumented modules' versions, and whether the Prometheus port is free.
import { readConfig, type Config } from '../../config/config.js';
import type { Finding } from './finding.js';
import { maskValue } from './mask.js';
import { portIsFree } from './port.js';
import type { ProjectFacts } from './project.js';
import { satisfiesRange } from '../../instrumentations/supported.js';

export const NODE_RANGE = '>=22.15.0';

export function runtimeFindings(nodeVersion: string, facts: ProjectFacts): Finding[] {
  const ok = satisfiesRange(nodeVersion.replace(/^v/, ''), NODE_RANGE);
  const system = facts.moduleSystem === 'esm' ? 'ESM' : 'CommonJS';
  // A package.json without "type" is CommonJS by Node's default: say that, not a field that is not there.
  const type = facts.packageJson?.type;
  const why = facts.entry?.match(/\.[cm]js$/) ? `${facts.entry} extension` : type !== undefined ? `package.json "type": ${JSON.stringify(type)}` : 'package.json has no "type": CommonJS by default';
  return [
    ok
      ? { id: 'runtime.node', section: 'runtime', level: 'ok', text: `Node ${nodeVersion} (needs ${NODE_RANGE})` }
      : { id: 'runtime.node', section: 'runtime', level: 'fail', text: `Node ${nodeVersion} is too old for the preload (needs ${NODE_RANGE})`, fix: 'upgrade Node to 22.15 or later (OpenTelemetry JS 3.x needs it)' },
    { id: 'runtime.modules', section: 'runtime', level: 'info', text: `module system: ${system} (${why})${facts.entry ? `, entry ${facts.entry}` : ''}` },
  ];
}

export function preloadInstallFindings(facts: ProjectFacts, env: NodeJS.ProcessEnv): Finding[] {
  const out: Finding[] = [];
  if (facts.obsResolved) {
    out.push({ id: 'preload.installed', section: 'preload', level: 'ok', text: '@org/obs is installed in this project' });
  } else {
    out.push({ id: 'preload.installed', section: 'preload', level: 'fail', text: '@org/obs does not resolve from this folder', fix: 'npm install @org/obs (in the service folder)' });
  }
  const wired = /@org\/obs\/register/.test(env.NODE_OPTIONS ?? '') || /@org\/obs\/register/.test(facts.packageJson?.scripts?.start ?? '');
  out.push(wired
    ? { id: 'preload.wired', section: 'preload', level: 'ok', text: 'start command loads @org/obs/register' }
    : { id: 'preload.wired', section: 'preload', level: 'info', text: 'no start command here loads the preload yet', fix: 'start with: node --import @org/obs/register server.js (or NODE_OPTIONS="--import @org/obs/register")' });
  return out;
}

export function effectiveConfig(env: NodeJS.ProcessEnv): { config: Config; warnings: readonly string[] } {
  return readConfig(env);
}

/** The service.name the preload will use (src/sdk/resource.ts): OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, package.json, default. */
function effectiveServiceName(config: Config, packageName: string | undefined): string {
  return config.serviceName ?? config.resourceAttributes['service.name'] ?? packageName ?? 'unknown_service:node';
}

export function configFindings(env: NodeJS.ProcessEnv, config: Config, warnings: readonly string[], packageName?: string): Finding[] {
  const out: Finding[] = [];
  if (config.disabled) {
    out.push({ id: 'config.disabled', section: 'config', level: 'fail', text: 'OTEL_SDK_DISABLED=true: the preload will do nothing', fix: 'unset OTEL_SDK_DISABLED' });
  }
  out.push(config.serviceName
    ? { id: 'config.service', section: 'config', level: 'ok', text: `service.name = ${config.serviceName}` }
    : { id: 'config.service', section: 'config', level: 'warn', text: `OTEL_SERVICE_NAME is not set: service.name will be "${effectiveServiceName(config, packageName)}"`, fix: 'set OTEL_SERVICE_NAME=<your service>' });
  out.push({ id: 'config.sampler', section: 'config', level: 'info', text: `sampler ${config.sampler.name}${config.sampler.name.endsWith('ratio') ? ` ${config.sampler.ratio}` : ''}` });
  const vars = Object.keys(env).filter((k) => /^(OTEL|OBS)_/.test(k) && k !== 'OBS_DOCTOR_REPORT').sort();
  for (const name of vars) {
    out.push({ id: `config.env.${name}`, section: 'config', level: 'info', text: `${name}=${maskValue(name, env[name] ?? '')}` });
  }
  for (const w of warnings) out.push({ id: 'config.warning', section: 'config', level: 'warn', text: w });
  return out;
}

export function moduleFindings(facts: ProjectFacts): Finding[] {
  const out: Finding[] = [];
  for (const m of facts.modules) {
    const id = `module.${m.module}`;
    if (m.notCovered) {
      out.push({ id, section: 'instrumentations', level: 'info', text: `${m.module} ${m.installedVersion ?? m.declared}: ${m.notCovered}` });
    } else if (m.installedVersion === undefined) {
      out.push({ id, section: 'instrumentations', level: 'warn', text: `${m.module} ${m.declared} is declared but not installed`, fix: 'run npm install' });
    } else if (m.supported === false) {
      out.push({
        id, section: 'instrumentations', level: 'fail',
        text: `${m.module} ${m.installedVersion} is outside ${m.range} (${m.instrumentation}): it will not be traced`,
        fix: `install a supported ${m.module} (${m.range}) or expect no ${m.module} telemetry`,
      });
    } else {
      out.push({ id, section: 'instrumentations', level: 'ok', text: `${m.module} ${m.installedVersion} supported (${m.range})` });
    }
  }
  if (facts.modules.length === 0) {
    out.push({ id: 'module.none', section: 'instrumentations', level: 'info', text: 'no instrumented library in package.json (http is always traced)' });
  }
  return out;
}

export async function portFindings(config: Config): Promise<Finding[]> {
  return [...(await prometheusPort(config)), ...(await healthPort(config))];
}

async function healthPort(config: Config): Promise<Finding[]> {
  const { healthPort: port, healthHost: host } = config.signals;
  if (port === undefined || port === 0) return [];
  const { free, reason } = await portIsFree(port, host);
  return [free
    ? { id: 'ports.health', section: 'ports', level: 'ok', text: `health probe port ${host}:${port} (OBS_HEALTH_PORT) is free` }
    : { id: 'ports.health', section: 'ports', level: 'fail', text: `health probe port ${host}:${port} (OBS_HEALTH_PORT) is taken (${reason})`, fix: 'stop what holds it or set OBS_HEALTH_PORT to a free port' }];
}

async function prometheusPort(config: Config): Promise<Finding[]> {
  const { host, port } = config.prometheus;
  const wanted = config.exporters.metrics.includes('prometheus');
  if (port === 0) return [{ id: 'ports.prometheus', section: 'ports', level: 'info', text: 'Prometheus port 0: an ephemeral port is chosen at start' }];
  const { free, reason } = await portIsFree(port, host);
  if (free) {
    return [{ id: 'ports.prometheus', section: 'ports', level: 'ok', text: `Prometheus/probe port ${host}:${port} is free${wanted ? '' : ' (used when OTEL_METRICS_EXPORTER has prometheus)'}` }];
  }
  return [{
    id: 'ports.prometheus', section: 'ports', level: wanted ? 'fail' : 'warn',
    text: `Prometheus/probe port ${host}:${port} is taken (${reason})`,
    fix: 'stop what holds it or set OTEL_EXPORTER_PROMETHEUS_PORT to a free port',
  }];
}
