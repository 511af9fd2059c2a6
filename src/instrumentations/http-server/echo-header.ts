// The request id echoed on the response as its head is written, not set on it when the request starts.
//
// Why: a header set at request start gives the response Node's "progressive" header store, and a later
// `res.writeHead(status, headers)` then re-validates and copies every header the app passes through
// setHeader (node lib/_http_server.js writeHead: "Slow-case: when progressive API and header fields are
// passed"). A raw-socket loop of 60,000 pipelined /hello requests on Node 24 (2026-12-05, shared 2-core
// box, 3 interleaved rounds) cost 13.3-15.2 µs per request without the early setHeader, 13.8-17.6 with it,
// 13.0-13.3 with the header merged into writeHead's own argument here.
//
// ServerResponse.prototype.writeHead is wrapped once per process; it does nothing for a response that
// carries no id to echo (servers we ignore, OBS_REQUEST_ID_HEADER=off). The app keeps the last word: a
// header of the same name it set with setHeader, passed to writeHead (any case) or as an array pair wins.
import { OutgoingMessage, ServerResponse } from 'node:http';

/** The value a response is to echo, until its head is written. */
const ECHO = Symbol('@org/obs.echo-header');
/** One wrapper per process, whichever copy of this module installs it. */
const INSTALLED = Symbol.for('@org/obs.echo-header-installed');

type Headers = Record<string, unknown> | readonly unknown[] | null | undefined;
type EchoingResponse = ServerResponse & { [ECHO]?: string };
type WriteHead = (this: ServerResponse, statusCode: number, reason?: unknown, headers?: unknown) => ServerResponse;

/** Node's internal slot for headers set with setHeader (null until the first one): read, never written. */
function outHeadersSlot(): symbol | undefined {
  try {
    return Object.getOwnPropertySymbols(new OutgoingMessage()).find((s) => s.description === 'kOutHeaders');
  } catch {
    return undefined;
  }
}

function hasKey(headers: Record<string, unknown>, name: string): boolean {
  for (const key of Object.keys(headers)) {
    if (key.length === name.length && key.toLowerCase() === name) return true;
  }
  return false;
}

function isName(key: unknown, name: string): boolean {
  return typeof key === 'string' && key.length === name.length && key.toLowerCase() === name;
}

/**
 * writeHead's headers argument with `name: value` added, in the form the app used (an object, a flat
 * array of names and values, or an array of pairs); undefined when the app passes that header itself.
 */
function withHeader(headers: Headers, name: string, value: string): Headers | undefined {
  if (headers == null) return { [name]: value };
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0])) {
      return (headers as readonly (readonly unknown[])[]).some((pair) => isName(pair[0], name)) ? undefined : [...headers, [name, value]];
    }
    for (let i = 0; i < headers.length; i += 2) if (isName(headers[i], name)) return undefined;
    return [...headers, name, value];
  }
  if (typeof headers !== 'object') return undefined;
  return hasKey(headers as Record<string, unknown>, name) ? undefined : { ...(headers as Record<string, unknown>), [name]: value };
}

/** How a response is given its request id: `echo(res, value)`. */
export type Echo = (res: ServerResponse, value: string) => void;

/** Sets the header now: where Node's header slot cannot be found (it has been there since Node 12). */
function setNow(name: string): Echo {
  return (res, value) => {
    // Nothing is written yet at request start: the app can still replace it.
    if (!res.headersSent && !res.hasHeader(name)) res.setHeader(name, value);
  };
}

/**
 * The echo for header `name` (any case): the value waits on the response and joins its head when
 * writeHead runs (called by the app, or by Node for res.end() without it).
 */
export function echoHeader(headerName: string): Echo {
  const name = headerName.toLowerCase();
  const slot = outHeadersSlot();
  const proto = ServerResponse.prototype as unknown as { writeHead: WriteHead; [INSTALLED]?: string };
  if (slot === undefined || (proto[INSTALLED] !== undefined && proto[INSTALLED] !== name)) return setNow(name);
  if (proto[INSTALLED] === undefined) {
    const original = proto.writeHead;
    proto.writeHead = function writeHead(this: EchoingResponse, statusCode: number, ...rest: unknown[]): ServerResponse {
      const value = this[ECHO];
      if (value !== undefined) {
        this[ECHO] = undefined;
        try {
          // As Node reads its arguments: writeHead(status[, reason][, headers]).
          const [reason, obj] = rest;
          const headers = (typeof reason === 'string' ? obj : (obj ?? reason)) as Headers;
          const progressive = (this as unknown as Record<symbol, unknown>)[slot] != null;
          if (!progressive) {
            // No header set yet: ours joins the app's argument (a copy), which keeps Node on its fast path.
            const merged = withHeader(headers, name, value);
            if (merged === undefined) return original.call(this, statusCode, ...rest);
            return typeof reason === 'string' ? original.call(this, statusCode, reason, merged) : original.call(this, statusCode, merged);
          }
          // Headers set with setHeader already: Node's own merge lets a value the app passes replace ours.
          if (!this.headersSent && !this.hasHeader(name)) this.setHeader(name, value);
        } catch {
          // the response's own writeHead below reports any misuse, as it would without us
        }
      }
      return original.call(this, statusCode, ...rest);
    };
    Object.defineProperty(proto, INSTALLED, { value: name, configurable: true });
  }
  return (res, value) => {
    (res as EchoingResponse)[ECHO] = value;
  };
}
