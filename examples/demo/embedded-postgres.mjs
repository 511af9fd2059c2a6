// PostgreSQL for the demo when DATABASE_URL is unset: PGlite (Postgres compiled to WASM) served over
// the real wire protocol, so the demo's `pg` driver and its instrumentation run exactly as in production.
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export async function startEmbeddedPostgres() {
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 8 });
  await server.start();
  // @ts-expect-error -- PGLiteSocketServer keeps its net.Server private and has no port getter; listening on port 0 needs it.
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.server.address());
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop().catch(() => {});
      await db.close().catch(() => {});
    },
  };
}
