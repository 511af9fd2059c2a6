// PostgreSQL (pg, pg-pool): query spans, db.client.operation.duration and pool metrics. Statement
// privacy (OBS_DB_STATEMENT) is applied at export by the redactor, off the query's own path.
import type { InstrumentationSpec } from './types.js';
import { nameConnectionStringPools } from './pg-pool-name.js';
import { registerDependency } from '../host/app-clients.js';
import { otel } from '../sdk/otel.js';

/**
 * /readyz checks the app's pools (OBS_READY_CHECKS=pg): upstream hands every pool to this method on its
 * first connect. An internal method: if it is gone, the check says the pools were not seen.
 */
function knowPools(instrumentation: object): void {
  const inst = instrumentation as { _setPoolConnectEventListeners?: (pool: unknown) => unknown };
  const original = inst._setPoolConnectEventListeners;
  if (typeof original !== 'function') return;
  inst._setPoolConnectEventListeners = function (this: unknown, pool: unknown) {
    registerDependency('pg', pool);
    return original.call(this, pool);
  };
}

export const pg: InstrumentationSpec = {
  name: 'pg',
  package: '@opentelemetry/instrumentation-pg',
  modules: ['pg', 'pg-pool'],
  create({ config }) {
    const { PgInstrumentation } = otel('@opentelemetry/instrumentation-pg');
    // Pools from a connectionString get a real db.client.connection.pool.name (src/instrumentations/pg-pool-name.ts).
    nameConnectionStringPools();
    const instrumentation = new PgInstrumentation({ enhancedDatabaseReporting: false });
    if (config.signals.readyChecks.includes('pg')) knowPools(instrumentation);
    return instrumentation;
  },
};
