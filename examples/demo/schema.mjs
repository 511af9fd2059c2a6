// Demo schema and seed users; idempotent so a real DATABASE_URL can be reused between runs.
export async function ensureSchema(pool) {
  await pool.query(`CREATE TABLE IF NOT EXISTS users (
    id serial PRIMARY KEY, username text UNIQUE NOT NULL, password text NOT NULL)`);
  await pool.query(`CREATE TABLE IF NOT EXISTS trades (
    id serial PRIMARY KEY, symbol text NOT NULL, side text NOT NULL, qty int NOT NULL,
    price numeric(12, 2) NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  // Plain-text passwords: this is a demo of telemetry, not of authentication.
  await pool.query(`INSERT INTO users (username, password) VALUES ('alice', 'wonderland'), ('bob', 'builder')
    ON CONFLICT (username) DO NOTHING`);
}
