// The resource with its attributes redacted: OTEL_RESOURCE_ATTRIBUTES items travel on every export
// and become target_info on the Prometheus page, so they pass the same rules as span attributes.
// Attributes still being detected (cloud detectors answer asynchronously) are redacted when they settle.
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { otel } from '../sdk/otel.js';

const { resourceFromAttributes } = otel('@opentelemetry/resources');

type Maybe = AttributeValue | undefined;

function redactOne(key: string, value: Maybe, redact: (attrs: Attributes) => void): Maybe {
  if (value === undefined) return value;
  const one: Attributes = { [key]: value };
  redact(one);
  return one[key];
}

export function redactResource(resource: Resource, redact: (attrs: Attributes) => void): Resource {
  const out: Record<string, Maybe | Promise<Maybe>> = Object.create(null) as Record<string, Maybe>;
  for (const [key, value] of resource.getRawAttributes()) {
    // The first occurrence is the one the resource reports (merge puts the winning side first).
    if (key in out) continue;
    out[key] = value instanceof Promise
      ? value.then((v: Maybe) => redactOne(key, v, redact), () => undefined)
      : redactOne(key, value, redact);
  }
  return resourceFromAttributes(out, { schemaUrl: resource.schemaUrl });
}
