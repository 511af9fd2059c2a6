// Database, Redis and parser error text scrubbed like statements: servers echo the offending value back
// (PostgreSQL `invalid input syntax for type integer: "<value>"`, `Key (email)=(<value>)`, MySQL
// `Duplicate entry '<value>'`, Redis `with args beginning with: '<arg>'`), and that text reaches span
// status, exception events and the app's own log records; so does JSON.parse (`Unexpected token 'p',
// "password=h"... is not valid JSON`). Identifiers (relation, column, constraint
// names) stay: they are schema, not data, and they are what makes the error useful.
import { REDACTED } from './url.js';

/** PostgreSQL's `<message>: "<value>"` convention (also inspect-style `{ email: "x" }`); not JSON's `"k": "v"`. */
const COLON_QUOTED = /(\w)(:\s*)"[^"\n]*"/g;
/** A quoted value introduced by a word that names a value: `value "x" is out of range`, `Token "x"`, `at or near "x"`, `entry 'x'`. */
const VALUE_WORD = /\b(value|entry|literal|token|string|input|near|parameter \$\d+ =|found)(:?\s+)(["'])(?:(?!\3)[^\n])*\3/gi;
/** `Key (a, b)=(values)` (unique, foreign-key, exclusion DETAIL) and `Failing row contains (values)` (check, not-null). */
const OPEN_VALUES = /(Key \([^()\n]*\)=\(|Failing row contains \()/g;
/** DETAIL and CONTEXT lines carry data in any quoting; JSON parse context repeats the input itself. */
const DETAIL_LINE = /\b(DETAIL|CONTEXT|HINT):[^\n]*/g;
const JSON_CONTEXT = /(JSON data, line \d+:)[^\n]*/g;
/** V8's JSON.parse errors quote the start of the input (up to the line's end: the input may hold quotes). */
const JSON_INPUT = /(Unexpected [^,\n]*, )"[^\n]*"(\.\.\.)?( is not valid JSON)/g;
const ANY_QUOTED = /(["'])(?:(?!\1)[^\n])*\1/g;
/**
 * A Redis error reply: an all-caps code (ERR, WRONGTYPE, NOPERM, …) at the start of a line or after
 * `Error: `/`Reply: `/`[`. Its single-quoted parts are arguments, except the command name.
 */
const REDIS_LINE = /(^|\n|Error:\s|Reply:\s|\[)([A-Z]{2,}[A-Z_]*)( [^\n]*)/g;
const REDIS_QUOTED = /(\bcommand\s+|\bfor\s+)?'([^'\n]*)'(\s+command)?/g;

/** From `start` (just past an opening parenthesis), the index of its matching `)` or the line's end. */
function closing(s: string, start: number): number {
  let depth = 1;
  for (let i = start; i < s.length; i++) {
    const c = s[i];
    if (c === '\n') return i;
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return s.length;
}

function redactValueLists(s: string): string {
  let out = '';
  let last = 0;
  OPEN_VALUES.lastIndex = 0;
  for (let m = OPEN_VALUES.exec(s); m; m = OPEN_VALUES.exec(s)) {
    const open = m.index + m[0].length;
    const end = closing(s, open);
    out += s.slice(last, open) + REDACTED;
    last = end;
    OPEN_VALUES.lastIndex = end;
  }
  return last === 0 ? s : out + s.slice(last);
}

/** Cheap pre-test: without one of these, no rule below can match. */
export const DB_ERROR_HINT = /"|'|Key \(|Failing row|DETAIL:|CONTEXT:/;

export function redactDbErrors(s: string): string {
  let out = redactValueLists(s);
  out = out.replace(JSON_CONTEXT, `$1 ${REDACTED}`);
  out = out.replace(JSON_INPUT, `$1"${REDACTED}"$2$3`);
  out = out.replace(DETAIL_LINE, (line) => line.replace(ANY_QUOTED, (_q, quote: string) => `${quote}${REDACTED}${quote}`));
  out = out.replace(COLON_QUOTED, `$1$2"${REDACTED}"`);
  out = out.replace(VALUE_WORD, (_m, word: string, sep: string, quote: string) => `${word}${sep}${quote}${REDACTED}${quote}`);
  out = out.replace(REDIS_LINE, (_m, lead: string, code: string, rest: string) => lead + code + rest.replace(REDIS_QUOTED,
    (q, before: string | undefined, _arg: string, after: string | undefined) => (before?.startsWith('command') || after ? q : `${before ?? ''}'${REDACTED}'`)));
  return out;
}
