// Matrix fixture app: express 4 or 5.
import express from 'express';
import { lookupUser, announce } from './work.mjs';

const app = express();
app.get('/users/:id', async (req, res) => {
  try {
    res.json(await lookupUser(req.params.id));
  } catch (err) {
    res.status(500).send(String(err));
  }
});
const server = app.listen(0, '127.0.0.1', () => {
  announce(/** @type {import('node:net').AddressInfo} */ (server.address()).port, () => new Promise((resolve) => server.close(resolve)));
});
