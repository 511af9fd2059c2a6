// Database, Redis and parser error text: values the server echoes are redacted, identifiers stay.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secretKeyMatcher } from '../src/redact/keys.js';
import { textRedactor } from '../src/redact/text.js';
import { REDACTED as R } from '../src/redact/url.js';

const text = textRedactor(secretKeyMatcher([]), new Set());

const CASES: [string, string, string][] = [
  ['pg invalid input', 'invalid input syntax for type integer: "s3cr3t"', `invalid input syntax for type integer: "${R}"`],
  ['pg enum', 'invalid input value for enum mood: "s3cr3t"', `invalid input value for enum mood: "${R}"`],
  ['pg out of range', 'value "s3cr3t" is out of range for type integer', `value "${R}" is out of range for type integer`],
  ['pg syntax error near a literal', `syntax error at or near "'s3cr3t'"`, `syntax error at or near "${R}"`],
  ['pg unique DETAIL', 'Key (email)=(s3cr3t) already exists.', `Key (email)=(${R}) already exists.`],
  ['pg foreign key DETAIL, parentheses in values', 'Key (a, b)=(x(1), s3cr3t) is not present in table "t".', `Key (a, b)=(${R}) is not present in table "t".`],
  ['pg check / not-null DETAIL', 'Failing row contains (1, s3cr3t, null).', `Failing row contains (${R}).`],
  ['pg JSON token and context', 'Token "s3cr3t" is invalid.\nCONTEXT:  JSON data, line 1: s3cr3t...', `Token "${R}" is invalid.\nCONTEXT:  JSON data, line 1: ${R}`],
  ['psql DETAIL line', 'ERROR:  bad\nDETAIL:  Array value "s3cr3t" here', `ERROR:  bad\nDETAIL:  Array value "${R}" here`],
  ['MySQL duplicate entry', "Duplicate entry 's3cr3t' for key 'users.email'", `Duplicate entry '${R}' for key 'users.email'`],
  ['Mongo dup key', 'E11000 dup key: { email: "s3cr3t" }', `E11000 dup key: { email: "${R}" }`],
  ['redis unknown command args', "ERR unknown command 'FOO', with args beginning with: 's3cr3t' 'x' ", `ERR unknown command 'FOO', with args beginning with: '${R}' '${R}' `],
  ['redis subcommand', "ReplyError: ERR unknown subcommand 's3cr3t'. Try OBJECT HELP.", `ReplyError: ERR unknown subcommand '${R}'. Try OBJECT HELP.`],
  ['redis arity keeps the command', "ERR wrong number of arguments for 'set' command", "ERR wrong number of arguments for 'set' command"],
  ['JSON.parse echoing its input', `Unexpected token 'p', "password=h"... is not valid JSON`, `Unexpected token '${R}', "${R}"... is not valid JSON`],
  ['JSON.parse echoing input with quotes', 'Unexpected token \'c\', "{"a": s3cr3t}" is not valid JSON', `Unexpected token '${R}', "${R}" is not valid JSON`],
  ['identifiers stay', 'null value in column "email" of relation "users" violates not-null constraint', 'null value in column "email" of relation "users" violates not-null constraint'],
];

for (const [name, input, expected] of CASES) test(`db error text: ${name}`, () => assert.equal(text(input), expected));
