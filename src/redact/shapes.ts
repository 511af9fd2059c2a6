// Secret-shaped values in free text, found by their shape rather than by the key they sit under:
// key blocks, JWTs, vendor tokens with a fixed prefix, random-looking blobs, card numbers, emails.
// Rules are written for how credentials are generated (random alphabets, fixed prefixes, checksums),
// so tokens of vendors we never named are caught by the blob rule.
import { REDACTED } from './url.js';

/** PEM blocks of private keys (RSA, EC, OPENSSH, ENCRYPTED, PGP ...): the body and the markers. */
const PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g;
/** JSON Web Tokens (and JWE): base64url JSON header `eyJ`, then dot-separated parts. */
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*){0,3}/g;
/**
 * AWS access key ids: a 4-letter kind prefix and 16 upper-case base32 characters. Upper case and
 * digits only, so the blob rule's mixed-alphabet test would miss them.
 */
const AWS_KEY_ID = /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|ABIA|ACCA)[A-Z0-9]{16}\b/g;
/**
 * Tokens built as `<vendor prefix><separator><random>`: ghp_…, github_pat_…, xoxb-…, sk_live_…,
 * npm_…, glpat-…, AIza…, SG.…, whsec_…. The prefix is a short lower/upper word; what follows is long
 * enough to be random. Caught by the blob rule too; this one keeps the prefix for debugging.
 */
const PREFIXED = /\b([A-Za-z]{2,12}(?:[_-](?:live|test|pat|prod|key))?[_.-])([A-Za-z0-9_-]{20,})/g;
/** Runs of characters from the alphabets secrets are drawn from (base64, base64url, hex, base32). */
const RUN = /[A-Za-z0-9+/=_.-]{16,}/g;
/**
 * 13-19 digits, optionally grouped by spaces or dashes, starting as card schemes do (2-6): checked
 * with Luhn before redaction, so epoch milliseconds (starting with 1) and most ids stay.
 */
const CARD = /\b[2-6](?:[ -]?\d){12,18}\b/g;
/** Emails: the local part identifies a person; the domain stays (useful, and rarely personal). */
const EMAIL = /\b[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\b/g;

function classOf(c: number): number {
  if (c >= 48 && c <= 57) return 1; // digit
  if (c >= 65 && c <= 90) return 2; // upper
  if (c >= 97 && c <= 122) return 3; // lower
  return 0; // separator: neither counts nor breaks a comparison
}

/**
 * A random string switches between digit / upper / lower from one character to the next about half
 * the time (base64: 0.64, hex: 0.47, lower-case base36: 0.40); words, camelCase and UPPER_SNAKE
 * names switch rarely (about once per word). Below 0.3 a run reads as language, not as a key.
 */
export function looksRandom(run: string): boolean {
  let alnum = 0;
  let switches = 0;
  let prev = 0;
  const seen = new Set<number>();
  for (let i = 0; i < run.length; i++) {
    const k = classOf(run.charCodeAt(i));
    if (k === 0) continue;
    alnum++;
    seen.add(k);
    if (prev !== 0 && k !== prev) switches++;
    prev = k;
  }
  if (alnum < 16 || seen.size < 2) return false;
  const ratio = switches / (alnum - 1);
  // Hex (hashes, keys) and single-case base32/base36 switch less: letters of one case cannot form
  // camelCase, so a lower bar is safe there once digits are mixed in.
  if (HEX.test(run) && alnum >= 32) return true;
  if (!(seen.has(2) && seen.has(3))) return ratio >= 0.2;
  return ratio >= 0.3;
}

const HEX = /^[0-9a-fA-F]+$/;

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A run is split on `/` when it starts like a path (`/api/v2/...`), so paths are judged per segment. */
function redactRun(run: string): string {
  if (run.startsWith('/') || run.includes('//') || run.includes('.')) {
    return run.replace(/[^/.]+/g, (part) => (part.length >= 16 && looksRandom(part) ? REDACTED : part));
  }
  return looksRandom(run) ? REDACTED : run;
}

export interface ShapeOptions {
  /** Identifier attributes (trace_id, host.id, *.version) keep hex and blob-like values. */
  readonly blobs: boolean;
}

/** Applies every shape rule; `s` is already known to hold a candidate (see mayHoldShape). */
export function redactShapes(s: string, options: ShapeOptions): string {
  let out = s;
  if (out.includes('-----BEGIN')) out = out.replace(PEM, REDACTED);
  if (out.includes('eyJ')) out = out.replace(JWT, REDACTED);
  out = out.replace(AWS_KEY_ID, REDACTED);
  if (options.blobs) {
    out = out.replace(PREFIXED, (m, prefix: string, rest: string) => (looksRandom(rest) ? `${prefix}${REDACTED}` : m));
    out = out.replace(RUN, (run) => (run === REDACTED ? run : redactRun(run)));
  }
  out = out.replace(CARD, (m) => {
    const digits = m.replace(/[ -]/g, '');
    return digits.length >= 13 && luhn(digits) ? REDACTED : m;
  });
  if (out.includes('@')) out = out.replace(EMAIL, (_m, domain: string) => `${REDACTED}@${domain}`);
  return out;
}

/** Cheap pre-test: without one of these, no shape rule can match. */
export const SHAPE_HINT = /-----BEGIN|eyJ|\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d|@|[A-Za-z0-9+/=_.-]{16}/;
