// @opentelemetry/core's cleanAttributes and maybeAddAttribute with a fast path for primitive values, so
// starting a span stops allocating a WeakSet per attribute value (issue 15, RSS at an equal rate).
//
// Why: sdk-trace's Tracer.startSpan runs cleanAttributes twice per span, and core's isAnyValue builds a
// `new WeakSet()` for every value it checks (cycle detection that only objects need), after
// Object.entries made a pair array per attribute. A heap sampling profile of the bench app at 500 req/s
// on /work (collected objects included) charged 11.3 KB of the 69.5 KB allocated per request to
// cleanAttributes: the largest single part of the preload's allocation rate, which sets how often V8
// scavenges, how fast its young generation grows and how much is promoted to the old one.
//
// How: sdk-trace and sdk-logs call these two through core's exports object on every call, so replacing
// them there reaches every caller. Attributes whose values are all strings, numbers, booleans (or
// undefined) within the limits are copied in one pass; anything else (objects, arrays, byte arrays,
// an empty key, too many attributes, a bad limit) goes to the original function, which also keeps its
// warnings. For primitives both paths give the same result: isAnyValue is true for them and a string
// is cut to the length limit the same way (the tests compare the two on the same inputs).
import { otel } from './otel.js';

type Attributes = Record<string, unknown>;
const hasOwn = Object.prototype.hasOwnProperty;
interface Limits {
  readonly attributeValueLengthLimit?: number;
  readonly attributeCountLimit?: number;
}
interface Cleaned {
  attributes: Attributes;
  droppedAttributesCount: number;
}
interface AddOptions {
  readonly value: unknown;
}
interface CoreAttributes {
  cleanAttributes: (attributes: unknown, limits: Limits) => Cleaned | Record<string, never>;
  maybeAddAttribute: (opts: AddOptions) => unknown;
  maybeAddSimpleAttribute: (opts: AddOptions) => unknown;
}

const LEAN = Symbol.for('@org/obs.lean-attributes');

function isPrimitive(value: unknown): boolean {
  const t = typeof value;
  return t === 'string' || t === 'number' || t === 'boolean';
}

/**
 * Attributes as core's cleanAttributes leaves them when every value is a primitive: own keys, undefined
 * values left out, at most `countLimit` of them. Undefined (the caller takes the original path) when a
 * value is of another type, a key is empty or there are too many; also:
 * - `cut`: a copy, strings cut to `lengthLimit` (cleanAttributes with limits);
 * - `keep`: a copy, undefined when a string is over `lengthLimit` (the SDK's two passes, the first
 *   without limits, then agree: sdk/lean-tracer.ts);
 * - `same`: no copy, `source` itself when nothing needs cleaning; an undefined value does (the SDK leaves
 *   it out), so it gives undefined too (attributes built for one span alone: http-server/span-start.ts).
 */
export function primitiveAttributes(
  source: Attributes, countLimit: number | undefined, lengthLimit: number | undefined, how: 'cut' | 'keep' | 'same',
): Attributes | undefined {
  const out: Attributes | undefined = how === 'same' ? undefined : {};
  let count = 0;
  // for-in with an own-property check: the keys Object.keys gives, without the array per call
  // (0.7 KB per /work request in bench/alloc.mjs).
  for (const key in source) {
    if (!hasOwn.call(source, key)) continue;
    let value = source[key];
    if (value === undefined) {
      if (out === undefined) return undefined;
      continue;
    }
    if (typeof value === 'string') {
      if (lengthLimit !== undefined && value.length > lengthLimit) {
        if (how !== 'cut') return undefined;
        value = value.substring(0, lengthLimit);
      }
    } else if (typeof value !== 'number' && typeof value !== 'boolean') {
      return undefined;
    }
    if (key.length === 0 || (countLimit !== undefined && ++count > countLimit)) return undefined;
    if (out !== undefined) out[key] = value;
  }
  return out ?? source;
}

/** Installs the fast paths on `core` (the bundled @opentelemetry/core by default); once, and only where its shape is as expected. */
export function installLeanAttributes(core: object = otel('@opentelemetry/core')): void {
  const c = core as Partial<CoreAttributes> & { [LEAN]?: true };
  const { cleanAttributes, maybeAddAttribute, maybeAddSimpleAttribute } = c;
  if (c[LEAN] || typeof cleanAttributes !== 'function' || typeof maybeAddAttribute !== 'function' || typeof maybeAddSimpleAttribute !== 'function') return;
  try {
    c.cleanAttributes = function leanCleanAttributes(input: unknown, limits: Limits) {
      const limit = limits.attributeValueLengthLimit;
      // Not an object, or a limit that is not a positive number (the original warns, or cuts to ''): the original.
      if (typeof input !== 'object' || input === null || (limit !== undefined && !(limit > 0))) return cleanAttributes(input, limits);
      const attributes = primitiveAttributes(input as Attributes, limits.attributeCountLimit, limit, 'cut');
      return attributes ? { attributes, droppedAttributesCount: 0 } : cleanAttributes(input, limits);
    };
    // For a primitive value the "simple" check (no WeakSet) and the "any value" check agree.
    c.maybeAddAttribute = function leanMaybeAddAttribute(opts: AddOptions) {
      return isPrimitive(opts.value) ? maybeAddSimpleAttribute(opts) : maybeAddAttribute(opts);
    };
    c[LEAN] = true;
  } catch {
    // a frozen exports object: the SDK keeps its own functions (either one installed is equivalent too)
  }
}
