// The one privacy matcher for names: attribute keys, query parameters, header names and environment
// variable names that look like secrets. Their values never leave the process (as REDACTED, url.ts).
import { boundedMemo } from './bounded-memo.js';

export const DEFAULT_SECRET_KEY_PARTS: readonly string[] = [
  'password', 'passwd', 'pwd', 'secret', 'token', 'api_key', 'apikey', 'api-key', 'x-api-key', 'authorization',
  'cookie', 'set-cookie', 'session', 'sessionid', 'credential', 'credit_card', 'creditcard', 'card_number',
  'cardnumber', 'cvv', 'private_key', 'privatekey', 'access_key', 'accesskey', 'client_secret', 'signature',
];

/**
 * Keys that hold the arguments of a call rather than its shape: bind values (`pool.query(text, values)`
 * logged as `{ values }`), ioredis's `err.command.args`, semconv's opt-in `db.query.parameter.<n>`.
 * Matched as a whole last segment, so `default_values` or `user.params_count` are not caught.
 */
const ARGUMENT_KEYS = /(?:^|[._-])(?:args|argv|arguments|values|bindings|binds|bind_values|parameters|params)$|^db\.(?:query|operation)\.parameter\./i;

/** Semantic-convention keys that contain a secret-looking word but hold counts (gen_ai.usage.input_tokens). */
const NOT_SECRET = /^gen_ai\.(usage\.[a-z_.]*tokens|request\.max_tokens)$/;

/**
 * Words that also mark a secret in names a person reads (environment variables such as
 * OTEL_EXPORTER_OTLP_HEADERS or OBS_API_KEY, config shown by `obs doctor`): too broad for attribute
 * keys, where `cache.key` or `author` are ordinary data.
 */
const FOR_PEOPLE_PARTS: readonly string[] = ['key', 'auth', 'headers'];

export interface MatcherOptions {
  /** Also match FOR_PEOPLE_PARTS: for configuration names and values shown in warnings and reports. */
  readonly forPeople?: boolean;
}

/** Distinct keys remembered per matcher; past this the cache starts over (cost, not correctness). */
const KEY_CACHE_SIZE = 2048;

/** A matcher over the key's text, case-insensitive; `extra` comes from OBS_REDACT_KEYS. */
export function secretKeyMatcher(extra: readonly string[], options: MatcherOptions = {}): (key: string) => boolean {
  const parts = [...DEFAULT_SECRET_KEY_PARTS, ...(options.forPeople ? FOR_PEOPLE_PARTS : []), ...extra.map((e) => e.toLowerCase()).filter((e) => e !== '')];
  const escaped = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(escaped.join('|'), 'i');
  const match = (key: string): boolean => (re.test(key) && !NOT_SECRET.test(key)) || ARGUMENT_KEYS.test(key);
  // Keys repeat (a service has a few hundred at most): the answer is kept per key. Three regular
  // expressions per key were 10 ms of one export batch's redaction in a profile of test/safety-stalls;
  // a Map hit costs a tenth of that. Bounded: a flood of distinct keys starts the cache over.
  return boundedMemo(match, KEY_CACHE_SIZE);
}


/**
 * Keys whose values are identifiers by definition (trace_id, host.id, container.id, request_id,
 * k8s.pod.uid, aws.ecs.task.arn, service.version, vcs.ref.head.revision, container.image.repo_digests):
 * random-looking on purpose, so the blob rule (src/redact/shapes.ts) skips them.
 * A secret-looking key (session_id) is matched first and still redacted whole.
 */
export const IDENTIFIER_KEY = /(?:^|[._-])(?:id|uid|uuid|guid|arn|version|revision|digests?|trace_?id|span_?id|trace_?flags)$|[a-z]Id$/;
