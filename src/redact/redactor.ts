// The one place where secrets are removed before any signal leaves the process: span names,
// attributes, events, links and status at export; log records (body and attributes, any depth) as
// they are emitted (before the SDK freezes them); metric point attributes; the resource.
import type { Attributes } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { DbStatementMode, UrlPathMode } from '../config/config.js';
import { redactPath } from './path-segments.js';
import { boundedMemo } from './bounded-memo.js';
import type { Resource } from '@opentelemetry/resources';
import { IDENTIFIER_KEY, secretKeyMatcher } from './keys.js';
import { REDACTED, redactUrl } from './url.js';
import { textRedactor, type TextRedactor } from './text.js';
import { sanitizeSql } from './sql.js';
import { nestedRedactor, numberRedactor } from './nested.js';
import { redactResource } from './resource.js';

export interface RedactionOptions {
  readonly extraSecretKeys: readonly string[];
  readonly keepQueryKeys: readonly string[];
  readonly dbStatement: DbStatementMode;
  /** Default `redacted`: URL path segments that are not known-safe literals are masked. */
  readonly urlPath?: UrlPathMode;
}

const URL_KEYS = new Set(['url.full', 'url.original', 'http.url', 'http.target', 'db.connection_string', 'http.request.header.referer']);
const STATEMENT_KEYS = ['db.query.text', 'db.statement'];
const STATEMENT_KEY_SET = new Set(STATEMENT_KEYS);
/** Redis statements are reduced at creation by our serializer; everything else called a statement is SQL-like. */
const ID_TEXT = { blobs: false } as const;
const NON_SQL_SYSTEMS = new Set(['redis', 'mongodb', 'memcached', 'elasticsearch', 'cassandra']);

type KeyKind = 'secret' | 'statement' | 'url' | 'path' | 'query' | 'identifier' | 'text';
const KEY_KINDS = 4096;
const hasOwn = Object.prototype.hasOwnProperty;
/**
 * True when `v` is a lower-case canonical UUID (crypto.randomUUID's form, and our request ids') the
 * identifier text rules would return unchanged: hex and dashes carry no URL, pair, scheme word, secret
 * word, quote, e-mail or key block, and blobs are not judged under identifier keys; only a run of 13
 * digits with at most single dashes between them could be a card number, and those take the full pass.
 * One pass over the characters: the two regular expressions it replaces were 70 of the 218 ms the span
 * redaction took (`node --cpu-prof`, bench app /hello, 2026-12-05), a fresh UUID per request.
 */
function isPlainUuid(v: string): boolean {
  if (v.length !== 36) return false;
  let digitRun = 0;
  for (let i = 0; i < 36; i++) {
    const c = v.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      // A single dash keeps a digit run going (the card rule allows one between digits).
      if (c !== 0x2d) return false;
    } else if (c >= 0x30 && c <= 0x39) {
      if (++digitRun >= 13) return false;
    } else if (c >= 0x61 && c <= 0x66) {
      digitRun = 0;
    } else {
      return false;
    }
  }
  return true;
}

export interface Redactor {
  readonly attributes: (attrs: Attributes) => void;
  readonly text: TextRedactor;
  /** A copy of the resource with its attributes redacted (OTEL_RESOURCE_ATTRIBUTES, target_info). */
  readonly resource: (resource: Resource) => Resource;
  readonly spans: (spans: ReadableSpan[]) => void;
  /** Metric point attributes, copied (the SDK keeps the originals as its aggregation keys). */
  readonly metrics: (metrics: ResourceMetrics) => void;
  readonly logProcessor: LogRecordProcessor;
}

export function createRedactor(options: RedactionOptions): Redactor {
  const isSecretKey = secretKeyMatcher(options.extraSecretKeys);
  const keep = new Set(options.keepQueryKeys.map((k) => k.toLowerCase()));
  const text = textRedactor(isSecretKey, keep);
  const cardNumber = numberRedactor(text);
  // Paths repeat (a service serves a few hundred): each is judged once, bounded like the statements.
  const paths = options.urlPath === 'raw' ? undefined : boundedMemo(redactPath, 4096, 2048);
  // Logged request objects (pino-http's req.url, originalUrl, …) get the same URL rules as url.full.
  const nested = nestedRedactor(isSecretKey, text, (v) => text(redactUrl(v, keep, false, paths)));
  // A service runs a few hundred distinct statements: each is scanned once (same bounds as text).
  const sql = boundedMemo(sanitizeSql, 4096, 2048);

  function statement(attrs: Attributes, key: string): void {
    const v = attrs[key];
    if (typeof v !== 'string') return;
    if (options.dbStatement === 'off') {
      delete attrs[key];
      return;
    }
    if (options.dbStatement === 'raw') return;
    const system = String(attrs['db.system.name'] ?? attrs['db.system'] ?? '');
    // Redis statements were reduced to command and key names by our serializer; the key names still
    // pass the text rules (a key such as `reset:<token>`), as does what other stores put there.
    attrs[key] = NON_SQL_SYSTEMS.has(system) ? text(v) : sql(v);
  }

  // What a key asks for depends on the key alone, and a service uses a few dozen keys: classified once.
  // Measured (2026-12-05, `--cpu-prof obs --endpoint /hello`): the secret-key and identifier regexes run
  // per key per span were 53 of the 319 ms the span redaction took at export (of 7680 ms busy).
  const kinds = new Map<string, KeyKind>();
  function kindOf(key: string): KeyKind {
    let kind = kinds.get(key);
    if (kind === undefined) {
      kind = isSecretKey(key) ? 'secret'
        : STATEMENT_KEY_SET.has(key) ? 'statement'
        : URL_KEYS.has(key) ? 'url'
        : key === 'url.path' ? 'path'
        : key === 'url.query' ? 'query'
        : IDENTIFIER_KEY.test(key) ? 'identifier'
        : 'text';
      // Bounded whatever keys an app invents (per-request keys): cleared, refilled in one batch.
      if (kinds.size >= KEY_KINDS) kinds.clear();
      kinds.set(key, kind);
    }
    return kind;
  }

  function attributes(attrs: Attributes): void {
    // for-in with an own-property check: Object.keys' array per call was 0.55 KB per /work request (bench/alloc.mjs).
    for (const key in attrs) {
      if (!hasOwn.call(attrs, key)) continue;
      const v = attrs[key];
      const kind = kindOf(key);
      if (kind === 'secret') attrs[key] = v === undefined ? v : REDACTED;
      else if (kind === 'statement') continue;
      else if (typeof v === 'string') {
        const redacted = kind === 'url' ? text(redactUrl(v, keep, false, key === 'db.connection_string' ? undefined : paths))
          : kind === 'path' ? text(paths ? paths(v) : v)
          : kind === 'query' ? redactUrl(v, keep, true)
          // A generated request id (a fresh UUID per request) would miss the text cache every time and
          // push the recurring values out of it; its shape cannot hold a secret (see isPlainUuid).
          : kind === 'identifier' ? (isPlainUuid(v) ? v : text(v, ID_TEXT))
          // Any other string can carry a secret too (a custom attribute, a captured header, an error message).
          : text(v);
        // Most values come back as they were: a store per key into objects of every shape was a
        // megamorphic keyed store each (`node --prof` on /hello, 2026-12-05).
        if (redacted !== v) attrs[key] = redacted;
      } else if (typeof v === 'number') {
        if (cardNumber(v)) attrs[key] = REDACTED;
      } else if (v !== null && typeof v === 'object') {
        // Arrays, and the maps log attributes may hold (pino/winston/bunyan objects): any depth.
        attrs[key] = nested(v, key) as typeof v;
      }
    }
    for (const key of STATEMENT_KEYS) statement(attrs, key);
  }

  function spans(list: ReadableSpan[]): void {
    for (const span of list) {
      attributes(span.attributes);
      const name = text(span.name);
      if (name !== span.name) (span as { name: string }).name = name;
      for (const event of span.events) {
        (event as { name: string }).name = text(event.name);
        if (event.attributes) attributes(event.attributes);
      }
      for (const link of span.links) if (link.attributes) attributes(link.attributes);
      if (span.status.message) (span.status as { message?: string }).message = text(span.status.message);
    }
  }

  function metrics(rm: ResourceMetrics): void {
    for (const scope of rm.scopeMetrics) {
      for (const metric of scope.metrics) {
        for (const point of metric.dataPoints as { attributes: Attributes }[]) {
          const copy = { ...point.attributes };
          attributes(copy);
          point.attributes = copy;
        }
      }
    }
  }

  const logProcessor: LogRecordProcessor = {
    onEmit(record: ReadWriteLogRecord) {
      if (record.attributes) attributes(record.attributes as Attributes);
      if (record.body !== undefined) record.setBody(nested(record.body) as ReadWriteLogRecord['body'] & string);
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };

  return { attributes, text, spans, metrics, logProcessor, resource: (r) => redactResource(r, attributes) };
}
