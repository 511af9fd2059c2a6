// Matrix fixture app: fastify 4 or 5.
import Fastify from 'fastify';
import { lookupUser, announce } from './work.mjs';

const app = Fastify();
app.get('/users/:id', async (req) => lookupUser(req.params.id));
await app.listen({ port: 0, host: '127.0.0.1' });
announce(/** @type {import('node:net').AddressInfo} */ (app.server.address()).port, () => app.close());
