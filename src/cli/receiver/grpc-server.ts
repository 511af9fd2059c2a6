// OTLP/gRPC transport: a grpc-js Server with hand-made service definitions (raw bytes in and out,
// decoded by our protobufjs schema), fed connections by the receiver's own listener.
import * as grpc from '@grpc/grpc-js';
import { grpcCodeFor, type Fault } from './faults.js';
import type { ExportPipeline, Responder } from './pipeline.js';
import { otlpType, TYPE } from './proto.js';
import type { Signal } from './types.js';

export const GRPC_PATHS: Record<Signal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

// Field 1 (partial_success) with a length running past the end: the client's decoder must fail.
const GARBAGE_RESPONSE = Buffer.from([0x0a, 0x7f, 0x01]);
const identity = (b: Buffer): Buffer => b;

type Call = grpc.ServerUnaryCall<Buffer, Buffer>;

function metadataHeaders(md: grpc.Metadata): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(md.getMap())) out[k] = typeof v === 'string' ? v : v.toString('base64');
  return out;
}

/**
 * The grpc-encoding the client used. grpc-js strips that header from the metadata and keeps it on its
 * internal call object only; best effort, '' when unknown or 'identity'.
 */
function incomingEncoding(call: Call): string {
  const enc = (call as unknown as { call?: { incomingEncoding?: unknown } }).call?.incomingEncoding;
  return typeof enc === 'string' && enc !== 'identity' ? enc : '';
}

/** Trailers carrying google.rpc.Status{details: [RetryInfo]}, the gRPC way to say "retry after N s". */
function retryTrailers(code: number, message: string, seconds: number): grpc.Metadata {
  const retryInfo = otlpType(TYPE.retryInfo);
  const status = otlpType(TYPE.status);
  const delay = { seconds: Math.floor(seconds), nanos: Math.round((seconds % 1) * 1e9) };
  const detail = retryInfo.encode(retryInfo.create({ retryDelay: delay })).finish();
  const body = status.encode(status.create({
    code, message, details: [{ typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', value: detail }],
  })).finish();
  const md = new grpc.Metadata();
  md.set('grpc-status-details-bin', Buffer.from(body));
  return md;
}

class GrpcResponder implements Responder {
  private done = false;
  private readonly closeCallbacks: Array<() => void> = [];

  constructor(
    private readonly call: Call,
    private readonly callback: grpc.sendUnaryData<Buffer>,
    private readonly destroyPeer: (peer: string) => boolean,
  ) {
    call.once('cancelled', () => this.finish());
  }

  get closed(): boolean {
    return this.done || this.call.cancelled;
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    for (const cb of this.closeCallbacks.splice(0)) cb();
  }

  private reply(err: grpc.ServerErrorResponse | null, value?: Buffer): number {
    this.callback(err, value);
    this.finish();
    return err?.code ?? 0;
  }

  ok(): number {
    return this.reply(null, Buffer.alloc(0));
  }

  malformed(): number {
    return this.reply(null, GARBAGE_RESPONSE);
  }

  fail(fault: Fault): number {
    const code = fault.grpcCode ?? grpcCodeFor(fault.status ?? 503);
    const details = fault.message ?? `injected fault: gRPC ${grpc.status[code] ?? code}`;
    const metadata = fault.retryAfterSeconds !== undefined ? retryTrailers(code, details, fault.retryAfterSeconds) : undefined;
    return this.reply({ name: 'InjectedFault', message: details, code, details, metadata });
  }

  badRequest(message: string): number {
    return this.reply({ name: 'BadRequest', message, code: grpc.status.INVALID_ARGUMENT, details: message });
  }

  destroy(): void {
    // HTTP/2 multiplexes every call on one connection: dropping it is what a dying collector does.
    if (!this.destroyPeer(this.call.getPeer())) this.reply({ name: 'Refused', message: 'refused', code: grpc.status.UNAVAILABLE, details: 'refused' });
    this.finish();
  }

  onClose(cb: () => void): void {
    if (this.done) cb();
    else this.closeCallbacks.push(cb);
  }
}

export interface GrpcTransport {
  server: grpc.Server;
  injector: ReturnType<grpc.Server['createConnectionInjector']>;
}

export function createGrpcTransport(pipeline: ExportPipeline, destroyPeer: (peer: string) => boolean): GrpcTransport {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
  });
  for (const [signal, path] of Object.entries(GRPC_PATHS) as Array<[Signal, string]>) {
    const definition: grpc.ServiceDefinition = {
      Export: {
        path, requestStream: false, responseStream: false,
        requestSerialize: identity, requestDeserialize: identity,
        responseSerialize: identity, responseDeserialize: identity,
      },
    };
    server.addService(definition, {
      Export: (call: Call, callback: grpc.sendUnaryData<Buffer>) => {
        const headers = metadataHeaders(call.metadata);
        pipeline.handle(
          {
            signal, protocol: 'grpc', path, encoding: 'protobuf', contentType: 'application/grpc',
            contentEncoding: incomingEncoding(call), headers, compressedBody: false,
          },
          call.request,
          new GrpcResponder(call, callback, destroyPeer),
        );
      },
    });
  }
  return { server, injector: server.createConnectionInjector(grpc.ServerCredentials.createInsecure()) };
}
