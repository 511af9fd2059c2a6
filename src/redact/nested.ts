// Values of any depth (log bodies, log attributes holding pino/winston/bunyan objects and arrays)
// walked with the same key and text rules as flat attributes. Copy-on-write: an unchanged subtree is
// returned as is, and the app's own objects are never modified (a log call may pass live state).
import { REDACTED } from './url.js';
import type { TextOptions, TextRedactor } from './text.js';
import { IDENTIFIER_KEY } from './keys.js';

/**
 * A card number held as a number (`{ card: 4111111111111111 }` under an ordinary key): integers of
 * 13 digits or more are judged by the text rule (scheme prefix and Luhn); smaller numbers cost nothing.
 */
export function numberRedactor(text: TextRedactor): (n: number | bigint) => boolean {
  return (n) => (typeof n === 'bigint' ? n >= 1_000_000_000_000n : Number.isInteger(n) && n >= 1e12) && text(String(n)) !== String(n);
}

/** Deeper than this, a value is replaced whole: an unwalked subtree could hold anything, and cycles end here. */
export const MAX_DEPTH = 16;
const ID_TEXT: TextOptions = { blobs: false };

/**
 * Keys that hold a URL or a request path in the objects apps log (pino-http's `req.url`, express's
 * `originalUrl`, `href`, `referer`, a custom `callback_url`): their values get the URL rules, path
 * segments included, not only the text rules. Not `path`: error objects carry file-system paths there.
 */
export const URL_VALUE_KEY = /(?:^|[._-])(?:url|uri|href|originalurl|target|referr?er)$/i;

/** `url`: the URL rules (url.ts, path-segments.ts) for values under URL_VALUE_KEY keys; text rules otherwise. */
export function nestedRedactor(isSecretKey: (k: string) => boolean, text: TextRedactor, url: (v: string) => string = text): (value: unknown, key?: string) => unknown {
  const cardNumber = numberRedactor(text);
  function walk(value: unknown, key: string | undefined, depth: number): unknown {
    if (typeof value === 'string') {
      if (key === undefined) return text(value);
      return URL_VALUE_KEY.test(key) ? url(value) : IDENTIFIER_KEY.test(key) ? text(value, ID_TEXT) : text(value);
    }
    if (typeof value === 'number' || typeof value === 'bigint') return cardNumber(value) ? REDACTED : value;
    if (value === null || typeof value !== 'object') return value;
    if (ArrayBuffer.isView(value)) return value;
    if (depth >= MAX_DEPTH) return REDACTED;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        const r = walk(v, key, depth + 1);
        if (r !== v) (copy ??= value.slice())[i] = r;
      }
      return copy ?? value;
    }
    let copy: Record<string, unknown> | undefined;
    const record = value as Record<string, unknown>;
    for (const k of Object.keys(record)) {
      const v = record[k];
      const r = isSecretKey(k) ? (v === undefined || v === null ? v : REDACTED) : walk(v, k, depth + 1);
      if (r !== v) (copy ??= { ...record })[k] = r;
    }
    return copy ?? value;
  }
  return (value, key) => walk(value, key, 0);
}
