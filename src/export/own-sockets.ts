// Our exporters' connections never hold the app's event loop open: every TCP connection to one of our
// OTLP endpoints is unref'd for good, so a hanging or slow collector cannot keep a finished app alive.
import dc from 'node:diagnostics_channel';
import { isIP, type Socket } from 'node:net';

interface Target {
  readonly host: string;
  readonly port: number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

function targetOf(endpoint: string): Target | undefined {
  try {
    const u = new URL(endpoint);
    const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
    return { host: u.hostname.replace(/^\[|\]$/g, ''), port };
  } catch {
    return undefined;
  }
}

/** `ip:port` is one of ours: an IP literal must match, `localhost` any loopback address, a name the host the socket was asked for. */
function isOurs(targets: readonly Target[], socket: Socket, ip: string, port: number): boolean {
  for (const t of targets) {
    if (t.port !== port) continue;
    if (isIP(t.host) !== 0) {
      if (ip === t.host || ip === `::ffff:${t.host}`) return true;
    } else if (t.host === 'localhost') {
      if (LOOPBACK.has(ip)) return true;
    } else if ((socket as unknown as { _host?: string })._host === t.host) {
      return true;
    }
  }
  return false;
}

function release(socket: Socket): void {
  socket.unref();
  // Node's http agent and the HTTP/2 session under grpc-js ref the socket again for every request.
  socket.ref = () => socket;
}

/**
 * Watches new client sockets (net's 'net.client.socket' channel) and releases those that connect to
 * `endpoints`. Returns the unsubscribe function.
 */
export function releaseExportSockets(endpoints: readonly string[]): () => void {
  const targets = endpoints.map(targetOf).filter((t): t is Target => t !== undefined);
  if (targets.length === 0) return () => undefined;
  const onSocket = (message: unknown): void => {
    const socket = (message as { socket?: Socket } | undefined)?.socket;
    if (!socket || typeof socket.once !== 'function') return;
    // Emitted once per address tried, before the connection exists: a black-holed collector is covered too.
    const onAttempt = (ip: string, port: number): void => {
      if (isOurs(targets, socket, ip, port)) {
        socket.off('connectionAttempt', onAttempt);
        release(socket);
      }
    };
    socket.on('connectionAttempt', onAttempt);
    socket.once('connect', () => socket.off('connectionAttempt', onAttempt));
    socket.once('close', () => socket.off('connectionAttempt', onAttempt));
  };
  dc.subscribe('net.client.socket', onSocket);
  return () => dc.unsubscribe('net.client.socket', onSocket);
}
