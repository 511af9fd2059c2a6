// Matrix fixture app: koa 2 or 3 with @koa/router.
import Koa from 'koa';
import Router from '@koa/router';
import { lookupUser, announce } from './work.mjs';

const app = new Koa();
const router = new Router();
router.get('/users/:id', async (ctx) => {
  ctx.body = await lookupUser(ctx.params.id);
});
app.use(router.routes());
const server = app.listen(0, '127.0.0.1', () => {
  announce(/** @type {import('node:net').AddressInfo} */ (server.address()).port, () => new Promise((resolve) => server.close(resolve)));
});
