// Asks an OTLP endpoint a real question: an empty-but-valid Export request (HTTP POST or gRPC call),
// so "a collector answers" means it speaks OTLP for that signal, not merely that a port is open.
import http from 'node:http';
import https from 'node:https';
import http2 from 'node:http2';

export type ProbeSignal = 'traces' | 'metrics' | 'logs';
export type ProbeProtocol = 'grpc' | 'http/protobuf' | 'http/json';

export interface ProbeResult {
  readonly ok: boolean;
  /** Short description of the answer (or its absence), e.g. "HTTP 200", "connection refused". */
  readonly detail: string;
  /** One-line fix when not ok. */
  readonly fix?: string;
}

const GRPC_SERVICE: Record<ProbeSignal, string> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

// The gRPC status codes a collector realistically answers with.
const GRPC_STATUS: Record<number, string> = {
  0: 'OK', 3: 'INVALID_ARGUMENT', 4: 'DEADLINE_EXCEEDED', 7: 'PERMISSION_DENIED', 8: 'RESOURCE_EXHAUSTED',
  12: 'UNIMPLEMENTED', 13: 'INTERNAL', 14: 'UNAVAILABLE', 16: 'UNAUTHENTICATED',
};

/** "k=v,k2=v2" (OTEL_EXPORTER_OTLP_HEADERS syntax, values URL-encoded) → header object. */
export function parseHeaderList(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (value ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    try {
      out[decodeURIComponent(pair.slice(0, eq).trim()).toLowerCase()] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      // a malformed pair is skipped here as the exporter skips it
    }
  }
  return out;
}

function networkFailure(err: NodeJS.ErrnoException, endpoint: string): ProbeResult {
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') {
    return { ok: false, detail: 'connection refused', fix: `start a collector at ${origin(endpoint)} (npx obs tail, or the bundled stack) or point OTEL_EXPORTER_OTLP_ENDPOINT at yours` };
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return { ok: false, detail: `host not found (${code})`, fix: 'fix the host name in OTEL_EXPORTER_OTLP_ENDPOINT' };
  }
  if (code === 'ETIMEDOUT_PROBE') {
    return { ok: false, detail: 'no answer (timed out)', fix: `the collector at ${origin(endpoint)} accepts connections but does not answer: check it is healthy and not overloaded` };
  }
  if (/ERR_HTTP2|ECONNRESET|EPROTO|HPE_/.test(code)) {
    return { ok: false, detail: `not an OTLP server for this protocol (${code})`, fix: 'protocol/port mismatch: 4317 speaks gRPC, 4318 speaks HTTP; set OTEL_EXPORTER_OTLP_PROTOCOL to match the endpoint' };
  }
  return { ok: false, detail: `${code || 'error'}: ${err.message}`, fix: `check that a collector listens at ${origin(endpoint)}` };
}

function origin(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return endpoint;
  }
}

function timeoutError(): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error('timed out');
  err.code = 'ETIMEDOUT_PROBE';
  return err;
}

function httpAdvice(status: number, signal: ProbeSignal): string {
  if (status === 401 || status === 403) return 'the collector rejected the credentials: check OTEL_EXPORTER_OTLP_HEADERS';
  if (status === 404) return `nothing serves /v1/${signal} there: for HTTP use port 4318, for gRPC set OTEL_EXPORTER_OTLP_PROTOCOL=grpc`;
  if (status === 415) return 'the collector does not accept this encoding: check OTEL_EXPORTER_OTLP_PROTOCOL';
  if (status === 429 || status === 503) return 'the collector is overloaded or refusing data: check its memory_limiter and queue';
  return 'check the collector logs';
}

function probeHttp(endpoint: string, signal: ProbeSignal, json: boolean, headers: Record<string, string>, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      resolve({ ok: false, detail: 'not a URL', fix: 'set the endpoint to a URL such as http://localhost:4318' });
      return;
    }
    // An empty protobuf message is a valid, empty Export request; "{}" is its JSON form.
    const body = json ? Buffer.from('{}') : Buffer.alloc(0);
    const lib = url.protocol === 'https:' ? https : http;
    const req = lib.request(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': json ? 'application/json' : 'application/x-protobuf', 'content-length': body.length },
      agent: false,
    });
    const timer = setTimeout(() => req.destroy(timeoutError()), timeoutMs);
    req.on('response', (res) => {
      res.resume();
      clearTimeout(timer);
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) resolve({ ok: true, detail: `HTTP ${status}` });
      else resolve({ ok: false, detail: `HTTP ${status}`, fix: httpAdvice(status, signal) });
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      resolve(networkFailure(err, endpoint));
    });
    req.end(body);
  });
}

function probeGrpc(endpoint: string, signal: ProbeSignal, headers: Record<string, string>, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    let session: http2.ClientHttp2Session | undefined;
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session?.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(networkFailure(timeoutError(), endpoint)), timeoutMs);
    try {
      const url = new URL(endpoint);
      const authority = `${url.protocol === 'https:' ? 'https' : 'http'}://${url.host}`;
      session = http2.connect(authority);
    } catch (err) {
      finish({ ok: false, detail: `bad endpoint: ${(err as Error).message}`, fix: 'set the gRPC endpoint as http://host:4317' });
      return;
    }
    session.on('error', (err) => finish(networkFailure(err as NodeJS.ErrnoException, endpoint)));
    const stream = session.request({
      ...headers,
      ':method': 'POST',
      ':path': GRPC_SERVICE[signal],
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    let status: string | undefined;
    let message = '';
    const take = (h: http2.IncomingHttpHeaders) => {
      if (h['grpc-status'] !== undefined) status = String(h['grpc-status']);
      if (h['grpc-message'] !== undefined) message = decodeURIComponent(String(h['grpc-message']));
    };
    stream.on('response', (h) => {
      take(h);
      const http = Number(h[':status']);
      if (http !== 200 && status === undefined) {
        finish({ ok: false, detail: `HTTP/2 ${http}, not gRPC`, fix: 'this endpoint is not an OTLP/gRPC receiver: check the port (4317) and OTEL_EXPORTER_OTLP_PROTOCOL' });
      }
    });
    stream.on('trailers', take);
    stream.on('data', () => {});
    // A refused connection cancels the stream first; give the session's real cause a moment to win.
    stream.on('error', (err) => setTimeout(() => finish(networkFailure(err as NodeJS.ErrnoException, endpoint)), 50));
    stream.on('close', () => {
      if (status === undefined) {
        // Closed without an answer: a refused connection reports through the session a moment later.
        setTimeout(() => finish({ ok: false, detail: 'no gRPC status in the answer', fix: 'this endpoint is not an OTLP/gRPC receiver: check the port (4317)' }), 100);
        return;
      }
      const code = Number(status);
      const name = GRPC_STATUS[code] ?? `status ${code}`;
      if (code === 0) finish({ ok: true, detail: `gRPC ${name}` });
      else if (code === 12) finish({ ok: false, detail: `gRPC ${name}`, fix: `the server there does not accept OTLP ${signal}: check the endpoint` });
      else if (code === 16 || code === 7) finish({ ok: false, detail: `gRPC ${name}`, fix: 'the collector rejected the credentials: check OTEL_EXPORTER_OTLP_HEADERS' });
      else finish({ ok: false, detail: `gRPC ${name}${message ? `: ${message}` : ''}`, fix: 'the collector refused the request: check its logs' });
    });
    // gRPC frame: 1 byte "not compressed", 4 bytes length 0 → an empty Export request.
    stream.end(Buffer.from([0, 0, 0, 0, 0]));
  });
}

export function probeOtlp(opts: {
  endpoint: string;
  protocol: ProbeProtocol;
  signal: ProbeSignal;
  headers?: Record<string, string>;
  timeoutMs?: number;
}): Promise<ProbeResult> {
  const timeoutMs = opts.timeoutMs ?? 3000;
  const headers = opts.headers ?? {};
  if (opts.protocol === 'grpc') return probeGrpc(opts.endpoint, opts.signal, headers, timeoutMs);
  return probeHttp(opts.endpoint, opts.signal, opts.protocol === 'http/json', headers, timeoutMs);
}
