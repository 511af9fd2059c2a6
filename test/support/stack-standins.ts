// Local stand-ins for the Slack webhook and the PagerDuty Events API v2: record every JSON body Alertmanager posts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  body: any;
  at: number;
}

export interface StandIn {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** An HTTP server on a loopback port answering `status` with `reply` to every POST, keeping the parsed bodies. */
export async function startStandIn(pathName: string, reply: { status: number; body: string; type: string }): Promise<StandIn> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d: Buffer) => (raw += d.toString()));
    req.on('end', () => {
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // Keep the raw text: a non-JSON body is itself a finding.
      }
      received.push({ path: req.url ?? '', body, at: Date.now() });
      res.writeHead(reply.status, { 'content-type': reply.type }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${pathName}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * As the real services answer: a Slack incoming webhook says "ok" in text/plain (Alertmanager 0.35 parses a
 * JSON answer as the Web API's and retries forever on "ok"); PagerDuty answers 202 with the Events API's JSON.
 */
export async function startSlackAndPagerDuty(): Promise<{ slack: StandIn; pagerduty: StandIn }> {
  const slack = await startStandIn('/services/T000/B000/stack-test', { status: 200, body: 'ok', type: 'text/plain; charset=utf-8' });
  const pagerduty = await startStandIn('/v2/enqueue', { status: 202, body: '{"status":"success","message":"Event processed","dedup_key":"x"}', type: 'application/json' });
  return { slack, pagerduty };
}

/** Alert names mentioned in what a stand-in received (Slack title text, PagerDuty summary/custom_details). */
export function alertNamesIn(received: Received[]): string[] {
  return received.map((r) => JSON.stringify(r.body));
}
