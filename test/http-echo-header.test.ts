// The request id joins the response head when it is written (src/instrumentations/http-server/echo-header.ts):
// every way a Node app writes its head gets it once, and a value the app gives the header by then wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { echoHeader } from '../src/instrumentations/http-server/echo-header.js';

const echo = echoHeader('X-Request-Id');

/** Serves one request with `handle`, after giving its response the id 'rid-1'; returns the raw response head. */
async function head(handle: (req: IncomingMessage, res: ServerResponse) => void, withId = true): Promise<string> {
  const server = http.createServer((req, res) => {
    if (withId) echo(res, 'rid-1');
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await new Promise<IncomingMessage>((resolve, reject) => http.get({ port, host: '127.0.0.1', path: '/', agent: false }, resolve).on('error', reject));
    res.resume();
    await new Promise((resolve) => res.on('end', resolve));
    const lines: string[] = [];
    for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push(`${res.rawHeaders[i].toLowerCase()}: ${res.rawHeaders[i + 1]}`);
    return lines.filter((l) => !/^(date|connection|keep-alive|transfer-encoding):/.test(l)).join('\n');
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

test('the id joins the head whichever way the app writes it', async () => {
  assert.equal(await head((_q, r) => {
    r.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
    r.end('ok');
  }), 'content-type: text/plain\ncontent-length: 2\nx-request-id: rid-1');
  assert.equal(await head((_q, r) => r.end('ok')), 'x-request-id: rid-1\ncontent-length: 2', 'implicit head (res.end alone)');
  assert.equal(await head((_q, r) => {
    r.writeHead(201, 'Made', { 'content-length': 0 });
    r.end();
  }), 'content-length: 0\nx-request-id: rid-1', 'writeHead(status, reason, headers)');
  assert.equal(await head((_q, r) => {
    r.setHeader('content-type', 'text/plain');
    r.writeHead(200, { 'content-length': 2 });
    r.end('ok');
  }), 'content-type: text/plain\nx-request-id: rid-1\ncontent-length: 2', 'headers set with setHeader first');
  assert.equal(await head((_q, r) => {
    r.writeHead(200, ['content-length', '2', 'x-other', 'a']);
    r.end('ok');
  }), 'content-length: 2\nx-other: a\nx-request-id: rid-1', 'a flat array of names and values');
  assert.equal(await head((_q, r) => {
    r.writeHead(200, [['content-length', '2']]);
    r.end('ok');
  }), 'content-length: 2\nx-request-id: rid-1', 'an array of pairs');
});

test('a value the app gives the header wins, in any case and any form', async () => {
  const ids = (h: string): string[] => h.split('\n').filter((l) => l.startsWith('x-request-id:'));
  assert.deepEqual(ids(await head((_q, r) => {
    r.setHeader('X-Request-ID', 'app');
    r.end('ok');
  })), ['x-request-id: app'], 'set with setHeader');
  assert.deepEqual(ids(await head((_q, r) => {
    r.writeHead(200, { 'X-REQUEST-ID': 'app', 'content-length': 2 });
    r.end('ok');
  })), ['x-request-id: app'], 'passed to writeHead');
  assert.deepEqual(ids(await head((_q, r) => {
    r.setHeader('content-type', 'text/plain');
    r.writeHead(200, { 'x-request-id': 'app' });
    r.end('ok');
  })), ['x-request-id: app'], 'passed to writeHead after setHeader');
  assert.deepEqual(ids(await head((_q, r) => {
    r.writeHead(200, ['X-Request-Id', 'app', 'content-length', '2']);
    r.end('ok');
  })), ['x-request-id: app'], 'in an array');
});

test('a response without an id is left alone, and writeHead keeps reporting misuse as Node does', async () => {
  assert.equal(await head((_q, r) => {
    r.writeHead(200, { 'content-length': 2 });
    r.end('ok');
  }, false), 'content-length: 2');
  let thrown: unknown;
  await head((_q, r) => {
    r.writeHead(200, { 'content-length': 2 });
    try {
      r.writeHead(500);
    } catch (err) {
      thrown = err;
    }
    r.end('ok');
  });
  assert.equal((thrown as { code?: string }).code, 'ERR_HTTP_HEADERS_SENT');
  let invalid: unknown;
  await head((_q, r) => {
    try {
      r.writeHead(200, { 'bad header': 'x' });
    } catch (err) {
      invalid = err;
    }
    r.end('ok');
  });
  assert.equal((invalid as { code?: string }).code, 'ERR_INVALID_HTTP_TOKEN');
});
