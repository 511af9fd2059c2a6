// The resource every signal carries: service identity from env or the app's package.json, then host,
// OS, process and container facts. No network probes unless the user lists a cloud detector.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Resource, ResourceDetector } from '@opentelemetry/resources';
import { appPackage } from '../host/app-package.js';
import { containerId } from '../host/container-id.js';
import type { Config } from '../config/config.js';
import { log } from '../log.js';
import { OBS_VERSION } from '../host/obs-version.js';
import { otel, otelPackage } from './otel.js';

const {
  defaultResource, detectResources, envDetector, hostDetector, osDetector, resourceFromAttributes,
} = otel('@opentelemetry/resources');

/** Process facts without process.command_args: arguments can carry secrets (--password=...). */
const safeProcessDetector: ResourceDetector = {
  detect: () => ({
    attributes: {
      'process.pid': process.pid,
      'process.executable.name': process.title,
      'process.executable.path': process.execPath,
      'process.runtime.name': 'nodejs',
      'process.runtime.version': process.versions.node,
      'process.runtime.description': 'Node.js',
      ...(process.argv[1] ? { 'process.command': process.argv[1] } : {}),
    },
  }),
};

/** A random UUID v4 (version nibble 4, variant bits 10) from Math.random. */
export function randomUuidV4(): string {
  const hex = (digits: number): string => Math.floor(Math.random() * 16 ** digits).toString(16).padStart(digits, '0');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + Math.floor(Math.random() * 4)).toString(16)}${hex(3)}-${hex(12)}`;
}

/**
 * service.instance.id, a random UUID v4 per process as upstream's serviceInstanceIdDetector makes it,
 * but from Math.random rather than node:crypto: the id must be unique, not secret (the SDK's default
 * id generator draws trace and span ids from Math.random too; ours, sdk/pooled-ids.ts, loads crypto at the first span), and node:crypto with its ~15 internal modules cost 5-10 ms of every
 * start-up here (a require after the others, 2026-12-05). The exporters' warm-up loads it later, off the app's first line.
 */
let instanceId: string | undefined;
const serviceInstanceDetector: ResourceDetector = {
  detect: () => ({ attributes: { 'service.instance.id': (instanceId ??= randomUuidV4()) } }),
};

const ARCH: Record<string, string> = { arm: 'arm32', ppc: 'ppc32', x64: 'amd64' };

/**
 * Upstream's hostDetector resolves host.id through an asynchronous file read behind a dynamic import,
 * so spans wait for it before export and a crash in the first tens of milliseconds loses them (the
 * crash path must send synchronously). On Linux the id is one small file: read it now.
 */
const linuxHostDetector: ResourceDetector = {
  detect: () => {
    let id: string | undefined;
    for (const file of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
      try {
        id = readFileSync(file, 'utf8').trim() || undefined;
        if (id) break;
      } catch {
        // not on this distribution
      }
    }
    return { attributes: { 'host.name': hostname(), 'host.arch': ARCH[process.arch] ?? process.arch, ...(id ? { 'host.id': id } : {}) } };
  },
};

const containerDetector: ResourceDetector = {
  detect: () => {
    const id = containerId();
    return { attributes: id ? { 'container.id': id } : {} };
  },
};

/** Cloud detectors live in optional packages and probe metadata endpoints, so they run only when named. */
const CLOUD: Record<string, { pkg: string; exports: string[] }> = {
  aws: { pkg: '@opentelemetry/resource-detector-aws', exports: ['awsEc2Detector', 'awsEcsDetector', 'awsEksDetector', 'awsLambdaDetector'] },
  gcp: { pkg: '@opentelemetry/resource-detector-gcp', exports: ['gcpDetector'] },
  azure: { pkg: '@opentelemetry/resource-detector-azure', exports: ['azureAppServiceDetector', 'azureFunctionsDetector', 'azureVmDetector'] },
  alibaba: { pkg: '@opentelemetry/resource-detector-alibaba-cloud', exports: ['alibabaCloudEcsDetector'] },
};

function cloudDetectors(name: string): ResourceDetector[] {
  const spec = CLOUD[name];
  try {
    const mod = otelPackage(spec.pkg) as Record<string, ResourceDetector | undefined>;
    return spec.exports.map((e) => mod[e]).filter((d): d is ResourceDetector => d !== undefined);
  } catch {
    log.warn(`OTEL_NODE_RESOURCE_DETECTORS names "${name}" but ${spec.pkg} is not installed; skipping it (npm install ${spec.pkg})`);
    return [];
  }
}

function detectors(names: readonly string[]): ResourceDetector[] {
  if (names.includes('none')) return [];
  const all = names.includes('all');
  const local: Record<string, ResourceDetector> = {
    env: envDetector, host: process.platform === 'linux' ? linuxHostDetector : hostDetector, os: osDetector, process: safeProcessDetector,
    serviceinstance: serviceInstanceDetector, container: containerDetector,
  };
  const out: ResourceDetector[] = [];
  for (const [name, d] of Object.entries(local)) if (all || names.includes(name)) out.push(d);
  for (const name of Object.keys(CLOUD)) if (all || names.includes(name)) out.push(...cloudDetectors(name));
  return out;
}

export function buildResource(config: Config): Resource {
  const pkg = appPackage();
  const fromEnv = config.resourceAttributes;
  // Lowest precedence first: package.json and NODE_ENV fill only what the user did not set.
  const defaults: Record<string, string> = {
    'service.name': pkg.name ?? 'unknown_service:node',
    'telemetry.distro.name': '@org/obs',
    'telemetry.distro.version': OBS_VERSION,
  };
  if (pkg.version) defaults['service.version'] = pkg.version;
  const nodeEnv = process.env.NODE_ENV?.trim();
  if (nodeEnv) defaults['deployment.environment.name'] = nodeEnv;

  let resource = defaultResource().merge(resourceFromAttributes(defaults)).merge(detectResources({ detectors: detectors(config.resourceDetectors) }));
  // OTEL_RESOURCE_ATTRIBUTES was already applied by envDetector when listed; apply it again in case it was not.
  resource = resource.merge(resourceFromAttributes({ ...fromEnv }));
  if (config.serviceName) resource = resource.merge(resourceFromAttributes({ 'service.name': config.serviceName }));
  return resource;
}
