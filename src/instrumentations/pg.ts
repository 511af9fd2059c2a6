// PostgreSQL (pg, pg-pool): query spans, db.client.operation.duration and pool metrics. Statement
// privacy (OBS_DB_STATEMENT) is applied at export by the redactor, off the query's own path.
import { createRequire } from 'node:module';
import type { InstrumentationSpec } from './types.js';
import { nameConnectionStringPools } from './pg-pool-name.js';

const require = createRequire(import.meta.url);

export const pg: InstrumentationSpec = {
  name: 'pg',
  package: '@opentelemetry/instrumentation-pg',
  modules: ['pg', 'pg-pool'],
  create() {
    const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
    // Pools from a connectionString get a real db.client.connection.pool.name (src/instrumentations/pg-pool-name.ts).
    nameConnectionStringPools();
    return new PgInstrumentation({ enhancedDatabaseReporting: false });
  },
};
