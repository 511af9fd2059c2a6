// SQL sanitizing: literals become ?, comments go, the shape of the query stays.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sanitizeSql } from '../src/redact/sql.js';

const CASES: [string, string, string][] = [
  ['string literal', "SELECT * FROM users WHERE email = 'a@b.c' AND password = 'hunter2'", 'SELECT * FROM users WHERE email = ? AND password = ?'],
  ['numbers, negative stays an operator', 'UPDATE accounts SET balance = -12.5e3 WHERE id = 42', 'UPDATE accounts SET balance = -? WHERE id = ?'],
  ['hex and IN lists', 'SELECT 1 FROM t WHERE x IN (1, 2, 0xFF)', 'SELECT ? FROM t WHERE x IN (?, ?, ?)'],
  ['doubled quotes inside a string', "INSERT INTO t VALUES ('it''s secret')", 'INSERT INTO t VALUES (?)'],
  ['E-strings with backslash escapes', "SELECT E'line\\'s secret'", 'SELECT ?'],
  ['B, X and N prefixed strings', "SELECT B'0101', X'ff', N'naïve'", 'SELECT ?, ?, ?'],
  ['dollar-quoted bodies', 'SELECT $tag$secret body$tag$, $$another$$', 'SELECT ?, ?'],
  ['$n placeholders are kept', 'SELECT * FROM t WHERE a = $1 AND b = $2', 'SELECT * FROM t WHERE a = $1 AND b = $2'],
  ['identifiers with digits are kept', 'SELECT col1, t2.x3 FROM table_2024', 'SELECT col1, t2.x3 FROM table_2024'],
  ['quoted identifiers are kept', 'SELECT "Column 1" FROM "T"', 'SELECT "Column 1" FROM "T"'],
  ['line comments removed', "SELECT 1 -- password 'x'\nFROM t", 'SELECT ? FROM t'],
  ['block comments removed', "SELECT /* token=abc */ name FROM t WHERE k = 'v'", 'SELECT name FROM t WHERE k = ?'],
  ['unterminated string hides the rest', "SELECT 'unterminated secret", 'SELECT ?'],
  ['unicode escape strings', "SELECT U&'d\\0061t\\+000061'", 'SELECT U&?'],
];

for (const [name, input, expected] of CASES) {
  test(`sanitizeSql: ${name}`, () => assert.equal(sanitizeSql(input), expected));
}

test('sanitizeSql never lets a literal through (corpus)', () => {
  const secrets = ['s3cr3t-one', 'p@ss w0rd', 'tok_live_12345'];
  for (const s of secrets) {
    const out = sanitizeSql(`SELECT * FROM x WHERE a = '${s.replace(/'/g, "''")}' OR b = $q$${s}$q$ OR c = E'${s}'`);
    assert.ok(!out.includes(s), out);
  }
});
