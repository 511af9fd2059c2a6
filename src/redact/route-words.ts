// Whether a letters-only part of a path segment is a real word (`users`, `webhooks`, `healthcheck`):
// a Bloom filter of 63,531 English words and route vocabulary (route-words.bin, made by
// scripts/route-words.mjs), read on the first fallback route, not at start-up. Random letters are
// not words: the measured pass rates of seeded random tokens are in docs/safety.md.
import { readFileSync } from 'node:fs';

/** Shortest word a compound is made of: two-letter "words" would let random letters split anywhere. */
const MIN_COMPOUND_PART = 3;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SECOND_SEED = 0x9747b28c;
const SECOND_PRIME = 0x5bd1e995;

export interface WordFilter {
  readonly bits: Uint8Array;
  /**
   * Bits in the filter: a power of two, so a bit position is a mask. `h % m` on hashes above 2^31 is a
   * floating-point remainder in V8: with it, templating took 2.1× the old rule's time, with the mask ~1×.
   */
  readonly m: number;
  /** Probes per word. */
  readonly k: number;
}

/** Lower-case letter code: the caller has checked the part is letters (a capitalised first letter is allowed). */
function lower(s: string, i: number): number {
  return s.charCodeAt(i) | 0x20;
}

/**
 * The filter's k bit positions from two 32-bit hashes (Kirsch-Mitzenmacher double hashing): both
 * hashes are running states, so a compound's prefixes are looked up while they are read, not re-hashed.
 */
function probe(filter: WordFilter, h1: number, h2: number, set: boolean): boolean {
  const { bits, k } = filter;
  const mask = filter.m - 1;
  let h = h1 >>> 0;
  // An odd step visits k distinct positions of a power-of-two m; the shift mixes h2's high bits in.
  const step = ((h2 ^ (h2 >>> 15)) | 1) >>> 0;
  for (let i = 0; i < k; i++) {
    const bit = h & mask;
    if (set) bits[bit >>> 3] |= 1 << (bit & 7);
    else if ((bits[bit >>> 3] & (1 << (bit & 7))) === 0) return false;
    h = (h + step) >>> 0;
  }
  return true;
}

function hashed(filter: WordFilter, s: string, start: number, end: number, set: boolean): boolean {
  let h1 = FNV_OFFSET;
  let h2 = SECOND_SEED;
  for (let i = start; i < end; i++) {
    const c = lower(s, i);
    h1 = Math.imul(h1 ^ c, FNV_PRIME);
    h2 = Math.imul(h2 ^ c, SECOND_PRIME);
  }
  return probe(filter, h1, h2, set);
}

/** For scripts/route-words.mjs: sets the word's bits (the same hashing the look-up uses). */
export function addWord(filter: WordFilter, word: string): void {
  hashed(filter, word, 0, word.length, true);
}

/** A word, or a plural of one (`webhooks`, `statuses`): word lists keep many plurals in rare classes. */
function word(filter: WordFilter, s: string, start: number, end: number): boolean {
  if (hashed(filter, s, start, end, false)) return true;
  if (end - start <= MIN_COMPOUND_PART || lower(s, end - 1) !== 0x73 /* s */) return false;
  if (hashed(filter, s, start, end - 1, false)) return true;
  return end - start > MIN_COMPOUND_PART + 1 && lower(s, end - 2) === 0x65 /* e */ && hashed(filter, s, start, end - 2, false);
}

/** Longest part judged as a compound (the caller allows 24 letters): the scratch rows' size. */
const MAX_COMPOUND_LENGTH = 64;
/** one[i]: s[start + i, end) is one word; two[i]: one or two words. Reused: no allocation per look-up. */
const one = new Uint8Array(MAX_COMPOUND_LENGTH);
const two = new Uint8Array(MAX_COMPOUND_LENGTH);

/**
 * Whether s[start, end) splits into 2-3 words of three letters or more, by dynamic programming over
 * where the words start: at most L word checks and L²/2 prefix probes. A search that tries every
 * split and backtracks took ~200 µs on a 24-letter part made of short words (`metmetaandthereat…`).
 */
function compound(filter: WordFilter, s: string, start: number, end: number): boolean {
  const len = end - start;
  if (len < 2 * MIN_COMPOUND_PART || len >= MAX_COMPOUND_LENGTH) return false;
  for (let i = len - MIN_COMPOUND_PART; i >= MIN_COMPOUND_PART; i--) one[i] = word(filter, s, start + i, end) ? 1 : 0;
  // Prefixes of s[from, end) that are words, followed by a rest that `rest` accepts.
  const split = (from: number, rest: Uint8Array): boolean => {
    let h1 = FNV_OFFSET;
    let h2 = SECOND_SEED;
    for (let i = from; i <= len - MIN_COMPOUND_PART - 1; i++) {
      const c = lower(s, start + i);
      h1 = Math.imul(h1 ^ c, FNV_PRIME);
      h2 = Math.imul(h2 ^ c, SECOND_PRIME);
      if (i + 1 - from >= MIN_COMPOUND_PART && rest[i + 1] === 1 && probe(filter, h1, h2, false)) return true;
    }
    return false;
  };
  // Three words at most (`persistentvolumeclaims`): more would let random letters through.
  for (let i = len - MIN_COMPOUND_PART; i >= MIN_COMPOUND_PART; i--) two[i] = one[i] === 1 || split(i, one) ? 1 : 0;
  return split(0, two);
}

const DATA = new URL('./route-words.bin', import.meta.url);
/** Header line: `# ... m=<bits> k=<probes> ...\n`, then the filter's bytes. */
const HEADER = /\bm=(\d+) k=(\d+)\b/;

/** No data file (a broken install): no part is a word, so every letters-only segment is `:id`. */
const EMPTY: WordFilter = { bits: new Uint8Array(0), m: 0, k: 0 };

export function parseWordFilter(data: Uint8Array): WordFilter {
  const nl = data.indexOf(10);
  const header = HEADER.exec(Buffer.from(data.subarray(0, Math.max(nl, 0))).toString('latin1'));
  if (nl === -1 || header === null) return EMPTY;
  const m = Number(header[1]);
  const k = Number(header[2]);
  const bits = data.subarray(nl + 1);
  return m >= 8 && (m & (m - 1)) === 0 && bits.length === m / 8 && k > 0 ? { bits, m, k } : EMPTY;
}

let loaded: WordFilter | undefined;

function filter(): WordFilter {
  if (loaded === undefined) {
    try {
      // 128 KiB read once, on the first request no framework routed: not a start-up cost.
      loaded = parseWordFilter(readFileSync(DATA));
    } catch {
      loaded = EMPTY;
    }
  }
  return loaded;
}

/**
 * `part` (letters only, lower case or capitalised; the caller checks the shape) is a dictionary or
 * route-vocabulary word, its plural, or 2-3 such words of three letters or more written together.
 */
export function isRouteWord(part: string): boolean {
  const f = filter();
  if (f.m === 0) return false;
  return word(f, part, 0, part.length) || compound(f, part, 0, part.length);
}
