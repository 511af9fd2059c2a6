// OTLP sink for the benchmark: gRPC and HTTP (protobuf or JSON, gzip) receivers that only count
// what arrives and keep the spans/logs of "marked" traces, so the harness can check that each
// configuration really exported (a fast-but-broken configuration must not win) while spending
// little CPU on the machine the measured app shares. Full decoding lives in src/cli/receiver/.
import http from 'node:http';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import grpc from '@grpc/grpc-js';
import { eachAt, eachField } from './protowire.mjs';

const gunzip = promisify(zlib.gunzip);
const KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const GRPC_SERVICES = {
  traces: 'opentelemetry.proto.collector.trace.v1.TraceService',
  metrics: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
  logs: 'opentelemetry.proto.collector.logs.v1.LogsService',
};
const HTTP_PATHS = { '/v1/traces': 'traces', '/v1/metrics': 'metrics', '/v1/logs': 'logs' };
// OTLP/JSON metric data fields, by their protobuf field numbers' names.
const JSON_METRIC_KINDS = ['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'];
const PB_METRIC_KINDS = new Set([5, 7, 9, 10, 11]);

/**
 * @typedef {'traces' | 'metrics' | 'logs'} Signal
 * @typedef {{ spans: { name: string, kind: string | undefined, scope: string }[], logs: number }} MarkedTrace
 * @typedef {{ requests: number, mismatches: number, unavailable?: undefined } | { unavailable: string, requests?: undefined, mismatches?: undefined }} CrossChecked
 */

export class Sink {
  /** @type {Record<Signal, number>} */
  requests = { traces: 0, metrics: 0, logs: 0 };
  /** @type {Set<string>} */
  protocols = new Set();
  spans = 0;
  dataPoints = 0;
  logs = 0;
  /** @type {string[]} */
  errors = [];
  /** @type {Set<string>} */
  metricNames = new Set();
  /** traceId hex → what arrived for it. @type {Map<string, MarkedTrace>} */
  marked = new Map();
  /** @type {CrossChecked | undefined} */
  crossChecked = undefined;
  /** @type {((signal: Signal, format: string, body: Buffer, meta: object) => { spans: unknown[], metrics: unknown[], logs: unknown[] }) | undefined} */
  decodeRequest = undefined;
  /** @type {http.Server | undefined} */
  http = undefined;
  /** @type {grpc.Server | undefined} */
  grpc = undefined;
  httpUrl = '';
  grpcUrl = '';

  /** @param {{ marker: string }} opts marker: hex prefix of the trace ids whose data is kept */
  constructor({ marker }) {
    this.marker = marker.toLowerCase();
  }

  reset() {
    this.requests = { traces: 0, metrics: 0, logs: 0 };
    this.protocols = new Set();
    this.spans = 0;
    this.dataPoints = 0;
    this.logs = 0;
    this.errors = [];
    this.metricNames = new Set();
    this.marked = new Map();
    this.crossChecked = undefined;
    this.decodeRequest = undefined;
  }

  /** @param {string} traceId */
  markedTrace(traceId) {
    let entry = this.marked.get(traceId);
    if (!entry) this.marked.set(traceId, (entry = { spans: [], logs: 0 }));
    return entry;
  }

  counts() {
    return {
      requests: { ...this.requests },
      protocols: [...this.protocols].sort(),
      spans: this.spans,
      dataPoints: this.dataPoints,
      logs: this.logs,
      metricNames: [...this.metricNames].sort(),
      errors: this.errors.slice(0, 5),
      crossChecked: this.crossChecked,
    };
  }

  /** From now on, also decode every request with the repo's full OTLP decoder (src/cli/receiver) and
   *  record any disagreement with this sink's counts. Enabled only outside measured windows. */
  /** @param {string} decoderPath a module URL (from package.mjs) */
  async enableCrossCheck(decoderPath) {
    try {
      const { decodeRequest } = await import(decoderPath);
      this.decodeRequest = decodeRequest;
      this.crossChecked = { requests: 0, mismatches: 0 };
    } catch (err) {
      this.decodeRequest = undefined;
      this.crossChecked = { unavailable: err instanceof Error ? err.message : String(err) };
    }
  }

  disableCrossCheck() {
    this.decodeRequest = undefined;
  }

  /** @param {Signal} signal @param {Buffer} body @param {'json' | 'protobuf'} format */
  ingest(signal, body, format) {
    this.requests[signal]++;
    if (this.decodeRequest) this.crossCheck(signal, body, format);
    if (format === 'json') this.ingestJson(signal, JSON.parse(body.toString('utf8')));
    else this.ingestProtobuf(signal, body);
  }

  /** @param {Signal} signal @param {Buffer} body @param {'json' | 'protobuf'} format */
  crossCheck(signal, body, format) {
    if (!this.decodeRequest || !this.crossChecked || this.crossChecked.unavailable !== undefined) return;
    const counted = new Sink({ marker: this.marker });
    if (format === 'json') counted.ingestJson(signal, JSON.parse(body.toString('utf8')));
    else counted.ingestProtobuf(signal, body);
    const mine = { traces: counted.spans, metrics: counted.dataPoints, logs: counted.logs }[signal];
    const batch = this.decodeRequest(signal, format, body, { protocol: 'http', requestId: 0 });
    const theirs = { traces: batch.spans, metrics: batch.metrics, logs: batch.logs }[signal].length;
    this.crossChecked.requests++;
    if (mine !== theirs) {
      this.crossChecked.mismatches++;
      this.recordError(`cross-check ${signal}`, new Error(`sink counted ${mine}, src/cli/receiver decoded ${theirs}`));
    }
  }

  /** @param {Signal} signal @param {Buffer} buf */
  ingestProtobuf(signal, buf) {
    if (signal === 'traces') {
      // ExportTraceServiceRequest.resource_spans(1) → ScopeSpans(2) → {scope(1), spans(2)}
      eachAt(buf, [1, 2], (scopeSpans) => {
        let scope = '';
        eachField(scopeSpans, (f, w, v) => {
          if (f === 1 && w === 2) eachField(v, (sf, sw, sv) => { if (sf === 1 && sw === 2) scope = sv.toString(); });
          if (f !== 2 || w !== 2) return;
          this.spans++;
          let traceId = '';
          let name = '';
          let kind = 0;
          eachField(v, (pf, pw, pv) => {
            if (pf === 1 && pw === 2) traceId = pv.toString('hex');
            else if (pf === 5 && pw === 2) name = pv.toString();
            else if (pf === 6 && pw === 0) kind = pv;
          });
          if (traceId.startsWith(this.marker)) this.markedTrace(traceId).spans.push({ name, kind: KINDS[kind], scope });
        });
      });
    } else if (signal === 'metrics') {
      // resource_metrics(1) → scope_metrics(2) → metrics(2) → {name(1), gauge|sum|histogram...{data_points(1)}}
      eachAt(buf, [1, 2, 2], (metric) => {
        eachField(metric, (f, w, v) => {
          if (f === 1 && w === 2) this.metricNames.add(v.toString());
          else if (PB_METRIC_KINDS.has(f) && w === 2) eachField(v, (df, dw) => { if (df === 1 && dw === 2) this.dataPoints++; });
        });
      });
    } else {
      // resource_logs(1) → scope_logs(2) → log_records(2) → trace_id(9)
      eachAt(buf, [1, 2, 2], (record) => {
        this.logs++;
        eachField(record, (f, w, v) => {
          if (f !== 9 || w !== 2) return;
          const traceId = v.toString('hex');
          if (traceId.startsWith(this.marker)) this.markedTrace(traceId).logs++;
        });
      });
    }
  }

  /** @param {Signal} signal @param {any} msg */
  ingestJson(signal, msg) {
    const scopesOf = (resourceKey, scopeKey) => (msg[resourceKey] ?? []).flatMap((r) => r[scopeKey] ?? []);
    if (signal === 'traces') {
      for (const ss of scopesOf('resourceSpans', 'scopeSpans')) {
        for (const span of ss.spans ?? []) {
          this.spans++;
          const traceId = String(span.traceId ?? '').toLowerCase();
          if (traceId.startsWith(this.marker)) {
            const kind = typeof span.kind === 'number' ? KINDS[span.kind] : String(span.kind).replace('SPAN_KIND_', '');
            this.markedTrace(traceId).spans.push({ name: span.name, kind, scope: ss.scope?.name ?? '' });
          }
        }
      }
    } else if (signal === 'metrics') {
      for (const sm of scopesOf('resourceMetrics', 'scopeMetrics')) {
        for (const metric of sm.metrics ?? []) {
          this.metricNames.add(metric.name);
          for (const k of JSON_METRIC_KINDS) this.dataPoints += metric[k]?.dataPoints?.length ?? 0;
        }
      }
    } else {
      for (const sl of scopesOf('resourceLogs', 'scopeLogs')) {
        for (const record of sl.logRecords ?? []) {
          this.logs++;
          const traceId = String(record.traceId ?? '').toLowerCase();
          if (traceId.startsWith(this.marker)) this.markedTrace(traceId).logs++;
        }
      }
    }
  }

  /** @param {string} where @param {unknown} err */
  recordError(where, err) {
    if (this.errors.length < 20) this.errors.push(`${where}: ${err instanceof Error ? err.message : String(err)}`);
  }

  async start() {
    const server = http.createServer((req, res) => this.onHttp(req, res));
    this.http = server;
    server.keepAliveTimeout = 30_000;
    await /** @type {Promise<void>} */ (new Promise((resolve) => server.listen(0, '127.0.0.1', resolve)));
    this.httpUrl = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;

    const grpcServer = new grpc.Server();
    this.grpc = grpcServer;
    /** @param {Buffer} b */
    const identity = (b) => b;
    for (const [signal, service] of Object.entries(GRPC_SERVICES)) {
      const definition = {
        Export: {
          path: `/${service}/Export`,
          requestStream: false,
          responseStream: false,
          requestSerialize: identity,
          requestDeserialize: identity,
          responseSerialize: identity,
          responseDeserialize: identity,
        },
      };
      grpcServer.addService(definition, {
        /** @type {grpc.handleUnaryCall<Buffer, Buffer>} */
        Export: (call, callback) => {
          try {
            this.protocols.add(`${signal}:grpc`);
            this.ingest(/** @type {Signal} */ (signal), call.request, 'protobuf');
            callback(null, Buffer.alloc(0));
          } catch (err) {
            this.recordError(`grpc ${signal}`, err);
            callback({ code: grpc.status.INVALID_ARGUMENT, details: err instanceof Error ? err.message : String(err) });
          }
        },
      });
    }
    const port = await new Promise((resolve, reject) =>
      grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    this.grpcUrl = `http://127.0.0.1:${port}`;
    return this;
  }

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  onHttp(req, res) {
    const signal = HTTP_PATHS[/** @type {keyof typeof HTTP_PATHS} */ ((req.url ?? '').split('?')[0])];
    if (req.method !== 'POST' || !signal) {
      res.writeHead(404).end();
      return;
    }
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    // The handler catches everything itself; the emitter does not await it.
    req.on('end', () => void (async () => {
      const json = (req.headers['content-type'] ?? '').includes('json');
      try {
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = await gunzip(body);
        this.protocols.add(`${signal}:${json ? 'http/json' : 'http/protobuf'}`);
        this.ingest(/** @type {Signal} */ (signal), body, json ? 'json' : 'protobuf');
        res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
        res.end(json ? '{}' : '');
      } catch (err) {
        this.recordError(`http ${signal}`, err);
        res.writeHead(400).end();
      }
    })());
  }

  /** Env that points the OpenTelemetry SDKs (ours and upstream's) at this sink: gRPC for traces
   *  (our default transport), HTTP/protobuf for metrics and logs. */
  env() {
    return {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: this.grpcUrl,
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${this.httpUrl}/v1/metrics`,
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `${this.httpUrl}/v1/logs`,
      OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf',
    };
  }

  async stop() {
    this.http?.closeAllConnections();
    const server = this.http;
    if (server) await /** @type {Promise<void>} */ (new Promise((resolve) => server.close(() => resolve())));
    this.grpc?.forceShutdown();
  }
}

/** @param {{ marker: string }} opts */
export async function startSink(opts) {
  return new Sink(opts).start();
}
