// OTLP trace exporters (gRPC, http/protobuf) built exactly as upstream's OTLPTraceExporter builds itself,
// with upstream's transports, retries, concurrency limit and env handling, and our serializer in the delegate.
//
// Upstream's exporter classes take no serializer option: each constructor passes ProtobufTraceSerializer to
// createOtlpHttpExportDelegate / createOtlpGrpcExportDelegate (@opentelemetry/exporter-trace-otlp-proto and
// -grpc 0.301.x). So we call those same factories with the same arguments and wrap the delegate in
// OTLPExporterBase, as the classes do. The packages are the exporters' dependencies, resolved from the
// exporter package so the versions match the transport the user selected.
import { createRequire } from 'node:module';
import { traceSerializer, type TraceSerializer } from './serializer.js';

const require = createRequire(import.meta.url);

export type WriterProtocol = 'grpc' | 'http/protobuf';

export const EXPORTER_PACKAGE: Record<WriterProtocol, string> = {
  grpc: '@opentelemetry/exporter-trace-otlp-grpc',
  'http/protobuf': '@opentelemetry/exporter-trace-otlp-proto',
};

/** The exporter options we pass (the same object upstream's OTLPTraceExporter constructor takes). */
export interface TraceExporterOptions {
  readonly url?: string;
}

type Delegate = object;
type Helper = unknown;
interface Transformer {
  ProtobufTraceSerializer: { deserializeResponse(data: Uint8Array): unknown };
  TraceExporterMetricsHelper: Helper;
}
interface ExporterBase {
  OTLPExporterBase: new (delegate: Delegate) => unknown;
}
interface HttpBase {
  convertLegacyHttpOptions(config: object, signal: string, path: string, headers: Record<string, string>): object;
  createOtlpHttpExportDelegate(options: object, serializer: TraceSerializer<unknown>, componentType: string, helper: Helper, meterProvider: undefined): Delegate;
}
interface GrpcBase {
  convertLegacyOtlpGrpcOptions(config: object, signal: string): object;
  createOtlpGrpcExportDelegate(
    options: object, serializer: TraceSerializer<unknown>, componentType: string, helper: Helper, meterProvider: undefined,
    grpcName: string, grpcPath: string,
  ): Delegate;
}

/** A span exporter with upstream's transport for `protocol` and our one-pass writer as its serializer. */
export function createTraceExporter<T>(protocol: WriterProtocol, options: TraceExporterOptions): T {
  const from = createRequire(require.resolve(EXPORTER_PACKAGE[protocol]));
  const transformer = from('@opentelemetry/otlp-transformer') as Transformer;
  const { OTLPExporterBase } = from('@opentelemetry/otlp-exporter-base') as ExporterBase;
  const serializer = traceSerializer((data) => transformer.ProtobufTraceSerializer.deserializeResponse(data), protocol === 'grpc');
  let delegate: Delegate;
  if (protocol === 'http/protobuf') {
    const http = from('@opentelemetry/otlp-exporter-base/node-http') as HttpBase;
    delegate = http.createOtlpHttpExportDelegate(
      http.convertLegacyHttpOptions(options, 'TRACES', 'v1/traces', { 'Content-Type': 'application/x-protobuf' }),
      serializer, 'otlp_http_span_exporter', transformer.TraceExporterMetricsHelper, undefined,
    );
  } else {
    const grpc = from('@opentelemetry/otlp-grpc-exporter-base') as GrpcBase;
    delegate = grpc.createOtlpGrpcExportDelegate(
      grpc.convertLegacyOtlpGrpcOptions(options, 'TRACES'),
      serializer, 'otlp_grpc_span_exporter', transformer.TraceExporterMetricsHelper, undefined,
      'TraceExportService', '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
    );
  }
  return new OTLPExporterBase(delegate) as T;
}
