// Servers the preload itself runs (metrics, probes): their requests are never traced or measured, and
// neither they nor any connection to them (an idle or half-open scraper) keeps a finished app alive.
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

const servers = new WeakSet<object>();
/** A scrape or probe request must arrive whole within this; a half-open client is cut off after it. */
const REQUEST_TIMEOUT_MS = 10_000;

export function markOwnServer(server: Server): void {
  servers.add(server);
  // An accepted socket is ref'd on its own, whatever the server is: one idle keep-alive connection would
  // otherwise hold the app open until Node's request and keep-alive timeouts (about 90 s).
  server.on('connection', (socket: Socket) => socket.unref());
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.keepAliveTimeout = 5_000;
}

/** Whether a server (net or http) is one of ours. */
export function isOwnServer(server: unknown): boolean {
  return typeof server === 'object' && server !== null && servers.has(server);
}

export function isOwnServerRequest(req: IncomingMessage): boolean {
  // net.Server sets socket.server on every connection it accepts.
  const server = (req.socket as unknown as { server?: object } | undefined)?.server;
  return server !== undefined && servers.has(server);
}
