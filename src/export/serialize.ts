// OTLP request bodies for the crash path, made with the same serializers the OTLP exporters use.
import { createRequire } from 'node:module';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { OtlpProtocol, Signal } from '../config/config.js';

const require = createRequire(import.meta.url);

interface Serializer<T> {
  serializeRequest(items: T): Uint8Array | undefined;
}
interface Transformer {
  ProtobufTraceSerializer: Serializer<ReadableSpan[]>;
  JsonTraceSerializer: Serializer<ReadableSpan[]>;
  ProtobufLogsSerializer: Serializer<ReadableLogRecord[]>;
  JsonLogsSerializer: Serializer<ReadableLogRecord[]>;
  ProtobufMetricsSerializer: Serializer<ResourceMetrics>;
  JsonMetricsSerializer: Serializer<ResourceMetrics>;
}

let transformer: Transformer | undefined;

/** otlp-transformer is the exporters' dependency, not ours: resolve it from where they live. */
function load(): Transformer {
  if (!transformer) {
    const fromExporter = createRequire(require.resolve('@opentelemetry/exporter-trace-otlp-http'));
    transformer = fromExporter('@opentelemetry/otlp-transformer') as Transformer;
  }
  return transformer;
}

export type SignalItems = { traces: ReadableSpan[]; logs: ReadableLogRecord[]; metrics: ResourceMetrics };

export function serialize<S extends Signal>(signal: S, protocol: OtlpProtocol, items: SignalItems[S]): Uint8Array | undefined {
  const t = load();
  const json = protocol === 'http/json';
  if (signal === 'traces') return (json ? t.JsonTraceSerializer : t.ProtobufTraceSerializer).serializeRequest(items as ReadableSpan[]);
  if (signal === 'logs') return (json ? t.JsonLogsSerializer : t.ProtobufLogsSerializer).serializeRequest(items as ReadableLogRecord[]);
  return (json ? t.JsonMetricsSerializer : t.ProtobufMetricsSerializer).serializeRequest(items as ResourceMetrics);
}
