// Config parsing under hostile input: table-driven cases from the issue, and property tests with
// fast-check over every variable we read: never throws, at most one warning per variable (exactly one
// for a known-bad value) naming it and the default, secrets masked, numbers finite and clamped,
// Object.prototype untouched.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { readConfig, type Config } from '../src/config/config.js';
import { showValue } from '../src/config/env.js';
import { variablesReadByConfig } from './support/config-variables.js';

// Every variable readConfig reads, recorded rather than listed by hand (test/config-variables.test.ts
// checks the same list against docs/variables.md).
const VARIABLES = variablesReadByConfig();

/** Warnings that are about `name` (they start with it). */
function about(warnings: readonly string[], name: string): string[] {
  return warnings.filter((w) => w.startsWith(`${name}=`) || w.startsWith(`${name} `));
}

function prototypeIntact(): void {
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), PROTO_KEYS);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(({} as Record<string, unknown>).x, undefined);
}
const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();

/** Every number in the config is finite. */
function finiteNumbers(value: unknown, at = 'config'): void {
  if (typeof value === 'number') assert.ok(Number.isFinite(value), `${at} = ${value}`);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) finiteNumbers(v, `${at}.${k}`);
}

function check(config: Config): void {
  finiteNumbers(config);
  assert.ok(config.bsp.maxQueueSize >= 1 && config.bsp.maxQueueSize <= 65_536);
  assert.ok(config.bsp.maxExportBatchSize <= config.bsp.maxQueueSize);
  assert.ok(config.blrp.maxExportBatchSize <= config.blrp.maxQueueSize);
  assert.ok(config.sampler.ratio >= 0 && config.sampler.ratio <= 1);
  assert.ok(config.shutdownTimeoutMs >= 100 && config.shutdownTimeoutMs <= 60_000);
  assert.ok(config.prometheus.port >= 0 && config.prometheus.port <= 65_535);
  assert.equal(Object.getPrototypeOf(config.resourceAttributes), null);
}

// [variable, value, expected config check, default named in the warning]
const BAD: [string, string, (c: Config) => void, string][] = [
  ['OTEL_TRACES_SAMPLER_ARG', 'abc', (c) => assert.equal(c.sampler.ratio, 1), '1'],
  ['OTEL_BSP_MAX_QUEUE_SIZE', 'Infinity', (c) => assert.equal(c.bsp.maxQueueSize, 2048), '2048'],
  ['OTEL_BSP_MAX_QUEUE_SIZE', '1e9', (c) => assert.equal(c.bsp.maxQueueSize, 2048), '2048'],
  ['OTEL_BSP_MAX_QUEUE_SIZE', '-5', (c) => assert.equal(c.bsp.maxQueueSize, 2048), '2048'],
  ['OTEL_BSP_MAX_QUEUE_SIZE', '99999999', (c) => assert.equal(c.bsp.maxQueueSize, 65_536), '65536'],
  ['OTEL_BLRP_SCHEDULE_DELAY', 'NaN', (c) => assert.equal(c.blrp.scheduleDelayMs, 1000), '1000'],
  ['OTEL_METRIC_EXPORT_INTERVAL', '1', (c) => assert.equal(c.metricExportIntervalMs, 100), '100'],
  ['OBS_SHUTDOWN_TIMEOUT', '3s', (c) => assert.equal(c.shutdownTimeoutMs, 3000), '3000'],
  ['OBS_SHUTDOWN_TIMEOUT', '999999999', (c) => assert.equal(c.shutdownTimeoutMs, 60_000), '60000'],
  ['OTEL_EXPORTER_PROMETHEUS_PORT', '70000', (c) => assert.equal(c.prometheus.port, 65_535), '65535'],
  ['OTEL_SDK_DISABLED', 'maybe', (c) => assert.equal(c.disabled, false), 'false'],
  ['OTEL_LOG_LEVEL', 'loud', (c) => assert.equal(c.logLevel, 'info'), 'info'],
  ['OBS_DB_STATEMENT', 'everything', (c) => assert.equal(c.dbStatement, 'sanitized'), 'sanitized'],
  ['OBS_OTLP_WRITER', 'protobufjs', (c) => assert.equal(c.otlpTraceWriter, 'obs'), 'obs'],
  ['OTEL_TRACES_SAMPLER', 'sometimes', (c) => assert.equal(c.sampler.name, 'parentbased_always_on'), 'parentbased_always_on'],
  ['OTEL_EXPORTER_OTLP_ENDPOINT', 'not a url', (c) => assert.equal(c.otlp.traces.endpoint, 'http://localhost:4317'), 'default'],
  ['OTEL_EXPORTER_OTLP_PROTOCOL', 'carrier-pigeon', (c) => assert.equal(c.otlp.metrics.protocol, 'http/protobuf'), 'http/protobuf'],
];

for (const [name, value, expect, fallback] of BAD) {
  test(`${name}=${value}: one warning naming the variable and the default used`, () => {
    const env: Record<string, string> = { [name]: value };
    if (name === 'OTEL_TRACES_SAMPLER_ARG') env.OTEL_TRACES_SAMPLER = 'traceidratio';
    const { config, warnings } = readConfig(env);
    expect(config);
    const mine = about(warnings, name);
    assert.equal(mine.length, 1, warnings.join('\n'));
    assert.ok(mine[0].includes(fallback), mine[0]);
    assert.equal(warnings.length, 1, warnings.join('\n'));
  });
}

test('OTEL_SDK_DISABLED accepts the spec\'s true (any case) and common forms; false forms leave it on', () => {
  for (const v of ['true', 'TRUE', 'True', '1', 'yes', 'on', ' true ']) assert.equal(readConfig({ OTEL_SDK_DISABLED: v }).config.disabled, true, v);
  for (const v of ['false', 'FALSE', '0', 'no', 'off', '']) assert.equal(readConfig({ OTEL_SDK_DISABLED: v }).config.disabled, false, v);
});

test('good values produce no warning', () => {
  const { warnings } = readConfig({
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25', OTEL_BSP_MAX_QUEUE_SIZE: '4096',
    OBS_SHUTDOWN_TIMEOUT: '5000', OBS_DB_STATEMENT: 'off', OTEL_RESOURCE_ATTRIBUTES: 'a=b,c=d%20e', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
  });
  assert.deepEqual(warnings, []);
});

test('secrets are masked in warnings: secret-looking variables entirely, credentials and secret pairs in others', () => {
  assert.equal(showValue('OTEL_EXPORTER_OTLP_HEADERS', 'authorization=Bearer abc'), '"REDACTED"');
  assert.equal(showValue('OBS_API_TOKEN', 'abc'), '"REDACTED"');
  const endpoint = readConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://user:hunter2@collector?key=zzz' }).warnings.join('\n');
  assert.ok(endpoint.includes('OTEL_EXPORTER_OTLP_ENDPOINT'));
  assert.doesNotMatch(endpoint, /hunter2|zzz/);
  const attrs = readConfig({ OTEL_RESOURCE_ATTRIBUTES: 'token=s3cr3t,broken' }).warnings.join('\n');
  assert.ok(attrs.includes('OTEL_RESOURCE_ATTRIBUTES'));
  assert.doesNotMatch(attrs, /s3cr3t/);
});

test('__proto__ and constructor keys in OTEL_RESOURCE_ATTRIBUTES stay plain data', () => {
  const { config } = readConfig({ OTEL_RESOURCE_ATTRIBUTES: '__proto__=polluted,constructor=x,prototype=y,%5F%5Fproto%5F%5F=z,x=1' });
  prototypeIntact();
  assert.equal(config.resourceAttributes.__proto__, 'z');
  assert.equal(config.resourceAttributes.constructor, 'x');
  assert.equal(config.resourceAttributes.x, '1');
});

const HOSTILE = [
  '', ' ', '\t\n', 'Infinity', '-Infinity', 'NaN', '1e309', '-0', '0x10', '0b1', '1_000', '١٢٣', '１２３', '1.5', '-1', '2147483648',
  '9007199254740993', 'true', 'null', 'undefined', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty',
  '__proto__=polluted', 'constructor=x', '__proto__[polluted]=1', '{"__proto__":{"polluted":1}}', '%', '%E0%A4%A', '%00', '\u0000',
  '\uD800', '\uFFFF', '💥', '=', ',,,', '=,=,=', 'a=', '=b', 'a==b', 'http://', 'http://[::1', 'javascript:alert(1)', 'file:///etc/passwd',
  'http://user:pw@host:99999', 'grpc', 'none', 'none,otlp', 'otlp,otlp,otlp', 'A'.repeat(10_000), '1'.repeat(400), ';rm -rf /', '$(id)',
  '${HOME}', '../../etc/passwd', '\r\nX-Injected: 1',
];

test(`property: ${HOSTILE.length} hostile values on each of ${VARIABLES.length} variables never throw and warn at most once per variable`, () => {
  for (const name of VARIABLES) {
    for (const value of HOSTILE) {
      let result: ReturnType<typeof readConfig> | undefined;
      assert.doesNotThrow(() => (result = readConfig({ [name]: value })), `${name}=${JSON.stringify(value).slice(0, 40)}`);
      check(result!.config);
      const mine = about(result!.warnings, name);
      assert.ok(mine.length <= 1, `${name}=${JSON.stringify(value).slice(0, 40)} gave ${mine.length} warnings:\n${mine.join('\n')}`);
      for (const w of mine) assert.match(w, /using /, w);
    }
  }
  prototypeIntact();
});

test('property (fast-check): random environments never throw, keep numbers finite and clamped, never pollute', () => {
  const value = fc.oneof(
    fc.string({ maxLength: 60 }),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.constantFrom(...HOSTILE),
    fc.double().map(String),
    fc.integer().map(String),
    fc.bigInt().map(String),
    fc.array(fc.tuple(fc.constantFrom('__proto__', 'constructor', 'a', 'token', ''), fc.string({ maxLength: 8 })), { maxLength: 5 })
      .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join(',')),
  );
  const env = fc.dictionary(fc.constantFrom(...VARIABLES), value, { maxKeys: 12 });
  fc.assert(fc.property(env, (e) => {
    const { config, warnings } = readConfig(e);
    check(config);
    for (const name of Object.keys(e)) assert.ok(about(warnings, name).length <= 1, `${name}: ${about(warnings, name).join(' | ')}`);
    for (const w of warnings) assert.ok(w.length < 600, `warning too long (${w.length})`);
  }), { numRuns: 400 });
  prototypeIntact();
});

test('OTEL_BSP_MAX_EXPORT_BATCH_SIZE beyond the range and the queue size: still one warning', () => {
  const { warnings } = readConfig({ OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '2147483648' });
  assert.equal(about(warnings, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE').length, 1, warnings.join('\n'));
});

test('property (fast-check): a bad number always yields exactly one warning with the clamped or default value', () => {
  fc.assert(fc.property(fc.oneof(fc.double({ noDefaultInfinity: false }), fc.integer({ min: -1e12, max: 1e12 })), (n) => {
    const { config, warnings } = readConfig({ OBS_SHUTDOWN_TIMEOUT: String(n) });
    const ok = Number.isInteger(n) && n >= 100 && n <= 60_000 && String(n) === String(Math.trunc(n)) && !String(n).startsWith('-');
    assert.equal(about(warnings, 'OBS_SHUTDOWN_TIMEOUT').length, ok ? 0 : 1, `${n}: ${warnings.join(' | ')}`);
    assert.ok(config.shutdownTimeoutMs >= 100 && config.shutdownTimeoutMs <= 60_000);
  }), { numRuns: 300 });
});
