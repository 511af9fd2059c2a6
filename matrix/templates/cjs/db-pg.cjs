// Matrix fixture role "db": a pg Pool against the local PostgreSQL, as a service would write it.
'use strict';
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.MATRIX_PG_URL, max: 2 });

async function findUser(id) {
  const { rows } = await pool.query('SELECT $1::int AS id, $2::text AS name', [id, `user-${id}`]);
  return rows[0];
}

async function closeDb() {
  await pool.end();
}

module.exports = { findUser, closeDb };
