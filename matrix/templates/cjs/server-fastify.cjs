// Matrix fixture app: fastify 4 or 5.
'use strict';
const Fastify = require('fastify');
const { lookupUser, announce } = require('./work.cjs');

const app = Fastify();
app.get('/users/:id', async (req) => lookupUser(req.params.id));
app.listen({ port: 0, host: '127.0.0.1' }).then(
  () => announce(/** @type {import('node:net').AddressInfo} */ (app.server.address()).port, () => app.close()),
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
