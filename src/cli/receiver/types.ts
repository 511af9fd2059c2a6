// Public types of the OTLP receiver: the normalized telemetry shapes tests and `obs tail` read.

export type Signal = 'traces' | 'metrics' | 'logs';
export const SIGNALS: readonly Signal[] = ['traces', 'metrics', 'logs'];

export type Protocol = 'grpc' | 'http';
/** Body encoding of a request: OTLP protobuf or OTLP/JSON. */
export type Encoding = 'protobuf' | 'json';

/** An OTLP AnyValue flattened to plain JS. int64 is a number when safe, else a decimal string. */
export type AttrValue =
  | string
  | number
  | boolean
  | null
  | Uint8Array
  | AttrValue[]
  | { [key: string]: AttrValue };

export type Attributes = Record<string, AttrValue>;

export interface Scope {
  name: string;
  version: string;
  attributes: Attributes;
}

/** Fields every normalized item carries: where it came from. */
export interface Origin {
  resource: Attributes;
  scope: Scope;
  protocol: Protocol;
  /** `ReceivedRequest.id` of the export request that carried it. */
  requestId: number;
}

export type SpanKindName = 'UNSPECIFIED' | 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
export type StatusCodeName = 'UNSET' | 'OK' | 'ERROR';

export interface SpanEvent {
  name: string;
  timeUnixNano: string;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
}

export interface ReceivedSpan extends Origin {
  /** 32 lowercase hex chars. */
  traceId: string;
  /** 16 lowercase hex chars. */
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  traceState: string;
  flags: number;
  name: string;
  kind: SpanKindName;
  /** Decimal strings: nanoseconds do not fit a JS number. */
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  durationMs: number;
  attributes: Attributes;
  status: { code: StatusCodeName; message: string };
  events: SpanEvent[];
  links: SpanLink[];
  droppedAttributesCount: number;
}

export type MetricType = 'sum' | 'gauge' | 'histogram' | 'exponentialHistogram' | 'summary';
export type Temporality = 'delta' | 'cumulative' | 'unspecified';

export interface ExponentialBuckets {
  offset: number;
  bucketCounts: number[];
}

/**
 * One data point of one metric. A single flat interface (fields present by `type`) so that tests
 * can read `point.value` or `point.count` without narrowing.
 */
export interface ReceivedMetricPoint extends Origin {
  name: string;
  description: string;
  unit: string;
  type: MetricType;
  attributes: Attributes;
  startTimeUnixNano: string;
  timeUnixNano: string;
  /** sum only. */
  monotonic?: boolean;
  /** sum, histogram, exponentialHistogram. */
  temporality?: Temporality;
  /** sum and gauge. */
  value?: number;
  /** histogram, exponentialHistogram, summary. */
  count?: number;
  sum?: number;
  min?: number;
  max?: number;
  /** histogram. */
  bucketCounts?: number[];
  explicitBounds?: number[];
  /** exponentialHistogram. */
  scale?: number;
  zeroCount?: number;
  positive?: ExponentialBuckets;
  negative?: ExponentialBuckets;
  /** summary. */
  quantiles?: Array<{ quantile: number; value: number }>;
}

export interface ReceivedLog extends Origin {
  /** The AnyValue body flattened; null when absent. */
  body: AttrValue;
  severityNumber: number;
  severityText: string;
  attributes: Attributes;
  /** '' when the record is not tied to a span. */
  traceId: string;
  spanId: string;
  flags: number;
  eventName: string;
  timeUnixNano: string;
  observedTimeUnixNano: string;
}

/** The normalized content of one export request. */
export interface DecodedBatch {
  spans: ReceivedSpan[];
  metrics: ReceivedMetricPoint[];
  logs: ReceivedLog[];
}

/** What the receiver did with a request. */
export type Outcome = 'accepted' | 'malformed' | 'status' | 'hang' | 'refused' | 'bad-request' | 'aborted';

/** One export request as it arrived, before and after faults. */
export interface ReceivedRequest {
  id: number;
  signal: Signal;
  protocol: Protocol;
  /** HTTP path, or the gRPC method path. */
  path: string;
  encoding: Encoding;
  contentType: string;
  /** 'gzip', 'deflate', or '' (HTTP content-encoding / grpc-encoding). */
  contentEncoding: string;
  /** Lowercased request headers (gRPC: metadata). */
  headers: Record<string, string>;
  /** Decompressed body size in bytes. */
  bytes: number;
  /** Spans, metric data points or log records in the request (0 when not decoded). */
  items: number;
  receivedAt: number;
  /** Set once the receiver answers (or gives up). */
  outcome?: Outcome;
  /** HTTP status sent, or gRPC status code sent. */
  status?: number;
  /** Decoding error, if any. */
  error?: string;
}

export interface SignalStats {
  requests: number;
  /** Requests answered with success (their items are in spans/metrics/logs). */
  accepted: number;
  items: number;
  inFlight: number;
  maxInFlight: number;
  faultsInjected: number;
}

export type ReceiverStats = Record<Signal, SignalStats>;
