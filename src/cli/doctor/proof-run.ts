// The proof run, while the app runs: wait until it listens, send the one request, and collect what
// the doctor's receiver got for it. Every wait is bounded; nothing here throws.
import { redactPath } from '../../redact/path-segments.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { OtlpReceiver, ReceivedLog, ReceivedSpan } from '../receiver/index.js';
import { defaultProofUrl } from './proof-target.js';
import { sendProofRequest, type ProofRequest } from './proof-request.js';
import type { RunningApp } from './run-app.js';

export interface ProofEvidence {
  /** Why no request was sent: the app never listened, or exited first. */
  readonly skipped?: 'no-port' | 'exited';
  readonly request?: ProofRequest;
  /** Everything received during the run (the checks pick the request's trace). */
  readonly spans: readonly ReceivedSpan[];
  readonly logs: readonly ReceivedLog[];
}

/** How long the spans of the request may take to arrive: the batch delay (100 ms) plus an export. */
const SPAN_WAIT_MS = 5000;
/** After the server span: time for log records and late child spans still in a batch. */
const GRACE_MS = 1000;

/** The server span of the request: in the doctor's trace, else (a propagator that ignores traceparent) by path. */
export function findServerSpan(spans: readonly ReceivedSpan[], request: ProofRequest): ReceivedSpan | undefined {
  const server = spans.filter((s) => s.kind === 'SERVER');
  const inTrace = server.find((s) => s.traceId === request.traceId);
  if (inTrace) return inTrace;
  const path = new URL(request.url).pathname;
  const startNs = BigInt(request.startedAt) * 1_000_000n - 1_000_000_000n;
  // The app's preload may have masked segments of the path (OBS_URL_PATH): either form is the request's.
  const paths = [path, redactPath(path)];
  return server.find((s) => BigInt(s.startTimeUnixNano) >= startNs && paths.some((p) => [s.attributes['url.path'], s.attributes['http.target']].includes(p)));
}

export async function collectProof(app: RunningApp, receiver: OtlpReceiver, opts: { url?: string; waitMs: number }): Promise<ProofEvidence> {
  const deadline = app.startedAt + opts.waitMs;
  let url = opts.url;
  // With --url too: wait for the app to listen somewhere, so the request does not race its start.
  while (!app.exited() && Date.now() < deadline) {
    const listening = app.read()?.listening ?? [];
    if (listening.length > 0) {
      url ??= defaultProofUrl(listening);
      break;
    }
    await sleep(100);
  }
  const received = () => ({ spans: [...receiver.spans], logs: [...receiver.logs] });
  if (app.exited()) return { skipped: 'exited', ...received() };
  if (url === undefined) return { skipped: 'no-port', ...received() };

  const request = await sendProofRequest(url, Math.max(deadline, Date.now() + 1000));
  if (request.error === undefined) {
    let serverSpan: ReceivedSpan | undefined;
    try {
      serverSpan = await receiver.waitFor((r) => findServerSpan(r.spans, request), { timeoutMs: SPAN_WAIT_MS, intervalMs: 50 });
    } catch {
      // no server span: the checks say so
    }
    if (serverSpan) {
      const traceId = serverSpan.traceId;
      const until = Date.now() + GRACE_MS;
      while (Date.now() < until && !receiver.logs.some((l) => l.traceId === traceId)) await sleep(50);
      // Children batched a moment after the log record.
      await sleep(200);
    }
  }
  return { request, ...received() };
}
