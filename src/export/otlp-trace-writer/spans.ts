// ExportTraceServiceRequest from ReadableSpan[] in one pass: resource → scope → spans, grouped as upstream groups them.
//
// Field order, presence rules and the span flags follow opentelemetry-proto's trace.proto and the SDK's
// own serializer (@opentelemetry/otlp-transformer 0.301.x), so the bytes are identical to it; test/otlp-trace-writer.test.ts
// checks that byte for byte and through protobufjs.
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import type { Link, SpanContext } from '@opentelemetry/api';
import type { ByteWriter } from './buffer.js';
import { writeKeyValues } from './values.js';

/** SpanFlags bits (trace.proto): whether the parent's remoteness is known, and whether it was remote. */
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;
/** Span.flags: field 16, fixed32. */
const FLAGS_TAG = (16 << 3) | 5;

/** Tag bytes (field << 3 | wire type), named by message.field. */
const T = {
  requestResourceSpans: 0x0a,
  resourceSpansResource: 0x0a, resourceSpansScopeSpans: 0x12, resourceSpansSchemaUrl: 0x1a,
  resourceAttributes: 0x0a, resourceDropped: 0x10,
  scopeSpansScope: 0x0a, scopeSpansSpans: 0x12, scopeSpansSchemaUrl: 0x1a,
  scopeName: 0x0a, scopeVersion: 0x12, scopeAttributes: 0x1a, scopeDropped: 0x20,
  traceId: 0x0a, spanId: 0x12, traceState: 0x1a, parentSpanId: 0x22, name: 0x2a, kind: 0x30,
  start: 0x39, end: 0x41, attributes: 0x4a, droppedAttributes: 0x50, events: 0x5a, droppedEvents: 0x60,
  links: 0x6a, droppedLinks: 0x70, status: 0x7a,
  eventTime: 0x09, eventName: 0x12, eventAttributes: 0x1a, eventDropped: 0x20,
  linkTraceId: 0x0a, linkSpanId: 0x12, linkTraceState: 0x1a, linkAttributes: 0x22, linkDropped: 0x28, linkFlags: 0x35,
  statusMessage: 0x12, statusCode: 0x18,
} as const;

type Resource = ReadableSpan['resource'];
type Scope = ReadableSpan['instrumentationScope'] & {
  readonly attributes?: Readonly<Record<string, unknown>>;
  readonly droppedAttributesCount?: number;
};

function spanFlags(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | HAS_IS_REMOTE | (isRemote ? IS_REMOTE : 0);
}

function writeEvent(w: ByteWriter, e: TimedEvent): void {
  w.uint32(T.eventTime);
  w.hrTime(e.time);
  w.uint32(T.eventName);
  w.string(e.name);
  if (e.attributes) writeKeyValues(w, e.attributes, T.eventAttributes);
  w.uint32(T.eventDropped);
  w.uint32(e.droppedAttributesCount || 0);
}

function writeLink(w: ByteWriter, l: Link): void {
  const c: SpanContext = l.context;
  w.uint32(T.linkTraceId);
  w.hexBytes(c.traceId);
  w.uint32(T.linkSpanId);
  w.hexBytes(c.spanId);
  const ts = c.traceState?.serialize();
  if (ts) {
    w.uint32(T.linkTraceState);
    w.string(ts);
  }
  if (l.attributes) writeKeyValues(w, l.attributes, T.linkAttributes);
  w.uint32(T.linkDropped);
  w.uint32(l.droppedAttributesCount || 0);
  w.uint32(T.linkFlags);
  w.fixed32(spanFlags(c.traceFlags, c.isRemote));
}

function writeSpan(w: ByteWriter, s: ReadableSpan): void {
  const c = s.spanContext();
  w.uint32(T.traceId);
  w.hexBytes(c.traceId);
  w.uint32(T.spanId);
  w.hexBytes(c.spanId);
  const ts = c.traceState?.serialize();
  if (ts) {
    w.uint32(T.traceState);
    w.string(ts);
  }
  const parent = s.parentSpanContext;
  if (parent?.spanId) {
    w.uint32(T.parentSpanId);
    w.hexBytes(parent.spanId);
  }
  w.uint32(T.name);
  w.string(s.name);
  // api SpanKind starts at INTERNAL = 0; OTLP's starts at UNSPECIFIED = 0 (a proto3 default: not written).
  const kind = s.kind == null ? 0 : s.kind + 1;
  if (kind !== 0) {
    w.uint32(T.kind);
    w.uint32(kind);
  }
  w.uint32(T.start);
  w.hrTime(s.startTime);
  w.uint32(T.end);
  w.hrTime(s.endTime);
  if (s.attributes) writeKeyValues(w, s.attributes, T.attributes);
  w.uint32(T.droppedAttributes);
  w.uint32(s.droppedAttributesCount);
  for (const e of s.events) {
    w.uint32(T.events);
    const m = w.begin(1);
    writeEvent(w, e);
    w.end(m);
  }
  w.uint32(T.droppedEvents);
  w.uint32(s.droppedEventsCount);
  for (const l of s.links) {
    w.uint32(T.links);
    const m = w.begin(1);
    writeLink(w, l);
    w.end(m);
  }
  w.uint32(T.droppedLinks);
  w.uint32(s.droppedLinksCount);
  w.uint32(T.status);
  const st = w.begin(1);
  if (s.status.message) {
    w.uint32(T.statusMessage);
    w.string(s.status.message);
  }
  w.uint32(T.statusCode);
  w.uint32(s.status.code);
  w.end(st);
  // Always non-zero (HAS_IS_REMOTE is set), so always written. Field 16 needs a two-byte tag.
  w.uint32(FLAGS_TAG);
  w.fixed32(spanFlags(c.traceFlags, parent?.isRemote));
}

function writeScope(w: ByteWriter, scope: Scope): void {
  w.uint32(T.scopeSpansScope);
  const m = w.begin(1);
  w.uint32(T.scopeName);
  w.string(scope.name);
  if (scope.version) {
    w.uint32(T.scopeVersion);
    w.string(scope.version);
  }
  if (scope.attributes) writeKeyValues(w, scope.attributes, T.scopeAttributes);
  if (scope.droppedAttributesCount) {
    w.uint32(T.scopeDropped);
    w.uint32(scope.droppedAttributesCount);
  }
  w.end(m);
}

/** The span entries of ScopeSpans (field 2, each length-prefixed) for `spans[from, to)`. */
export function writeSpanEntries(w: ByteWriter, spans: readonly ReadableSpan[], from: number, to: number): void {
  for (let i = from; i < to; i++) {
    w.uint32(T.scopeSpansSpans);
    // Most spans are 128 B – 16 KiB: reserve the 2-byte length they need.
    const m = w.begin(2);
    writeSpan(w, spans[i]);
    w.end(m);
  }
}

/** One instrumentation scope's spans within a resource, in first-seen order. */
export interface ScopeGroup {
  readonly scope: Scope;
  readonly spans: ReadableSpan[];
}

/** One resource's scope groups, in first-seen order. */
export interface ResourceGroup {
  readonly resource: Resource;
  readonly scopes: ScopeGroup[];
}

/** Writes a scope group's span entries: all of them encoded here, or bytes encoded earlier (see pack-job.ts). */
export type SpanEntriesWriter = (w: ByteWriter, group: ScopeGroup) => void;

const encodeEntries: SpanEntriesWriter = (w, group) => writeSpanEntries(w, group.spans, 0, group.spans.length);

function writeScopeSpans(w: ByteWriter, group: ScopeGroup, entries: SpanEntriesWriter): void {
  const scope = group.scope;
  writeScope(w, scope);
  entries(w, group);
  if (scope.schemaUrl) {
    w.uint32(T.scopeSpansSchemaUrl);
    w.string(scope.schemaUrl);
  }
}

function writeResourceSpans(w: ByteWriter, { resource, scopes }: ResourceGroup, entries: SpanEntriesWriter): void {
  w.uint32(T.resourceSpansResource);
  const r = w.begin(2);
  if (resource.attributes) writeKeyValues(w, resource.attributes, T.resourceAttributes);
  w.uint32(T.resourceDropped);
  w.uint32(0);
  w.end(r);
  for (const group of scopes) {
    w.uint32(T.resourceSpansScopeSpans);
    const m = w.begin(3);
    writeScopeSpans(w, group, entries);
    w.end(m);
  }
  if (resource.schemaUrl) {
    w.uint32(T.resourceSpansSchemaUrl);
    w.string(resource.schemaUrl);
  }
}

/**
 * Spans grouped by resource, then by instrumentation scope, both by object identity and in first-seen
 * order: what the SDK's serializer does, so a batch keeps the same structure with either encoder.
 */
export function groupSpans(spans: readonly ReadableSpan[]): ResourceGroup[] {
  const out: ResourceGroup[] = [];
  const byResource = new Map<Resource, { readonly entry: ResourceGroup; readonly scopes: Map<unknown, ScopeGroup> }>();
  for (const s of spans) {
    let known = byResource.get(s.resource);
    if (known === undefined) {
      known = { entry: { resource: s.resource, scopes: [] }, scopes: new Map() };
      byResource.set(s.resource, known);
      out.push(known.entry);
    }
    const group = known.scopes.get(s.instrumentationScope);
    if (group !== undefined) {
      group.spans.push(s);
    } else {
      const created: ScopeGroup = { scope: s.instrumentationScope as Scope, spans: [s] };
      known.scopes.set(s.instrumentationScope, created);
      known.entry.scopes.push(created);
    }
  }
  return out;
}

/** Writes a request for `groups` into `w` (from its current position), each scope's spans by `entries`. */
export function writeGroupedRequest(w: ByteWriter, groups: readonly ResourceGroup[], entries: SpanEntriesWriter): void {
  for (const group of groups) {
    w.uint32(T.requestResourceSpans);
    const m = w.begin(3);
    writeResourceSpans(w, group, entries);
    w.end(m);
  }
}

/** Writes the whole request into `w` (from its current position). */
export function writeTraceRequest(w: ByteWriter, spans: readonly ReadableSpan[]): void {
  writeGroupedRequest(w, groupSpans(spans), encodeEntries);
}
