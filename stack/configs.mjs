// The native run's copies of the users' config files: the same files, only container paths and Docker hostnames
// mapped to this host (and, for otelcol, without the components this machine's build could not include, as
// `otelcol-contrib components` lists them). collector/jaeger/jaeger.yaml is used as it is (its ports are env vars).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { collectorDir } from './paths.mjs';

/** The ports of the native run: Docker's, except Jaeger's, which would clash with otelcol's on one host. */
export const PORTS = {
  otlpGrpc: 4317,
  otlpHttp: 4318,
  otelcolHealth: 13133,
  otelcolMetrics: 8888,
  prometheus: 9090,
  alertmanager: 9093,
  jaegerQuery: 16686,
  jaegerQueryGrpc: 16685,
  jaegerOtlpGrpc: 14317,
  jaegerOtlpHttp: 14318,
  jaegerHealth: 14133,
  jaegerMetrics: 14888,
  logs: 9428,
};

/** Docker service names (and the container's /hostfs) → where the native run has them. Loki → the logs store. */
export const OTELCOL_HOSTS = [
  ['http://prometheus:9090', `http://127.0.0.1:${PORTS.prometheus}`],
  ['http://alertmanager:9093', `http://127.0.0.1:${PORTS.alertmanager}`],
  ['http://jaeger:13133/status', `http://127.0.0.1:${PORTS.jaegerHealth}/status`],
  ['jaeger:4317', `127.0.0.1:${PORTS.jaegerOtlpGrpc}`],
  ['http://loki:3100/otlp', `http://127.0.0.1:${PORTS.logs}/insert/opentelemetry`],
  ['http://loki:3100/ready', `http://127.0.0.1:${PORTS.logs}/health`],
  ['root_path: /hostfs', 'root_path: /'],
];

/** prometheus.yml: Docker hostnames → loopback, rule files from the repo; optionally faster scrape/evaluation (tests). */
export function writePrometheusConfig(dir, { interval } = {}) {
  let text = readFileSync(path.join(collectorDir, 'prometheus/prometheus.yml'), 'utf8');
  text = text
    .replaceAll('"otelcol:8888"', `"127.0.0.1:${PORTS.otelcolMetrics}"`)
    .replaceAll('"alertmanager:9093"', `"127.0.0.1:${PORTS.alertmanager}"`)
    .replaceAll('"localhost:9090"', `"127.0.0.1:${PORTS.prometheus}"`)
    .replaceAll('/etc/prometheus/rules/', `${path.join(collectorDir, 'prometheus/rules')}/`);
  if (interval) {
    // Only the global intervals: the rules' `for:` stay as shipped.
    text = text.replace(/scrape_interval: \S+/, `scrape_interval: ${interval}`).replace(/evaluation_interval: \S+/, `evaluation_interval: ${interval}`);
  }
  const file = path.join(dir, 'prometheus.yml');
  writeFileSync(file, text);
  return file;
}

/**
 * alertmanager.yml: the secrets folder → a folder of the state dir, filled from collector/secrets/ (or from
 * OBS_STACK_SECRETS_DIR, e.g. the test's stand-in URLs); OBS_STACK_PAGERDUTY_URL maps the PagerDuty host.
 */
export function writeAlertmanagerConfig(dir, env = process.env) {
  const secretsSrc = env.OBS_STACK_SECRETS_DIR ?? path.join(collectorDir, 'secrets');
  const secrets = path.join(dir, 'secrets');
  mkdirSync(secrets, { recursive: true, mode: 0o700 });
  for (const name of ['slack_webhook_url', 'pagerduty_routing_key']) {
    const real = path.join(secretsSrc, name);
    // Without a real secret the example placeholder keeps Alertmanager valid; its sends then fail, visibly.
    copyFileSync(existsSync(real) ? real : path.join(collectorDir, 'secrets', `${name}.example`), path.join(secrets, name));
  }
  let text = readFileSync(path.join(collectorDir, 'alertmanager/alertmanager.yml'), 'utf8');
  text = text.replaceAll('/etc/alertmanager/secrets/', `${secrets}/`);
  if (env.OBS_STACK_PAGERDUTY_URL) {
    const doc = YAML.parse(text);
    doc.global = { ...doc.global, pagerduty_url: env.OBS_STACK_PAGERDUTY_URL };
    text = YAML.stringify(doc);
  }
  const file = path.join(dir, 'alertmanager.yml');
  writeFileSync(file, text);
  return file;
}

/** Component ids the built collector has, by kind (`otelcol-contrib components` prints YAML). */
export function builtComponents(otelcol) {
  const r = spawnSync(otelcol, ['components'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${otelcol} components failed: ${r.stderr}`);
  const doc = YAML.parse(r.stdout);
  const out = {};
  for (const kind of ['receivers', 'processors', 'exporters', 'extensions', 'connectors']) {
    out[kind] = new Set();
    for (const c of doc[kind] ?? []) {
      out[kind].add(c.name);
      // Deprecated aliases (otlp → otlp_grpc, ...) still load.
      if (c.deprecated_alias) out[kind].add(c.deprecated_alias);
    }
  }
  return out;
}

/** New (2026 snake_case) component names → the names of the older modules the native build may carry. */
const OLD_NAMES = { http_check: 'httpcheck' };
/** Set when the manifest's postgresql receiver catches up with the Docker image's (then nothing is stripped). */
const OLD_RECEIVERS_OK = false;

/**
 * A copy of an otelcol config with hostnames mapped (OTELCOL_HOSTS), without the components whose type the
 * build lacks (nor them in the pipelines). Returns the path and what was dropped, so callers can say it.
 */
export function writeOtelcolConfig(dir, source, components, name = path.basename(source)) {
  let text = readFileSync(source, 'utf8');
  for (const [from, to] of OTELCOL_HOSTS) text = text.replaceAll(from, to);
  const doc = YAML.parse(text);
  const dropped = [];
  const skipped = [];
  // A component the native build has only under its pre-rename name (an older module, see the manifest).
  const renamed = {};
  for (const kind of ['receivers', 'processors', 'exporters', 'extensions', 'connectors']) {
    for (const id of Object.keys(doc[kind] ?? {})) {
      const [type, ...rest] = id.split('/');
      const old = OLD_NAMES[type];
      if (!components[kind].has(type) && old && components[kind].has(old)) {
        const to = [old, ...rest].join('/');
        doc[kind][to] = doc[kind][id];
        delete doc[kind][id];
        renamed[id] = to;
      }
    }
  }
  for (const pipeline of Object.values(doc.service?.pipelines ?? {})) {
    for (const key of ['receivers', 'processors', 'exporters']) {
      if (pipeline[key]) pipeline[key] = pipeline[key].map((id) => renamed[id] ?? id);
    }
  }
  for (const kind of ['receivers', 'processors', 'exporters', 'extensions', 'connectors']) {
    for (const id of Object.keys(doc[kind] ?? {})) {
      const type = id.split('/')[0];
      if (!components[kind].has(type)) {
        delete doc[kind][id];
        dropped.push(`${kind}/${id}`);
      }
    }
  }
  // The native postgresql receiver (v0.148.0, the newest the proxy serves) predates its server.address /
  // server.port resource attributes (0.161.0 in the Docker image has them): its config must not name them.
  const pgOld = !OLD_RECEIVERS_OK && doc.receivers?.postgresql?.resource_attributes;
  if (pgOld) {
    for (const key of ['server.address', 'server.port']) {
      if (key in pgOld) {
        delete pgOld[key];
        skipped.push(`postgresql resource_attributes.${key} (not in the v0.148.0 receiver)`);
      }
    }
    if (Object.keys(pgOld).length === 0) delete doc.receivers.postgresql.resource_attributes;
  }
  // Synthetic checks of services the native run does not have (Grafana) would only ever fail here.
  for (const [id, rec] of Object.entries(doc.receivers ?? {})) {
    if (!['http_check', 'httpcheck'].includes(id.split('/')[0]) || !Array.isArray(rec?.targets)) continue;
    rec.targets = rec.targets.filter((t) => {
      const local = /^https?:\/\/127\.0\.0\.1[:/]/.test(t.endpoint ?? '');
      if (!local) skipped.push(`${id} target ${t.endpoint} (not run natively)`);
      return local;
    });
  }
  const gone = new Set(dropped.map((d) => d.slice(d.indexOf('/') + 1)));
  for (const pipeline of Object.values(doc.service?.pipelines ?? {})) {
    for (const key of ['receivers', 'processors', 'exporters']) {
      if (pipeline[key]) pipeline[key] = pipeline[key].filter((id) => !gone.has(id));
    }
  }
  if (doc.service?.extensions) doc.service.extensions = doc.service.extensions.filter((id) => !gone.has(id));
  const file = path.join(dir, name);
  writeFileSync(file, YAML.stringify(doc));
  return { file, dropped, skipped };
}
