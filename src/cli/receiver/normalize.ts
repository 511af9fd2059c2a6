// Wire-shaped OTLP requests (from protobuf or JSON) → flat spans, metric points and log records.
import {
  anyValue, arr, attributes, obj, toCount, toDecimal, toDouble, toEnum, toHexId, toNum, toStr,
} from './values.js';
import type {
  DecodedBatch, ExponentialBuckets, MetricType, Origin, Protocol, ReceivedLog,
  ReceivedMetricPoint, ReceivedSpan, Scope, Signal, SpanKindName, StatusCodeName, Temporality,
} from './types.js';

/** A decoded request before normalization: camelCase keys, loosely typed values. */
export type Wire = Record<string, unknown>;

const SPAN_KINDS: readonly SpanKindName[] = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUS_CODES: readonly StatusCodeName[] = ['UNSET', 'OK', 'ERROR'];
const TEMPORALITIES: readonly string[] = ['UNSPECIFIED', 'DELTA', 'CUMULATIVE'];
const SEVERITIES: readonly string[] = ['UNSPECIFIED', ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']
  .flatMap((s) => [s, `${s}2`, `${s}3`, `${s}4`])];

interface OriginInput { protocol: Protocol; requestId: number }

/** Walks resource → scope → items, handing each item its Origin. */
function walk(
  resourceList: unknown,
  scopeKey: string,
  itemKey: string,
  origin: OriginInput,
  each: (item: Record<string, unknown>, o: Origin) => void,
): void {
  for (const rs of arr(resourceList)) {
    const r = obj(rs);
    const resource = attributes(obj(r.resource).attributes);
    for (const ss of arr(r[scopeKey])) {
      const s = obj(ss);
      const sc = obj(s.scope);
      const scope: Scope = { name: toStr(sc.name), version: toStr(sc.version), attributes: attributes(sc.attributes) };
      for (const item of arr(s[itemKey])) each(obj(item), { resource, scope, ...origin });
    }
  }
}

function durationMs(start: string, end: string): number {
  return Number(BigInt(end) - BigInt(start)) / 1e6;
}

export function normalizeSpans(wire: Wire, origin: OriginInput): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  walk(wire.resourceSpans, 'scopeSpans', 'spans', origin, (s, o) => {
    const status = obj(s.status);
    const start = toDecimal(s.startTimeUnixNano);
    const end = toDecimal(s.endTimeUnixNano);
    out.push({
      traceId: toHexId(s.traceId),
      spanId: toHexId(s.spanId),
      parentSpanId: toHexId(s.parentSpanId),
      traceState: toStr(s.traceState),
      flags: toNum(s.flags),
      name: toStr(s.name),
      kind: SPAN_KINDS[toEnum(s.kind, SPAN_KINDS, 'SPAN_KIND_')] ?? 'UNSPECIFIED',
      startTimeUnixNano: start,
      endTimeUnixNano: end,
      durationMs: durationMs(start, end),
      attributes: attributes(s.attributes),
      status: {
        code: STATUS_CODES[toEnum(status.code, STATUS_CODES, 'STATUS_CODE_')] ?? 'UNSET',
        message: toStr(status.message),
      },
      events: arr(s.events).map((e) => {
        const ev = obj(e);
        return { name: toStr(ev.name), timeUnixNano: toDecimal(ev.timeUnixNano), attributes: attributes(ev.attributes) };
      }),
      links: arr(s.links).map((l) => {
        const ln = obj(l);
        return {
          traceId: toHexId(ln.traceId), spanId: toHexId(ln.spanId),
          traceState: toStr(ln.traceState), attributes: attributes(ln.attributes),
        };
      }),
      droppedAttributesCount: toNum(s.droppedAttributesCount),
      ...o,
    });
  });
  return out;
}

function temporality(v: unknown): Temporality {
  const i = toEnum(v, TEMPORALITIES, 'AGGREGATION_TEMPORALITY_');
  return i === 1 ? 'delta' : i === 2 ? 'cumulative' : 'unspecified';
}

function optionalDouble(p: Record<string, unknown>, key: string): { [k: string]: number } {
  return p[key] === undefined || p[key] === null ? {} : { [key]: toDouble(p[key]) };
}

function buckets(v: unknown): ExponentialBuckets {
  const b = obj(v);
  return { offset: toNum(b.offset), bucketCounts: arr(b.bucketCounts).map(toCount) };
}

export function normalizeMetrics(wire: Wire, origin: OriginInput): ReceivedMetricPoint[] {
  const out: ReceivedMetricPoint[] = [];
  walk(wire.resourceMetrics, 'scopeMetrics', 'metrics', origin, (m, o) => {
    const type = (['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary'] as const)
      .find((t) => m[t] !== undefined && m[t] !== null) as MetricType | undefined;
    if (!type) return; // a metric without data carries no points
    const data = obj(m[type]);
    for (const dp of arr(data.dataPoints)) {
      const p = obj(dp);
      const base: ReceivedMetricPoint = {
        name: toStr(m.name), description: toStr(m.description), unit: toStr(m.unit), type,
        attributes: attributes(p.attributes),
        startTimeUnixNano: toDecimal(p.startTimeUnixNano), timeUnixNano: toDecimal(p.timeUnixNano),
        ...o,
      };
      if (type === 'sum' || type === 'gauge') {
        base.value = p.asInt !== undefined && p.asInt !== null ? toCount(p.asInt) : toDouble(p.asDouble);
        if (type === 'sum') {
          base.monotonic = data.isMonotonic === true;
          base.temporality = temporality(data.aggregationTemporality);
        }
      } else if (type === 'summary') {
        Object.assign(base, {
          count: toCount(p.count), sum: toDouble(p.sum),
          quantiles: arr(p.quantileValues).map((q) => ({ quantile: toDouble(obj(q).quantile), value: toDouble(obj(q).value) })),
        });
      } else {
        Object.assign(base, {
          temporality: temporality(data.aggregationTemporality), count: toCount(p.count),
          ...optionalDouble(p, 'sum'), ...optionalDouble(p, 'min'), ...optionalDouble(p, 'max'),
        });
        if (type === 'histogram') {
          base.bucketCounts = arr(p.bucketCounts).map(toCount);
          base.explicitBounds = arr(p.explicitBounds).map(toDouble);
        } else {
          Object.assign(base, {
            scale: toNum(p.scale), zeroCount: toCount(p.zeroCount),
            positive: buckets(p.positive), negative: buckets(p.negative),
          });
        }
      }
      out.push(base);
    }
  });
  return out;
}

export function normalizeLogs(wire: Wire, origin: OriginInput): ReceivedLog[] {
  const out: ReceivedLog[] = [];
  walk(wire.resourceLogs, 'scopeLogs', 'logRecords', origin, (l, o) => {
    out.push({
      body: l.body === undefined ? null : anyValue(l.body),
      severityNumber: toEnum(l.severityNumber, SEVERITIES, 'SEVERITY_NUMBER_'),
      severityText: toStr(l.severityText),
      attributes: attributes(l.attributes),
      traceId: toHexId(l.traceId),
      spanId: toHexId(l.spanId),
      flags: toNum(l.flags),
      eventName: toStr(l.eventName),
      timeUnixNano: toDecimal(l.timeUnixNano),
      observedTimeUnixNano: toDecimal(l.observedTimeUnixNano),
      ...o,
    });
  });
  return out;
}

export function normalizeRequest(
  signal: Signal,
  wire: Wire,
  origin: OriginInput,
): DecodedBatch {
  return {
    spans: signal === 'traces' ? normalizeSpans(wire, origin) : [],
    metrics: signal === 'metrics' ? normalizeMetrics(wire, origin) : [],
    logs: signal === 'logs' ? normalizeLogs(wire, origin) : [],
  };
}
