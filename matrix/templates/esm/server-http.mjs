// Matrix fixture app: plain node:http, no framework.
import http from 'node:http';
import { lookupUser, announce } from './work.mjs';

const server = http.createServer((req, res) => {
  const match = /^\/users\/(\d+)$/.exec(req.url ?? '');
  if (!match) {
    res.writeHead(404).end();
    return;
  }
  lookupUser(match[1]).then(
    (user) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(user)),
    (err) => res.writeHead(500).end(String(err)),
  );
});
server.listen(0, '127.0.0.1', () => {
  announce(/** @type {import('node:net').AddressInfo} */ (server.address()).port, () => new Promise((resolve) => server.close(resolve)));
});
