// The doctor's one request through the app: a GET carrying a sampled W3C traceparent, so the trace it
// starts is known in advance. A refused connection is retried until the deadline (the app may still be
// binding); any HTTP answer, even a 404 or 500, went through the app and counts.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ProofRequest {
  readonly url: string;
  /** 32 hex chars: the trace the app's server span should join. */
  readonly traceId: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly status?: number;
  readonly error?: string;
}

function once(url: URL, traceparent: string, timeoutMs: number): Promise<{ status: number } | { error: NodeJS.ErrnoException }> {
  return new Promise((resolve) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: 'GET',
      headers: { traceparent, 'user-agent': 'obs-doctor' },
      // A development certificate must not stop the proof; nothing secret is sent.
      rejectUnauthorized: false,
      agent: false,
    }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
      res.on('error', (error) => resolve({ error }));
    });
    // The whole exchange, not only idle time: a body trickling forever must not hold the doctor.
    const timer = setTimeout(() => {
      const error: NodeJS.ErrnoException = new Error(`no complete answer within ${timeoutMs} ms`);
      error.code = 'ETIMEDOUT';
      resolve({ error });
      req.destroy(error);
    }, timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', (error) => resolve({ error }));
    req.end();
  });
}

export async function sendProofRequest(target: string, deadline: number, timeoutMs = 5000): Promise<ProofRequest> {
  const traceId = randomBytes(16).toString('hex');
  const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`;
  const url = new URL(target);
  const startedAt = Date.now();
  for (;;) {
    const result = await once(url, traceparent, timeoutMs);
    if ('status' in result) return { url: target, traceId, startedAt, endedAt: Date.now(), status: result.status };
    if (result.error.code !== 'ECONNREFUSED' || Date.now() + 200 > deadline) {
      return { url: target, traceId, startedAt, endedAt: Date.now(), error: result.error.message };
    }
    await sleep(200);
  }
}
