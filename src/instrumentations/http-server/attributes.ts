// The server span's request attributes, the stable HTTP semantic conventions exactly as
// @opentelemetry/instrumentation-http 0.301 writes them (its utils getIncomingRequestAttributes), with a
// fast path for the common plain path so most requests never build a URL object.
import type { IncomingMessage } from 'node:http';
import type { Attributes } from '@opentelemetry/api';
import { boundedMemo } from '../../redact/bounded-memo.js';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']);
/** Query keys upstream replaces by REDACTED before anything else sees them (our redactor runs on export too). */
const UPSTREAM_REDACTED_QUERY = ['sig', 'Signature', 'AWSAccessKeyId', 'X-Goog-Signature', 'X-Amz-Signature', 'X-Amz-Credential', 'X-Amz-Security-Token'];
/** A path the WHATWG URL parser returns unchanged: no dot segments, escapes, or characters it would encode. */
const PLAIN_PATH = /^\/[A-Za-z0-9\-_~!$&'()*+,;=:@/]*$/;

export function normalizeMethod(method: string | undefined): string {
  if (method === undefined) return 'GET';
  if (KNOWN_METHODS.has(method)) return method;
  const upper = method.toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : '_OTHER';
}

interface HostPort {
  host: string;
  /** server.port as upstream writes it, Number() of the port text (NaN included); undefined without a port. */
  port?: number;
}

function hostPort(host: string, port: string | undefined): HostPort {
  return port === undefined ? { host } : { host, port: Number(port) };
}

function parseHost(hostHeader: string, proto?: string): HostPort {
  const parts = hostHeader.split(':');
  const defaultPort = proto === 'http' ? '80' : proto === 'https' ? '443' : undefined;
  if (parts.length === 1) return hostPort(parts[0], defaultPort);
  if (parts.length === 2) return hostPort(parts[0], parts[1]);
  if (parts[0].startsWith('[')) {
    if (parts[parts.length - 1].endsWith(']')) return hostPort(hostHeader, defaultPort);
    if (parts[parts.length - 2].endsWith(']')) return hostPort(parts.slice(0, -1).join(':'), parts[parts.length - 1]);
  }
  return { host: hostHeader };
}

/** RFC 7239 `Forwarded`: its entries' pairs, lower-cased keys, quotes removed; malformed gives none. */
function forwardedEntries(header: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const entry of header.split(',')) {
    const pairs: Record<string, string> = {};
    for (const pair of entry.split(';')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) {
        if (pair.trim() === '') continue;
        return [];
      }
      let value = pair.slice(eq + 1).trim();
      if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
      pairs[pair.slice(0, eq).trim().toLowerCase()] = value;
    }
    out.push(pairs);
  }
  return out;
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function serverAddress(req: IncomingMessage, scheme: string): HostPort | undefined {
  const headers = req.headers;
  if (headers.forwarded) {
    for (const e of forwardedEntries(headers.forwarded)) if (e.host) return parseHost(e.host, e.proto);
  }
  const xfh = headers['x-forwarded-host'];
  const xHost = first(xfh);
  if (typeof xHost === 'string' && (typeof xfh === 'string' || xHost.length > 0)) return parseHost(xHost, first(headers['x-forwarded-proto']));
  const host = headers.host;
  return typeof host === 'string' && host.length > 0 ? (scheme === 'https' ? httpsHost : httpHost)(host) : undefined;
}

// A service answers to a few Host values: each is split, and its port read as a number (a V8 runtime
// call from string to number), once (a split, an object and the conversion per request before).
// Callers only read the result, so one object is shared.
const httpHost = boundedMemo((host) => parseHost(host, 'http'), 256, 256);
const httpsHost = boundedMemo((host) => parseHost(host, 'https'), 256, 256);

function withoutPort(input: string): string {
  try {
    const { hostname } = new URL(`http://${input}`);
    return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  } catch {
    return input;
  }
}

function clientAddress(req: IncomingMessage): string | undefined {
  const headers = req.headers;
  if (headers.forwarded) {
    for (const e of forwardedEntries(headers.forwarded)) if (e.for) return withoutPort(e.for);
  }
  const xff = first(headers['x-forwarded-for']);
  if (typeof xff === 'string') return withoutPort(xff.split(',')[0].trim());
  return req.socket.remoteAddress || undefined;
}

/** url.path and url.query as upstream derives them through `new URL(req.url, scheme://host)`. */
function urlParts(req: IncomingMessage, scheme: string): { path?: string; query?: string } {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  let path: string | undefined;
  let search = q === -1 ? '' : url.slice(q);
  if (PLAIN_PATH.test(rawPath) && !url.includes('#')) {
    path = rawPath;
  } else {
    try {
      const parsed = new URL(url, `${scheme}://${req.headers.host || 'localhost'}`);
      path = parsed.pathname;
      search = parsed.search;
    } catch {
      return {};
    }
  }
  if (search.length <= 1) return { path };
  const params = new URLSearchParams(search.slice(1));
  for (const key of UPSTREAM_REDACTED_QUERY) if (params.has(key)) params.set(key, 'REDACTED');
  return { path, query: params.toString() };
}

/** The start attributes of a server span (the request ids are added after them, like upstream's hook attributes). */
export function requestAttributes(req: IncomingMessage, scheme: string, method: string): Attributes {
  const socket = req.socket;
  const ua = req.headers['user-agent'];
  const server = serverAddress(req, scheme);
  const attrs: Attributes = {
    'http.request.method': method,
    'url.scheme': scheme,
  };
  if (server?.host !== undefined) attrs['server.address'] = server.host;
  if (socket.remoteAddress !== undefined) attrs['network.peer.address'] = socket.remoteAddress;
  if (socket.remotePort !== undefined) attrs['network.peer.port'] = socket.remotePort;
  if (req.httpVersion) attrs['network.protocol.version'] = req.httpVersion;
  if (ua !== undefined) attrs['user_agent.original'] = ua;
  const { path, query } = urlParts(req, scheme);
  if (path !== undefined) attrs['url.path'] = path;
  if (query !== undefined) attrs['url.query'] = query;
  const client = clientAddress(req);
  if (client !== undefined) attrs['client.address'] = client;
  if (server?.port !== undefined) attrs['server.port'] = server.port;
  if (req.method !== undefined && req.method !== method) attrs['http.request.method_original'] = req.method;
  return attrs;
}
