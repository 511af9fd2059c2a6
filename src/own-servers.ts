// Servers the preload itself runs (metrics, probes): their requests are never traced or measured.
import type { IncomingMessage, Server } from 'node:http';

const servers = new WeakSet<object>();

export function markOwnServer(server: Server): void {
  servers.add(server);
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
