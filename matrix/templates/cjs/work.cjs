// Matrix fixture: the request's work, shared by every server flavour (one query, one cache round trip, one log line),
// inside the app's own OpenTelemetry code where the cell has some (otel.*: a no-op for most cells).
'use strict';
const { findUser, closeDb } = require('./db.cjs');
const { remember, closeCache } = require('./cache.cjs');
const { logInfo } = require('./log.cjs');
const { placeOrder } = require('./otel.cjs');

function lookupUser(id) {
  return placeOrder(async () => {
    const user = await findUser(Number(id));
    const cached = await remember(`matrix:user:${id}`, user.name);
    logInfo('matrix-log user looked up', { userId: id });
    return { ...user, cached };
  });
}

async function closeAll() {
  await Promise.allSettled([closeDb(), closeCache()]);
}

/** Prints the port for the runner and closes everything on SIGTERM without forcing the exit. */
function announce(port, close) {
  console.log(`MATRIX_LISTENING ${port}`);
  process.once('SIGTERM', () => {
    void close().then(closeAll);
  });
}

module.exports = { lookupUser, closeAll, announce };
