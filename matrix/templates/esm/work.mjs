// Matrix fixture: the request's work, shared by every server flavour (one query, one cache round trip, one log line),
// inside the app's own OpenTelemetry code where the cell has some (otel.*: a no-op for most cells).
import { findUser, closeDb } from './db.mjs';
import { remember, closeCache } from './cache.mjs';
import { logInfo } from './log.mjs';
import { placeOrder } from './otel.mjs';

export function lookupUser(id) {
  return placeOrder(async () => {
    const user = await findUser(Number(id));
    const cached = await remember(`matrix:user:${id}`, user.name);
    logInfo('matrix-log user looked up', { userId: id });
    return { ...user, cached };
  });
}

export async function closeAll() {
  await Promise.allSettled([closeDb(), closeCache()]);
}

/** Prints the port for the runner and closes everything on SIGTERM without forcing the exit. */
export function announce(port, close) {
  console.log(`MATRIX_LISTENING ${port}`);
  process.once('SIGTERM', () => {
    void close().then(closeAll);
  });
}
