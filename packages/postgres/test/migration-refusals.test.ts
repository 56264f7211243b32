// `migrate` refuses, applying nothing, a database whose record does not match the code: a migration edited
// after it was applied, or migrations from a newer release. A failing migration rolls back alone.
import { describe, expect, it } from 'vitest';
import { checksumOf } from '../src/checksum.js';
import { migrate } from '../src/index.js';
import { migrateWith } from '../src/migrations.js';
import { MIGRATIONS } from '../src/schema/migration-list.js';
import type { Migration } from '../src/schema/migration.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { createsTable, freshSchema, left, recordOf, right, tableExists } from './support/migration-fixtures.js';

describe('migrate refuses a record that does not match the code', () => {
  const db = useFreshDatabase('migrate refusals');

  it('checksum-mismatch when a recorded migration was edited since: nothing applied, the record untouched', async () => {
    const pool = db().pool;
    const schema = freshSchema('edited');
    const released = [createsTable(1, 'one'), createsTable(2, 'two')];
    await right(migrateWith(pool, released, { schema }));
    const before = await recordOf(pool, schema);

    const edited: Migration = { ...createsTable(1, 'one'), sql: 'CREATE TABLE one (id bigint);' };
    const error = await left(migrateWith(pool, [edited, createsTable(2, 'two'), createsTable(3, 'three')], { schema }));
    expect(error).toEqual({
      code: 'checksum-mismatch',
      message: expect.stringContaining('migration 1 (create one)'),
      version: 1,
      name: 'create one',
      recordedChecksum: checksumOf(createsTable(1, 'one').sql),
      expectedChecksum: checksumOf(edited.sql),
    });
    expect(await tableExists(pool, schema, 'three')).toBe(false);
    expect(await recordOf(pool, schema)).toEqual(before);
  });

  it('checksum-mismatch for the package’s own migrations when the recorded checksum was altered', async () => {
    const pool = db().pool;
    const schema = freshSchema('tampered');
    await right(migrate(pool, { schema }));
    await pool.query(`UPDATE "${schema}".message_center_migrations SET checksum = 'not the code''s' WHERE version = 1`);
    const error = await left(migrate(pool, { schema }));
    expect(error).toMatchObject({ code: 'checksum-mismatch', version: 1, recordedChecksum: "not the code's", expectedChecksum: checksumOf(MIGRATIONS[0]?.sql ?? '') });
  });

  it('database-newer when a newer release migrated the schema: this code applies nothing, not even its own pending ones', async () => {
    const pool = db().pool;
    const schema = freshSchema('newer');
    await right(migrateWith(pool, [createsTable(1, 'one')], { schema }));
    // A newer release recorded migration 3 (say it skipped nothing; this code simply does not know 3).
    await pool.query(`INSERT INTO "${schema}".message_center_migrations (version, name, checksum) VALUES (3, 'from the future', 'x')`);
    const before = await recordOf(pool, schema);

    const error = await left(migrateWith(pool, [createsTable(1, 'one'), createsTable(2, 'two')], { schema }));
    expect(error).toEqual({ code: 'database-newer', message: expect.stringContaining('3'), unknownVersions: [3], codeVersion: 2 });
    expect(await tableExists(pool, schema, 'two')).toBe(false);
    expect(await recordOf(pool, schema)).toEqual(before);
  });

  it('database-newer from the package’s own migrate, after a longer list migrated the schema', async () => {
    const pool = db().pool;
    const schema = freshSchema('newer own');
    const next = MIGRATIONS.length + 1;
    await right(migrateWith(pool, [...MIGRATIONS, createsTable(next, 'next')], { schema }));
    const error = await left(migrate(pool, { schema }));
    expect(error).toMatchObject({ code: 'database-newer', unknownVersions: [next], codeVersion: MIGRATIONS.length });
  });

  it('migration-failed rolls back the failing migration alone: earlier ones stay, later ones wait, a fixed one then applies', async () => {
    const pool = db().pool;
    const schema = freshSchema('failing');
    const broken: Migration = { version: 2, name: 'broken', sql: 'CREATE TABLE half_done (id integer);\nSELECT 1 / 0;' };
    const error = await left(migrateWith(pool, [createsTable(1, 'one'), broken, createsTable(3, 'three')], { schema }));
    expect(error).toMatchObject({ code: 'migration-failed', version: 2, name: 'broken', sqlState: '22012' });
    expect(error.message).toContain('division by zero');
    expect((await recordOf(pool, schema)).map((row) => row.version)).toEqual([1]);
    expect(await tableExists(pool, schema, 'one')).toBe(true);
    expect(await tableExists(pool, schema, 'half_done')).toBe(false);
    expect(await tableExists(pool, schema, 'three')).toBe(false);

    // Never recorded, so not released here: the fixed migration 2 is not an edit.
    const report = await right(migrateWith(pool, [createsTable(1, 'one'), createsTable(2, 'two'), createsTable(3, 'three')], { schema }));
    expect(report.applied.map((m) => m.version)).toEqual([2, 3]);
  });
});
