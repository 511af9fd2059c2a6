// The effective configuration with anything secret-looking masked, for `obs doctor` and debug output.
import type { Config } from './config.js';
import { redactUrl } from './redact/url.js';

export function maskedConfig(config: Config): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
  const otlp = plain.otlp as Record<string, { endpoint: string }>;
  for (const target of Object.values(otlp)) target.endpoint = redactUrl(target.endpoint, new Set());
  const attrs = plain.resourceAttributes as Record<string, string>;
  for (const key of Object.keys(attrs)) if (/secret|token|password|key|auth/i.test(key)) attrs[key] = '***';
  return plain;
}
