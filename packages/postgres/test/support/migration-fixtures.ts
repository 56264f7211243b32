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

/**
 * Rows of tables a later migration dropped, derived from the rows the fresh schema still has, as the older
 * release's runner kept them: migration 12's arrays of message words (migration 16 replaced them), each
 * conversation's words from its word rows.
 */
const DROPPED_TABLES: Readonly<Record<string, (from: string) => string>> = {
  message_center_inbox_conversation_words: (from) =>
    `SELECT business_id, conversation_id, array_agg(word ORDER BY word) FROM ${escapeIdentifier(from)}.message_center_inbox_text_words GROUP BY business_id, conversation_id`,
};

/**
 * Copies every row of `from` into `to`, table by table, in the columns `to` has (an older schema has fewer);
 * the marks after the conversations they reference; a table `from` no longer has is derived (DROPPED_TABLES).
 * How a test gets a schema an older release folded: this code's runner needs every migration, so the fold is a
 * fresh schema's, row for row.
 */
export const copyRows = async (pool: Pool, from: string, to: string): Promise<void> => {
  const tables = await pool.query<{ table_name: string; columns: ReadonlyArray<string>; present: boolean }>(
    `SELECT table_name, array_agg(column_name::text ORDER BY ordinal_position) AS columns,
            EXISTS (SELECT 1 FROM information_schema.tables f WHERE f.table_schema = $2 AND f.table_name = c.table_name) AS present
       FROM information_schema.columns c
      WHERE table_schema = $1 AND table_name <> 'message_center_migrations'
      GROUP BY table_name ORDER BY table_name = 'message_center_inbox_read_marks', table_name`,
    [to, from],
  );
  for (const { table_name: table, columns, present } of tables.rows) {
    const list = columns.map(escapeIdentifier).join(', ');
    const derived = DROPPED_TABLES[table];
    const rows = present ? `SELECT ${list} FROM ${escapeIdentifier(from)}.${escapeIdentifier(table)}` : derived?.(from);
    if (rows === undefined) throw new Error(`copyRows: ${from} has no table ${table}, and no way to derive its rows`);
    await pool.query(`INSERT INTO ${escapeIdentifier(to)}.${escapeIdentifier(table)} (${list}) ${rows}`);
  }
};
