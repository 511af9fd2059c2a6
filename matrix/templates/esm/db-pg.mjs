// Matrix fixture role "db": a pg Pool against the local PostgreSQL, as a service would write it.
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.MATRIX_PG_URL, max: 2 });

export async function findUser(id) {
  const { rows } = await pool.query('SELECT $1::int AS id, $2::text AS name', [id, `user-${id}`]);
  return rows[0];
}

export async function closeDb() {
  await pool.end();
}
