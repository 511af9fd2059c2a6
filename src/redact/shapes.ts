// Secret-shaped values in free text, found by their shape rather than by the key they sit under:
// key blocks, JWTs, vendor tokens with a fixed prefix, random-looking blobs, card numbers, emails.
// Rules are written for how credentials are generated (random alphabets, fixed prefixes, checksums),
// so tokens of vendors we never named are caught by the blob rule.
import { REDACTED } from './url.js';
import { looksRandom } from './randomness.js';

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
/**
 * Prefixes vendors publish for their credentials: what follows them is a secret whatever it looks
 * like, so these never depend on the randomness judgement (a rare draw reads as written).
 */
const VENDOR = /\b(ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|glpat-|xox[abeoprs]-|sk_live_|sk_test_|rk_live_|rk_test_|pk_live_|whsec_|npm_|AIza|SG\.|hf_|bot\d{6,12}:)([A-Za-z0-9_.-]{16,})/g;
/** Runs of characters from the alphabets secrets are drawn from (base64, base64url, hex, base32). */
const RUN = /[A-Za-z0-9+/=_.-]{16,}/g;
/**
 * 13-19 digits, optionally grouped by spaces or dashes, starting as card schemes do (2-6): checked
 * with Luhn before redaction, so epoch milliseconds (starting with 1) and most ids stay.
 */
const CARD = /\b[2-6](?:[ -]?\d){12,18}\b/g;
/** Emails: the local part (at most 64 characters, as RFC 5321 says) identifies a person; the domain stays. */
const EMAIL = /\b[A-Za-z0-9._%+-]{1,64}@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})\b/g;

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

/**
 * A part is generated if it is random as a whole (base64url keeps `-`/`_` inside) or if one of its
 * `-`/`_`-separated pieces is (`xoxb-<digits>-<digits>-<random>`); the whole part goes.
 */
function judged(part: string): string {
  if (part.length < 16) return part;
  // Separated pieces of one case are judged alone: UPPER_SNAKE names are words, not one blob.
  if (looksRandom(part) && (MIXED_CASE.test(part) || !/[-_]/.test(part))) return REDACTED;
  return part.split(/[-_]+/).some((piece) => looksRandom(piece)) ? REDACTED : part;
}

const MIXED_CASE = /[a-z][^A-Z]*[A-Z]|[A-Z][^a-z]*[a-z]/;

/**
 * A run that starts like a path (`/api/v2/...`) is judged per segment, so a path of words and ids
 * stays; dotted runs (hosts, file names, JWT-like parts) per dot-separated part, `/` kept inside since
 * base64 uses it and never uses dots.
 */
function redactRun(run: string): string {
  // `3000/users/<id>` is the rest of `host:3000/users/<id>` (`:` ends a run): a path too.
  if (run.startsWith('/') || /^\d{1,5}\//.test(run)) return run.replace(/[^/.]+/g, judged);
  if (run.includes('.')) return run.replace(/[^.]+/g, judged);
  return judged(run);
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
    out = out.replace(VENDOR, (_m, prefix: string) => `${prefix}${REDACTED}`);
    out = out.replace(PREFIXED, (m, prefix: string, rest: string) => (judged(rest) === REDACTED ? `${prefix}${REDACTED}` : m));
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
