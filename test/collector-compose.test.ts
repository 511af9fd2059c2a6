// Pins collector/docker-compose.yml: it parses, mounts only files that exist, pins every image, declares its named volumes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { collectorDir, readYaml } from './support/collector-files.js';

interface Service {
  image: string;
  volumes?: string[];
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
const compose = readYaml<{ services: Record<string, Service>; volumes: Record<string, unknown> }>(path.join(collectorDir, 'docker-compose.yml'));

void test('the stack has the six services of the design', () => {
  assert.deepEqual(Object.keys(compose.services).sort(), ['alertmanager', 'grafana', 'jaeger', 'loki', 'otelcol', 'prometheus']);
});

void test('every image is pinned to a version (no latest, no floating tag)', () => {
  for (const [name, s] of Object.entries(compose.services)) {
    assert.match(s.image, /:v?\d+\.\d+\.\d+$/, `${name}: ${s.image}`);
  }
});

void test('every bind mount refers to a file or folder that exists in collector/, every named volume is declared', () => {
  let binds = 0;
  for (const [name, s] of Object.entries(compose.services)) {
    for (const v of s.volumes ?? []) {
      const source = v.split(':')[0];
      if (source.startsWith('./')) {
        binds += 1;
        assert.ok(existsSync(path.join(collectorDir, source)), `${name}: ${source} does not exist`);
      } else if (!source.startsWith('/')) {
        assert.ok(source in compose.volumes, `${name}: named volume ${source} not declared`);
      }
    }
  }
  assert.ok(binds >= 8);
});

void test('health checks where the image has a shell; dependants wait for a healthy Prometheus', () => {
  for (const name of ['prometheus', 'alertmanager', 'grafana']) assert.ok(compose.services[name].healthcheck, `${name}: healthcheck`);
  assert.equal(compose.services.otelcol.depends_on?.prometheus.condition, 'service_healthy');
  const prom = compose.services.prometheus as Service & { command: string[] };
  assert.ok(prom.command.includes('--web.enable-otlp-receiver'), 'Prometheus must accept OTLP');
});

void test('the ports the README documents are the ports compose publishes', () => {
  const readme = readFileSync(path.join(collectorDir, 'README.md'), 'utf8');
  for (const [name, s] of Object.entries(compose.services)) {
    for (const p of s.ports ?? []) {
      const host = p.split(':')[0];
      assert.ok(readme.includes(host), `${name}: port ${host} not documented in collector/README.md`);
    }
  }
});
