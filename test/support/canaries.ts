// Hostile canaries: secrets generated (from a fixed seed, see below) in the shapes real services produce, each with
// the needle that must never appear downstream. Shapes include ones the redaction rules do not name
// (vendor prefixes we never listed, base32, url-safe base64, bare hex), so a pass means the rules
// generalise, not that they match a list.

/**
 * Seeded, so a run is reproducible: the shape rules judge randomness, and a rare generated value
 * that reads as written would make CI flaky rather than tell us something. Set OBS_CANARY_SEED to
 * explore other draws (the failure message names the value); the default seed is what CI runs.
 */
const SEED = Number(process.env.OBS_CANARY_SEED ?? 20261204) >>> 0;
let state = SEED || 1;
/** xorshift32: uniform enough for drawing characters. */
function next(): number {
  state ^= state << 13;
  state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state;
}

export function randomInt(n: number): number {
  return next() % n;
}

/** Seeded bytes, as crypto.randomBytes would give them. */
function randomBytes(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = randomInt(256);
  return b;
}

export function randomHex(bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes * 2; i++) s += '0123456789abcdef'[randomInt(16)];
  return s;
}

export interface Canary {
  /** What kind of secret, for the report. */
  readonly shape: string;
  /** The secret as the app would hold it. */
  readonly value: string;
  /** The part whose appearance anywhere downstream counts as a leak. */
  readonly needle: string;
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const B62 = LOWER + UPPER + DIGITS;

export function pick(alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[randomInt(alphabet.length)];
  return s;
}

/** Low-entropy canaries (`cnry<tag>...`): secret only because of where they sit (a key, a pair, a bind value). */
export function plain(tag: string): string {
  return `cnry${tag}${randomHex(6)}`;
}

function b64url(s: string): string {
  return Buffer.from(s).toString('base64url');
}

function luhnComplete(prefix: string, length: number): string {
  let digits = prefix + pick(DIGITS, length - prefix.length - 1);
  for (let check = 0; check < 10; check++) {
    const candidate = digits + String(check);
    let sum = 0;
    for (let i = 0; i < candidate.length; i++) {
      let d = Number(candidate[candidate.length - 1 - i]);
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    if (sum % 10 === 0) {
      digits = candidate;
      break;
    }
  }
  return digits;
}

/** One generator per shape; each call makes a fresh secret. */
export const SHAPES: Record<string, () => Canary> = {
  jwt: () => {
    const sig = pick(B62 + '-_', 43);
    const value = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(`{"sub":"${pick(DIGITS, 8)}","iat":${Date.now()}}`)}.${sig}`;
    return { shape: 'jwt', value, needle: sig };
  },
  'aws-key-id': () => {
    const v = `AKIA${pick(UPPER + '234567', 16)}`;
    return { shape: 'aws-key-id', value: v, needle: v };
  },
  'aws-secret': () => {
    // Not starting with `/`: such a run is judged as a path, segment by segment (docs/safety.md, limits).
    const v = pick(B62, 1) + pick(B62 + '+/', 39);
    return { shape: 'aws-secret', value: v, needle: v };
  },
  github: () => {
    const r = pick(B62, 36);
    return { shape: 'github', value: `ghp_${r}`, needle: r };
  },
  'github-pat': () => {
    const r = pick(B62, 22) + '_' + pick(B62, 59);
    return { shape: 'github-pat', value: `github_pat_${r}`, needle: r.slice(0, 22) };
  },
  slack: () => {
    const r = pick(B62, 32);
    return { shape: 'slack', value: `xoxb-${pick(DIGITS, 12)}-${pick(DIGITS, 13)}-${r}`, needle: r };
  },
  stripe: () => {
    const r = pick(B62, 32);
    return { shape: 'stripe', value: `sk_live_${r}`, needle: r };
  },
  google: () => {
    const r = pick(B62 + '-_', 35);
    return { shape: 'google', value: `AIza${r}`, needle: r };
  },
  // Prefixes no rule names: a made-up vendor, a dotted one, one with a dash.
  'unnamed-vendor': () => {
    const r = pick(B62, 32);
    const prefix = `${pick(LOWER, 3 + randomInt(4))}${['_', '-', '.', '_live_'][randomInt(4)]}`;
    return { shape: 'unnamed-vendor', value: `${prefix}${r}`, needle: r };
  },
  // Secrets in URL paths, where no query rule applies: webhook URLs and bot tokens.
  'webhook-path': () => {
    const r = pick(B62, 32);
    return { shape: 'webhook-path', value: `https://hooks.example.com/services/T${pick(UPPER + DIGITS, 8)}/B${pick(UPPER + DIGITS, 8)}/${r}`, needle: r };
  },
  'bot-path': () => {
    const r = pick(B62, 35);
    return { shape: 'bot-path', value: `https://api.example.org/bot${pick(DIGITS, 9)}:${r}/sendMessage`, needle: r };
  },
  hex: () => {
    const v = randomBytes([16, 20, 32][randomInt(3)]).toString('hex');
    return { shape: 'hex', value: v, needle: v };
  },
  base64: () => {
    const v = randomBytes(32).toString('base64').replace(/^\//, 'A');
    return { shape: 'base64', value: v, needle: v.slice(0, 30) };
  },
  base64url: () => {
    const v = randomBytes(24).toString('base64url');
    return { shape: 'base64url', value: v, needle: v };
  },
  base32: () => {
    const v = pick(UPPER + '234567', 32);
    return { shape: 'base32', value: v, needle: v };
  },
  'lower-alnum': () => {
    const v = pick(LOWER + DIGITS, 32);
    return { shape: 'lower-alnum', value: v, needle: v };
  },
  bearer: () => {
    const r = pick(B62, 24);
    // Caught by the scheme rule, whatever the credential looks like.
    return { shape: 'bearer', value: `Authorization: Bearer ${r}`, needle: r };
  },
  basic: () => {
    const pw = pick(LOWER, 10);
    const b = Buffer.from(`svc:${pw}`).toString('base64');
    return { shape: 'basic', value: `authorization=Basic ${b}`, needle: b };
  },
  'conn-postgres': () => {
    const pw = plain('pgpw');
    return { shape: 'conn-postgres', value: `postgres://app:${pw}@db.internal:5432/prod`, needle: pw };
  },
  'conn-mongo': () => {
    const pw = plain('mgpw');
    return { shape: 'conn-mongo', value: `mongodb+srv://svc:${pw}@cluster0.example.net/app?retryWrites=true`, needle: pw };
  },
  'conn-redis': () => {
    const pw = plain('rdpw');
    return { shape: 'conn-redis', value: `redis://:${pw}@cache:6379/0`, needle: pw };
  },
  'conn-ado': () => {
    const pw = plain('adpw');
    return { shape: 'conn-ado', value: `Server=db;Database=app;User Id=sa;Password=${pw};`, needle: pw };
  },
  email: () => {
    const local = `${pick(LOWER, 6)}.${pick(LOWER, 7)}${pick(DIGITS, 3)}`;
    return { shape: 'email', value: `${local}@example.com`, needle: local };
  },
  card: () => {
    const digits = luhnComplete(['4', '51', '37', '6011'][randomInt(4)], 16);
    const grouped = [digits, digits.replace(/(\d{4})(?=\d)/g, '$1 '), digits.replace(/(\d{4})(?=\d)/g, '$1-')][randomInt(3)];
    return { shape: 'card', value: grouped, needle: grouped };
  },
  pem: () => {
    const line = randomBytes(48).toString('base64');
    return { shape: 'pem', value: `-----BEGIN PRIVATE KEY-----\n${line}\n${randomBytes(48).toString('base64')}\n-----END PRIVATE KEY-----`, needle: line };
  },
  'pair-passwd': () => {
    const v = plain('pw');
    return { shape: 'pair-passwd', value: `retrying with passwd=${v} for user bob`, needle: v };
  },
  'pair-json': () => {
    const v = plain('js');
    return { shape: 'pair-json', value: `{"clientSecret":"${v}","region":"eu"}`, needle: v };
  },
  'query-code': () => {
    const v = plain('qc');
    return { shape: 'query-code', value: `redirect to /oauth/cb?code=${v}&state=ok`, needle: v };
  },
};

/** `n` canaries cycling through every shape, so each run covers all of them. */
export function shaped(n: number): Canary[] {
  const names = Object.keys(SHAPES);
  return Array.from({ length: n }, (_, i) => SHAPES[names[i % names.length]]());
}

/** The needles found in `text`, with their shape, for an assertion message that says what leaked. */
export function leaked(text: string, canaries: readonly Canary[]): string[] {
  return canaries.filter((c) => text.includes(c.needle)).map((c) => `${c.shape}: ${c.value.slice(0, 60)}`);
}

/** JSON of everything the receiver decoded, byte fields as text, for substring search. */
export function decodedText(...parts: unknown[]): string {
  return JSON.stringify(parts, (_k, v: unknown) =>
    (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer' ? Buffer.from((v as { data: number[] }).data).toString('latin1') : v));
}

/**
 * Path tokens no shape rule can see: letters only (10-12 lower-case letters, a one-time link's token)
 * and short mixed ones (8 characters, letters outside a-f and at least two digits, so no hex id or
 * version contains one by chance). A letters-only draw that happens to be a word is a word
 * (docs/safety.md rule 8); `isWord` removes those, and the caller checks how few were removed.
 */
export function pathTokens(n: number, isWord: (s: string) => boolean): { tokens: Canary[]; words: number } {
  const tokens: Canary[] = [];
  let words = 0;
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const mixed = 'ghjkmnpqrstuwxyz';
  for (let i = 0; tokens.length < n; i++) {
    let v = '';
    if (i % 2 === 0) {
      const len = 10 + randomInt(3);
      for (let j = 0; j < len; j++) v += letters[randomInt(letters.length)];
      if (isWord(v)) {
        words++;
        continue;
      }
      tokens.push({ shape: 'letters-only path token', value: v, needle: v });
    } else {
      const chars = [String(randomInt(10)), String(randomInt(10)), ...Array.from({ length: 6 }, () => mixed[randomInt(mixed.length)])];
      for (let j = chars.length - 1; j > 0; j--) {
        const k = randomInt(j + 1);
        [chars[j], chars[k]] = [chars[k], chars[j]];
      }
      v = chars.join('');
      tokens.push({ shape: 'short mixed path token', value: v, needle: v });
    }
  }
  return { tokens, words };
}

