// Whether a run of letters and digits was generated (a key, a token, a hash) or written (a word, a
// name, an identifier): measured on the run itself, so it holds for vendors and formats nobody listed.
function classOf(c: number): number {
  if (c >= 48 && c <= 57) return 1; // digit
  if (c >= 65 && c <= 90) return 2; // upper
  if (c >= 97 && c <= 122) return 3; // lower
  return 0; // separator: neither counts nor breaks a comparison
}

function entropy(s: string): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) counts.set(s.charCodeAt(i), (counts.get(s.charCodeAt(i)) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/**
 * Read as camelCase words (`getUserById` → get, User, By, Id): names have words of three letters or
 * more on average, nearly all with a vowel; random letters make short, mostly vowelless "words".
 */
function wordLike(s: string): boolean {
  const words = s.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? [];
  let letters = 0;
  let vowelless = 0;
  for (const w of words) {
    letters += w.length;
    if (!/[aeiouyAEIOUY]/.test(w)) vowelless += w.length;
  }
  return words.length > 0 && letters / words.length >= 3 && vowelless / letters < 0.3;
}

const HEX = /^[0-9a-f]+$|^[0-9A-F]+$/;

/**
 * Whether a run of at least 16 letters and digits reads as generated rather than written:
 * - mixed case (base62/base64): when it does not read as camelCase words (see wordLike), or when
 *   digits are mixed in and it switches between digit, upper and lower at 0.3 per character or more
 *   (random: about 0.6; names switch about twice per word);
 * - hex with digits and letters (hashes, keys, ids): always;
 * - upper case only (base32): character entropy of at least 3 bits (words repeat letters;
 *   UPPER_SNAKE names are split at `_` before they get here);
 * - lower case with at least two digits (base36): entropy of at least 3.3 bits, or 0.2 switches;
 * - lower case with at most one digit: only from 24 characters and 3.85 bits (random letters
 *   spread evenly; words do not). Shorter letters-only secrets are left to the key and pair rules.
 */
export function looksRandom(run: string): boolean {
  let alnum = 0;
  let switches = 0;
  let prev = 0;
  let digits = 0;
  let upper = 0;
  let lower = 0;
  let letters = '';
  let text = '';
  for (let i = 0; i < run.length; i++) {
    const k = classOf(run.charCodeAt(i));
    if (k === 0) continue;
    alnum++;
    if (k === 1) digits++;
    else if (k === 2) upper++;
    else lower++;
    if (k !== 1) letters += run[i];
    text += run[i];
    if (prev !== 0 && k !== prev) switches++;
    prev = k;
  }
  if (alnum < 16) return false;
  const ratio = switches / (alnum - 1);
  if (upper > 0 && lower > 0) return (digits > 0 && ratio >= 0.3) || !wordLike(text);
  if (digits >= 2 && letters.length >= 2 && HEX.test(run)) return true;
  if (upper > 0) return entropy(text) >= 3;
  if (lower > 0 && digits >= 2) return ratio >= 0.2 || entropy(text) >= 3.3;
  // Long lower-case runs with (almost) no digits: only when their letters are spread as evenly as
  // random ones are (words and concatenated names stay below 3.85 bits).
  return alnum >= 24 && entropy(text) >= 3.85;
}
