// The PostgreSQL the suites run against is real: a throwaway cluster of the machine's server binaries (or
// DATABASE_URL), with the contrib extensions the read models need.
import { describe, expect, it } from 'vitest';
import { findServerBinaries } from './support/cluster.js';
import { useFreshDatabase } from './support/fresh-database.js';

describe('the test PostgreSQL', () => {
  const db = useFreshDatabase('cluster smoke');

  it('answers queries, as a server of version 13 or newer (DROP DATABASE … WITH (FORCE))', async () => {
    const { rows } = await db().pool.query<{ version: string; num: string }>(
      "SELECT version() AS version, current_setting('server_version_num') AS num",
    );
    expect(rows[0]?.version).toMatch(/^PostgreSQL \d+/);
    expect(Number(rows[0]?.num)).toBeGreaterThanOrEqual(130000);
  });

  it('gives each test file a database of its own, UTF-8 encoded', async () => {
    const { rows } = await db().pool.query<{ database: string; encoding: string }>(
      "SELECT current_database() AS database, pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = current_database()",
    );
    expect(rows).toEqual([{ database: db().name, encoding: 'UTF8' }]);
  });

  it('has postgresql-contrib: unaccent and pg_trgm can be created and work', async () => {
    const pool = db().pool;
    await pool.query('CREATE EXTENSION IF NOT EXISTS unaccent');
    await pool.query('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    const installed = await pool.query<{ extname: string }>("SELECT extname FROM pg_extension WHERE extname IN ('unaccent', 'pg_trgm') ORDER BY extname");
    expect(installed.rows.map((row) => row.extname)).toEqual(['pg_trgm', 'unaccent']);
    const { rows } = await pool.query<{ plain: string; close: boolean }>(
      "SELECT unaccent('Olá, São Paulo! Ça va?') AS plain, similarity('Ana Lima', 'Ana Limma') > 0.5 AS close",
    );
    expect(rows).toEqual([{ plain: 'Ola, Sao Paulo! Ca va?', close: true }]);
  });
});

// Without DATABASE_URL the run's cluster itself shows the binaries are found; these show the failure.
describe('finding the server binaries', () => {
  const nowhere = { debianRoot: '/nonexistent/postgresql', pgConfig: '/nonexistent/pg_config' };

  it('without binaries and without DATABASE_URL, fails saying what to install or set (never skips)', async () => {
    const failure = findServerBinaries({}, nowhere);
    await expect(failure).rejects.toThrow(/No PostgreSQL server binaries found/);
    await expect(failure).rejects.toThrow(/apt-get install postgresql-15 postgresql-contrib/);
    await expect(failure).rejects.toThrow(/PG_BIN/);
    await expect(failure).rejects.toThrow(/DATABASE_URL/);
  });

  it('a PG_BIN without the binaries is an error, not a silent fallback', async () => {
    await expect(findServerBinaries({ PG_BIN: '/nonexistent/bin' })).rejects.toThrow(/PG_BIN=\/nonexistent\/bin holds no executable initdb and postgres/);
  });
});
