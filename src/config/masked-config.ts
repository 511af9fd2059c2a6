// The effective configuration with anything secret-looking masked, for `obs doctor` and debug output:
// the same rules as exported data (src/redact/), so the doctor report is never the leaky copy.
import type { Config } from './config.js';
import { createRedactor } from '../redact/redactor.js';
import { secretKeyMatcher } from '../redact/keys.js';
import { REDACTED } from '../redact/url.js';

export function maskedConfig(config: Config): Record<string, unknown> {
  const plain = JSON.parse(JSON.stringify(config)) as Record<string, unknown>;
  const redactor = createRedactor({ extraSecretKeys: config.redactKeys, keepQueryKeys: [], dbStatement: config.dbStatement });
  const otlp = plain.otlp as Record<string, { endpoint: string }>;
  for (const target of Object.values(otlp)) target.endpoint = redactor.text(target.endpoint);
  const attrs = plain.resourceAttributes as Record<string, string>;
  // Broader than the attribute rule on purpose: `key` and `auth` alone, for a report read by people.
  const secretName = secretKeyMatcher(config.redactKeys, { forPeople: true });
  for (const key of Object.keys(attrs)) if (secretName(key)) attrs[key] = REDACTED;
  redactor.attributes(attrs);
  return plain;
}
