// Pool names for pools built from a connection string: upstream names a pool from options.host, .port
// and .database only, so `new Pool({ connectionString })` shows as unknown_host:unknown_port/unknown_database
// in db.client.connection.*. We name it from the parsed string, never with its user or password.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

interface PoolOptions {
  connectionString?: string;
  host?: string;
  port?: number | string;
  database?: string;
}

/** `host:port/database` from the options' connection string, or undefined when there is none to read. */
export function poolNameFromConnectionString(opts: PoolOptions | undefined): string | undefined {
  if (!opts?.connectionString) return undefined;
  let url: URL;
  try {
    url = new URL(opts.connectionString);
  } catch {
    return undefined;
  }
  const q = url.searchParams;
  // pg reads a socket directory or a host given as ?host=; values in the options fill what the string lacks.
  const host = decodeURIComponent(url.hostname) || q.get('host') || opts.host || 'localhost';
  const port = url.port || q.get('port') || opts.port || process.env.PGPORT || '5432';
  const database = decodeURIComponent(url.pathname.slice(1)) || q.get('dbname') || opts.database || 'unknown_database';
  return `${host}:${port}/${database}`;
}

/**
 * Replaces instrumentation-pg's getPoolName in its utils module, which its instrumentation calls through the
 * module object. The file is internal (no exports entry), so it is found next to the package's entry; if it
 * moves or changes shape, pools keep upstream's names.
 */
export function nameConnectionStringPools(): void {
  try {
    const utils = require(join(dirname(require.resolve('@opentelemetry/instrumentation-pg')), 'utils.cjs')) as { getPoolName?: (o?: PoolOptions) => string };
    const upstream = utils.getPoolName;
    if (typeof upstream !== 'function' || (upstream as { obsPatched?: boolean }).obsPatched) return;
    const named = (opts?: PoolOptions): string => poolNameFromConnectionString(opts) ?? upstream(opts);
    named.obsPatched = true;
    utils.getPoolName = named;
  } catch {
    // an internal layout we do not know: upstream's names stay
  }
}
