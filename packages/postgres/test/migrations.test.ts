// Migrations the package applies itself: a fresh database gets them all, a second run applies nothing, and
// any schema can hold the package's tables.
import { describe, expect, it } from 'vitest';
import { checksumOf } from '../src/checksum.js';
import { migrate } from '../src/index.js';
import { migrateWith } from '../src/migrations.js';
import { MIGRATIONS } from '../src/schema/migration-list.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { freshSchema, left, recordOf, right, tableExists } from './support/migration-fixtures.js';

describe('the migration list', () => {
  it('numbers its migrations 1, 2, 3, … in order, with distinct names', () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(MIGRATIONS.map((_, index) => index + 1));
    expect(new Set(MIGRATIONS.map((migration) => migration.name)).size).toBe(MIGRATIONS.length);
  });

  it('checksums SQL as SHA-256 hex, the same for LF and CRLF line endings and different for any other edit', () => {
    const sql = 'CREATE TABLE t (id integer);\nSELECT 1;';
    expect(checksumOf(sql)).toMatch(/^[0-9a-f]{64}$/);
    expect(checksumOf(sql.replaceAll('\n', '\r\n'))).toBe(checksumOf(sql));
    expect(checksumOf(`${sql} `)).not.toBe(checksumOf(sql));
  });
});

describe('migrate on a fresh database', () => {
  const db = useFreshDatabase('migrate fresh');

  it('applies every migration into public and records each with its checksum', async () => {
    const pool = db().pool;
    const report = await right(migrate(pool));
    expect(report).toEqual({ schema: 'public', applied: MIGRATIONS.map(({ version, name }) => ({ version, name })), version: MIGRATIONS.length });
    expect(await recordOf(pool, 'public')).toEqual(MIGRATIONS.map(({ version, name, sql }) => ({ version, name, checksum: checksumOf(sql) })));
  });

  it('migration 1 created the unaccent and pg_trgm extensions and the checkpoints table', async () => {
    const pool = db().pool;
    const extensions = await pool.query<{ extname: string; schema: string }>(
      "SELECT extname, extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname IN ('unaccent', 'pg_trgm') ORDER BY extname",
    );
    expect(extensions.rows).toEqual([
      { extname: 'pg_trgm', schema: 'public' },
      { extname: 'unaccent', schema: 'public' },
    ]);
    const columns = await pool.query<{ column_name: string; data_type: string; is_nullable: string }>(
      "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'message_center_checkpoints' ORDER BY ordinal_position",
    );
    expect(columns.rows).toEqual([
      { column_name: 'projection', data_type: 'text', is_nullable: 'NO' },
      { column_name: 'commit_position', data_type: 'numeric', is_nullable: 'NO' },
      { column_name: 'prepare_position', data_type: 'numeric', is_nullable: 'NO' },
      { column_name: 'updated_at', data_type: 'timestamp with time zone', is_nullable: 'NO' },
    ]);
  });

  it('the checkpoints table holds any unsigned 64-bit log position, and no negative one', async () => {
    const pool = db().pool;
    const max = (2n ** 64n - 1n).toString();
    await pool.query('INSERT INTO message_center_checkpoints (projection, commit_position, prepare_position) VALUES ($1, $2, $3)', ['inbox', max, max]);
    const { rows } = await pool.query<{ commit_position: string }>("SELECT commit_position FROM message_center_checkpoints WHERE projection = 'inbox'");
    expect(rows).toEqual([{ commit_position: max }]);
    await expect(
      pool.query("INSERT INTO message_center_checkpoints (projection, commit_position, prepare_position) VALUES ('alerts', -1, 0)"),
    ).rejects.toThrow(/check constraint/);
    await pool.query('DELETE FROM message_center_checkpoints');
  });

  it('a second run applies nothing and leaves the record as it was', async () => {
    const pool = db().pool;
    const before = await pool.query<{ version: number; applied_at: Date }>('SELECT version, applied_at FROM message_center_migrations ORDER BY version');
    const report = await right(migrate(pool));
    expect(report).toEqual({ schema: 'public', applied: [], version: MIGRATIONS.length });
    const after = await pool.query<{ version: number; applied_at: Date }>('SELECT version, applied_at FROM message_center_migrations ORDER BY version');
    expect(after.rows).toEqual(before.rows);
  });
});

describe('migrate into a schema of the host’s choosing', () => {
  const db = useFreshDatabase('migrate schema');

  it('creates the schema and keeps the package’s tables and record there, the extensions staying in public', async () => {
    const pool = db().pool;
    const schema = freshSchema('Tenant A');
    expect((await right(migrate(pool, { schema }))).applied.map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await tableExists(pool, schema, 'message_center_checkpoints')).toBe(true);
    expect(await tableExists(pool, 'public', 'message_center_checkpoints')).toBe(false);
    expect((await recordOf(pool, schema)).length).toBe(MIGRATIONS.length);
    expect(await recordOf(pool, 'public')).toEqual([]);
  });

  it('migrates a second schema of the same database independently (the extensions already there)', async () => {
    const pool = db().pool;
    const schema = freshSchema('tenant b');
    expect((await right(migrate(pool, { schema }))).version).toBe(MIGRATIONS.length);
    expect((await right(migrate(pool, { schema }))).applied).toEqual([]);
  });

  it('takes any identifier, quoted: capitals, spaces, quotes', async () => {
    const pool = db().pool;
    const schema = `Odd "Schema" ${freshSchema('x')}`;
    expect((await right(migrate(pool, { schema }))).schema).toBe(schema);
    expect(await tableExists(pool, schema, 'message_center_checkpoints')).toBe(true);
  });

  it.each([
    ['an empty name', ''],
    ['a name longer than 63 bytes', 'é'.repeat(32)],
    ['a NUL character', 'a\0b'],
  ])('refuses %s as invalid-schema, touching nothing', async (_, schema) => {
    const error = await left(migrate(db().pool, { schema }));
    expect(error).toMatchObject({ code: 'invalid-schema', schema });
  });

  it('a migration list runs with the target schema first on the search path', async () => {
    const pool = db().pool;
    const schema = freshSchema('search path');
    await right(migrateWith(pool, [{ version: 1, name: 'where am i', sql: 'CREATE TABLE here AS SELECT current_schema() AS schema_name;' }], { schema }));
    const { rows } = await pool.query<{ schema_name: string }>(`SELECT schema_name FROM "${schema}".here`);
    expect(rows).toEqual([{ schema_name: schema }]);
  });
});
