// Typed, strict readers of environment variables: a bad value warns once (naming the variable,
// the value with secrets masked, and the default used) and falls back; nothing here throws.
import { secretKeyMatcher } from '../redact/keys.js';
import { textRedactor } from '../redact/text.js';
import { REDACTED } from '../redact/url.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface Reader {
  readonly env: Env;
  readonly warnings: string[];
}

const secretName = secretKeyMatcher([], { forPeople: true });
const MAX_SHOWN = 40;

/** Values inside a shown value: URL credentials and query values, secret-looking key=value pairs. */
const scrub = textRedactor(secretKeyMatcher([]), new Set());

/** How a bad value is shown in a warning: masked for secret-looking variables, else scrubbed, quoted and cut. */
export function showValue(name: string, value: string): string {
  if (secretName(name)) return JSON.stringify(REDACTED);
  const printable = scrub(value).replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(printable.length > MAX_SHOWN ? printable.slice(0, MAX_SHOWN) + '…' : printable);
}

function warn(r: Reader, name: string, raw: string, why: string, fallback: unknown): void {
  const message = `${name}=${showValue(name, raw)} ${why}; using ${JSON.stringify(fallback)}`;
  // A variable read for several signals (OTEL_EXPORTER_OTLP_ENDPOINT) is still one warning.
  if (!r.warnings.includes(message)) r.warnings.push(message);
}

/** The trimmed value, or undefined when unset or blank (blank means "use the default" in the spec). */
export function raw(r: Reader, name: string): string | undefined {
  const v = Object.prototype.hasOwnProperty.call(r.env, name) ? r.env[name] : undefined;
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** Booleans: the spec's "true"/"false" (any case), plus 1/0, yes/no, on/off, which users write in practice. */
export function bool(r: Reader, name: string, fallback: boolean): boolean {
  const v = raw(r, name);
  if (v === undefined) return fallback;
  const l = v.toLowerCase();
  if (TRUE.has(l)) return true;
  if (FALSE.has(l)) return false;
  warn(r, name, v, 'is not a boolean (true/false)', fallback);
  return fallback;
}

/** Finite numbers only, clamped into [min, max]; integers when asked. */
export function num(
  r: Reader,
  name: string,
  fallback: number,
  { min, max, integer = true }: { min: number; max: number; integer?: boolean },
): number {
  const v = raw(r, name);
  if (v === undefined) return fallback;
  const pattern = integer ? /^[+]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  if (!pattern.test(v)) {
    warn(r, name, v, integer ? 'is not a whole number' : 'is not a number', fallback);
    return fallback;
  }
  const n = Number(v);
  if (!Number.isFinite(n)) {
    warn(r, name, v, 'is not a finite number', fallback);
    return fallback;
  }
  if (n < min || n > max) {
    const clamped = Math.min(max, Math.max(min, n));
    warn(r, name, v, `is outside [${min}, ${max}]`, clamped);
    return clamped;
  }
  return n;
}

/** One of a fixed set of lower-case words. */
export function oneOf<T extends string>(r: Reader, name: string, allowed: readonly T[], fallback: T): T {
  const v = raw(r, name);
  if (v === undefined) return fallback;
  const l = v.toLowerCase();
  if ((allowed as readonly string[]).includes(l)) return l as T;
  warn(r, name, v, `is not one of ${allowed.join(', ')}`, fallback);
  return fallback;
}

/**
 * A comma-separated list, trimmed, empties dropped; optionally restricted to known words. `removed`
 * maps words that used to be valid to the reason they are not any more (said instead of "unknown").
 */
export function list(r: Reader, name: string, fallback: readonly string[], allowed?: readonly string[], removed: Readonly<Record<string, string>> = {}): string[] {
  const v = raw(r, name);
  if (v === undefined) return [...fallback];
  const items = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (!allowed) return items;
  const bad = items.filter((i) => !allowed.includes(i.toLowerCase()));
  for (const gone of new Set(bad.map((b) => b.toLowerCase()).filter((b) => Object.hasOwn(removed, b)))) {
    warn(r, name, v, `names ${gone}, which ${removed[gone]}`, items.filter((i) => !bad.includes(i)));
  }
  const unknown = bad.filter((b) => !Object.hasOwn(removed, b.toLowerCase()));
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 3).map((b) => showValue(name, b)).join(', ');
    warn(r, name, v, `has unknown entries (${shown}); known: ${allowed.join(', ')}`, items.filter((i) => !bad.includes(i)));
  }
  return items.filter((i) => !bad.includes(i)).map((i) => i.toLowerCase());
}

/** An absolute http(s) URL. */
export function url(r: Reader, name: string): string | undefined {
  const v = raw(r, name);
  if (v === undefined) return undefined;
  try {
    const u = new URL(v);
    if (u.protocol === 'http:' || u.protocol === 'https:') return v;
  } catch {
    // fall through to the warning
  }
  warn(r, name, v, 'is not an http(s) URL', 'the default endpoint');
  return undefined;
}

/** W3C-baggage-style key=value pairs (OTEL_RESOURCE_ATTRIBUTES, *_HEADERS), percent-decoded, into a null-prototype map. */
export function pairs(r: Reader, name: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const v = raw(r, name);
  if (v === undefined) return out;
  let bad = 0;
  for (const part of v.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) {
      if (part.trim() !== '') bad++;
      continue;
    }
    try {
      const key = decodeURIComponent(part.slice(0, eq).trim());
      const value = decodeURIComponent(part.slice(eq + 1).trim());
      if (key !== '') out[key] = value;
      else bad++;
    } catch {
      bad++;
    }
  }
  if (bad > 0) warn(r, name, v, `has ${bad} malformed key=value entr${bad === 1 ? 'y' : 'ies'}`, 'the well-formed ones');
  return out;
}
