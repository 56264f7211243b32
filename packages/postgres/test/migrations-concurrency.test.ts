// Every instance of the host service calls `migrate` at start-up, so several run at once: the advisory lock
// makes each migration apply exactly once, and every caller answers Right.
import { fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { escapeIdentifier, type Pool } from 'pg';
import { describe, expect, it } from 'vitest';
import { migrate } from '../src/index.js';
import { migrateWith, type MigrationReport } from '../src/migrations.js';
import { MIGRATIONS } from '../src/schema/migration-list.js';
import type { Migration } from '../src/schema/migration.js';
import { useFreshDatabase, type FreshDatabase } from './support/fresh-database.js';
import { freshSchema, loggingMigrations, recordOf } from './support/migration-fixtures.js';

/** `callers` pools (one connection each: separate sessions, as separate processes would be) migrating at once. */
const migrateConcurrently = async (
  db: FreshDatabase,
  callers: number,
  run: (pool: Pool) => Promise<E.Either<unknown, MigrationReport>>,
): Promise<ReadonlyArray<E.Either<unknown, MigrationReport>>> => {
  const pools = Array.from({ length: callers }, () => db.newPool({ max: 1 }));
  try {
    // Connected first, so the calls start together rather than staggered by connection set-up.
    await Promise.all(pools.map((pool) => pool.query('SELECT 1')));
    return await Promise.all(pools.map(run));
  } finally {
    await Promise.all(pools.map((pool) => pool.end()));
  }
};

const reportsOf = (results: ReadonlyArray<E.Either<unknown, MigrationReport>>): ReadonlyArray<MigrationReport> =>
  results.map((result) => {
    if (E.isLeft(result)) throw new Error(`a concurrent migrate answered ${JSON.stringify(result.left)}`);
    return result.right;
  });

/** Every version applied by some caller, in the order of the callers' reports. */
const appliedVersions = (reports: ReadonlyArray<MigrationReport>): ReadonlyArray<number> =>
  reports.flatMap((report) => report.applied.map((migration) => migration.version)).sort((a, b) => a - b);

describe('concurrent migrate', () => {
  const db = useFreshDatabase('migrate concurrent');

  it('four pools migrating a fresh database at once: every migration applied exactly once, every caller Right and current', async () => {
    const reports = reportsOf(await migrateConcurrently(db(), 4, (pool) => migrate(pool)()));
    const all = MIGRATIONS.map((migration) => migration.version);
    expect(appliedVersions(reports)).toEqual(all);
    expect(reports.every((report) => report.version === MIGRATIONS.length)).toBe(true);
    expect((await recordOf(db().pool, 'public')).map((row) => row.version)).toEqual(all);
  });

  it('any number of callers (1–6) on any number of migrations (1–4): each migration runs exactly once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 4 }), async (callers, count) => {
        const schema = freshSchema('concurrent');
        const migrations: ReadonlyArray<Migration> = loggingMigrations(count);
        const reports = reportsOf(await migrateConcurrently(db(), callers, (pool) => migrateWith(pool, migrations, { schema })()));
        const versions = migrations.map((migration) => migration.version);
        expect(appliedVersions(reports)).toEqual(versions);
        expect(reports.every((report) => report.version === count)).toBe(true);
        // applied_log has one row per run of a migration's SQL: exactly one each, in version order.
        const log = await db().pool.query<{ version: number }>(`SELECT version FROM ${escapeIdentifier(schema)}.applied_log ORDER BY at, version`);
        expect(log.rows.map((row) => row.version)).toEqual(versions);
        expect((await recordOf(db().pool, schema)).map((row) => row.version)).toEqual(versions);
      }),
      { numRuns: 20 },
    );
  }, 120_000);
});
