// OTLP/HTTP transport: POST /v1/{traces,metrics,logs}, protobuf or JSON, optionally gzip/deflate.
import http from 'node:http';
import { encodingOf } from './decode.js';
import { grpcCodeFor, type Fault } from './faults.js';
import type { ExportPipeline, Responder } from './pipeline.js';
import { otlpType, TYPE } from './proto.js';
import type { Encoding, Signal } from './types.js';

const PATHS: Record<string, Signal> = { '/v1/traces': 'traces', '/v1/metrics': 'metrics', '/v1/logs': 'logs' };
const MAX_BODY = 64 * 1024 * 1024;
// A truncated varint: no protobuf decoder accepts it.
const GARBAGE_PROTOBUF = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff]);
const GARBAGE_JSON = '{"partialSuccess": {"rejected';

export function flatHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** A google.rpc.Status body, as OTLP/HTTP asks for on errors, in the request's encoding. */
function statusBody(encoding: Encoding, code: number, message: string): Buffer {
  if (encoding === 'json') return Buffer.from(JSON.stringify({ code, message }));
  const type = otlpType(TYPE.status);
  return Buffer.from(type.encode(type.create({ code, message })).finish());
}

function plain(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' }).end(text);
}

class HttpResponder implements Responder {
  closed = false;
  constructor(
    private readonly req: http.IncomingMessage,
    private readonly res: http.ServerResponse,
    private readonly encoding: Encoding,
    private readonly contentType: string,
  ) {
    res.once('close', () => (this.closed = true));
  }

  private send(status: number, body: Buffer | string, extra: Record<string, string> = {}): number {
    this.res.writeHead(status, { 'content-type': this.contentType, ...extra }).end(body);
    return status;
  }

  ok(): number {
    return this.send(200, this.encoding === 'json' ? '{}' : Buffer.alloc(0));
  }

  malformed(): number {
    return this.send(200, this.encoding === 'json' ? GARBAGE_JSON : GARBAGE_PROTOBUF);
  }

  fail(fault: Fault): number {
    const status = fault.status ?? 503;
    const extra: Record<string, string> = {};
    if (fault.retryAfterSeconds !== undefined) extra['retry-after'] = String(Math.ceil(fault.retryAfterSeconds));
    const message = fault.message ?? `injected fault: HTTP ${status}`;
    return this.send(status, statusBody(this.encoding, fault.grpcCode ?? grpcCodeFor(status), message), extra);
  }

  badRequest(message: string): number {
    return this.send(400, statusBody(this.encoding, 3, message));
  }

  destroy(): void {
    this.req.socket.destroy();
  }

  onClose(cb: () => void): void {
    if (this.closed) cb();
    else this.res.once('close', cb);
  }
}

/** An http.Server that is never listened on: the receiver's SocketListener feeds it connections. */
export function createHttpTransport(pipeline: ExportPipeline): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const signal = PATHS[path];
    if (!signal) return plain(res, 404, `no OTLP endpoint at ${path}; use /v1/traces, /v1/metrics or /v1/logs\n`);
    if (req.method !== 'POST') return plain(res, 405, 'OTLP endpoints take POST\n');
    const contentType = req.headers['content-type'] ?? '';
    const encoding = encodingOf(contentType);
    if (!encoding) return plain(res, 415, 'use application/x-protobuf or application/json\n');
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        plain(res, 413, 'request body too large\n');
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      pipeline.handle(
        {
          signal, protocol: 'http', path, encoding, contentType,
          contentEncoding: req.headers['content-encoding'] ?? '', headers: flatHeaders(req.headers),
          compressedBody: true,
        },
        Buffer.concat(chunks),
        new HttpResponder(req, res, encoding, encoding === 'json' ? 'application/json' : 'application/x-protobuf'),
      );
    });
  });
}
