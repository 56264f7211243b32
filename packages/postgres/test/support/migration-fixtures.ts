import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { escapeIdentifier, type Pool } from 'pg';
import type { Migration } from '../../src/schema/migration.js';

// What the migration tests share: unwrapping answers, reading a schema's record, and small migration lists.

/** The Right of a task, or a failed test naming the Left. */
export const right = async <L, R>(task: TE.TaskEither<L, R>): Promise<R> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`expected a Right, got the Left ${JSON.stringify(result.left)}`);
  return result.right;
};

/** The Left of a task, or a failed test naming the Right. */
export const left = async <L, R>(task: TE.TaskEither<L, R>): Promise<L> => {
  const result = await task();
  if (E.isRight(result)) throw new Error(`expected a Left, got the Right ${JSON.stringify(result.right)}`);
  return result.left;
};

let schemas = 0;
/** A schema name no other test of the file uses (schemas are created by `migrate`). */
export const freshSchema = (label: string): string => `${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase().slice(0, 40)}_${++schemas}`;

export interface RecordRow {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
}

/** The schema's message_center_migrations, in order; [] when the table does not exist. */
export const recordOf = async (pool: Pool, schema: string): Promise<ReadonlyArray<RecordRow>> => {
  const table = `${escapeIdentifier(schema)}.message_center_migrations`;
  const exists = await pool.query('SELECT 1 WHERE to_regclass($1) IS NOT NULL', [table]);
  if (exists.rowCount === 0) return [];
  return (await pool.query<RecordRow>(`SELECT version, name, checksum FROM ${table} ORDER BY version`)).rows;
};

/** Whether `schema.table` exists. */
export const tableExists = async (pool: Pool, schema: string, table: string): Promise<boolean> =>
  (await pool.query('SELECT 1 WHERE to_regclass($1) IS NOT NULL', [`${escapeIdentifier(schema)}.${escapeIdentifier(table)}`])).rowCount === 1;

/** A migration that creates a table of its own, so whether it ran shows. */
export const createsTable = (version: number, table: string): Migration => ({
  version,
  name: `create ${table}`,
  sql: `CREATE TABLE ${escapeIdentifier(table)} (id integer);`,
});

/**
 * Migrations that log each run in `applied_log` (created by the first), so a migration applied twice shows
 * as two rows, whatever the bookkeeping says. Each also sleeps a little to widen any race.
 */
export const loggingMigrations = (count: number): ReadonlyArray<Migration> =>
  Array.from({ length: count }, (_, index) => {
    const version = index + 1;
    const create = version === 1 ? 'CREATE TABLE applied_log (version integer NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());\n' : '';
    return { version, name: `logged step ${version}`, sql: `${create}SELECT pg_sleep(0.005);\nINSERT INTO applied_log (version) VALUES (${version});` };
  });
