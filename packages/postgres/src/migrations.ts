import { createHash } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { escapeIdentifier, type Pool, type PoolClient } from 'pg';
import { checksumOf } from './checksum.js';
import {
  checksumMismatch,
  databaseFailure,
  databaseNewer,
  invalidSchema,
  migrationFailure,
  type MigrationError,
} from './migration-errors.js';
import { poolSecrets } from './pool-secrets.js';
import type { Migration } from './schema/migration.js';
import { MIGRATIONS } from './schema/migration-list.js';

// `migrate` brings a schema up to the code's migrations: one transaction per migration, each under one
// advisory lock, so any number of processes may call it at start-up and every migration runs exactly once.
// Before anything runs, the record is checked against the code: an edited or unknown migration stops it.

export interface MigrateOptions {
  /** The schema holding the package's tables (created when missing); default `public`. */
  readonly schema?: string;
}

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
}

export interface MigrationReport {
  readonly schema: string;
  /** What this call applied, in order; empty when the schema was already up to date. */
  readonly applied: ReadonlyArray<AppliedMigration>;
  /** The schema's version afterwards: the highest applied migration, 0 for none. */
  readonly version: number;
}

export const DEFAULT_SCHEMA = 'public';

/** The record of applied migrations, one per schema. */
export const MIGRATIONS_TABLE = 'message_center_migrations';

/**
 * One lock per database, not per schema: migrations of two schemas both create the database's extensions,
 * which two transactions cannot do at once. Advisory locks are scoped to the database already.
 */
const MIGRATION_LOCK_KEY = createHash('sha256').update(MIGRATIONS_TABLE).digest().readBigInt64BE(0).toString();

/** PostgreSQL truncates identifiers beyond 63 bytes (NAMEDATALEN - 1); a silently shortened schema is refused instead. */
const MAX_IDENTIFIER_BYTES = 63;

interface RecordedMigration {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
}

/** One transaction's outcome: a migration applied, or the schema found up to date at `version`. */
type Step = { readonly kind: 'applied'; readonly migration: AppliedMigration } | { readonly kind: 'current'; readonly version: number };

/** A failed step, and whether the connection can still be trusted (a failed ROLLBACK means it cannot). */
interface Failure {
  readonly error: MigrationError;
  readonly connectionBroken: boolean;
}

const validateSchema = (schema: string): E.Either<MigrationError, string> => {
  if (schema === '') return E.left(invalidSchema(schema, 'is empty'));
  if (schema.includes('\0')) return E.left(invalidSchema(schema, 'contains a NUL character'));
  if (Buffer.byteLength(schema, 'utf8') > MAX_IDENTIFIER_BYTES) return E.left(invalidSchema(schema, `is longer than ${MAX_IDENTIFIER_BYTES} bytes`));
  return E.right(schema);
};

/** A row of the migrations table, checked rather than trusted: the table lives in the host's database. */
const decodeRecorded = (row: unknown): RecordedMigration | null =>
  typeof row === 'object' &&
  row !== null &&
  'version' in row &&
  'name' in row &&
  'checksum' in row &&
  typeof row.version === 'number' &&
  typeof row.name === 'string' &&
  typeof row.checksum === 'string'
    ? { version: row.version, name: row.name, checksum: row.checksum }
    : null;

/** The refusal, if any, of migrating a schema with this record: unknown versions first, then edited ones. */
const checkRecord = (
  schema: string,
  recorded: ReadonlyArray<RecordedMigration>,
  migrations: ReadonlyArray<Migration>,
): MigrationError | null => {
  const known = new Map(migrations.map((migration) => [migration.version, migration]));
  const unknown = recorded.filter((row) => !known.has(row.version)).map((row) => row.version);
  if (unknown.length > 0) return databaseNewer(schema, unknown, Math.max(0, ...migrations.map((m) => m.version)));
  for (const row of recorded) {
    const migration = known.get(row.version);
    if (migration !== undefined && checksumOf(migration.sql) !== row.checksum) return checksumMismatch(schema, row, checksumOf(migration.sql));
  }
  return null;
};

/** Statement-level helpers over one client; each failure becomes a `Failure` value carrying what was being done. */
const makeSession = (client: PoolClient, schema: string, secrets: ReadonlyArray<string>) => {
  const table = `${escapeIdentifier(schema)}.${escapeIdentifier(MIGRATIONS_TABLE)}`;

  const rollback = async (error: MigrationError): Promise<E.Either<Failure, never>> => {
    try {
      await client.query('ROLLBACK');
      return E.left({ error, connectionBroken: false });
    } catch {
      return E.left({ error, connectionBroken: true });
    }
  };

  /** Creates the schema and the migrations table when missing, checking first: `IF NOT EXISTS` still needs the CREATE privilege. */
  const ensureBookkeeping = async (): Promise<void> => {
    const schemaExists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (schemaExists.rowCount === 0) await client.query(`CREATE SCHEMA ${escapeIdentifier(schema)}`);
    const tableExists = await client.query('SELECT 1 WHERE to_regclass($1) IS NOT NULL', [table]);
    if (tableExists.rowCount === 0) {
      // The bookkeeping table is outside the numbered migrations and never changes shape: every version of the
      // code must read it.
      await client.query(
        `CREATE TABLE ${table} (
           version integer PRIMARY KEY CHECK (version > 0),
           name text NOT NULL,
           checksum text NOT NULL,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
    }
  };

  const readRecord = async (): Promise<ReadonlyArray<RecordedMigration> | null> => {
    const rows: ReadonlyArray<unknown> = (await client.query(`SELECT version, name, checksum FROM ${table} ORDER BY version`)).rows;
    const decoded = rows.map(decodeRecorded);
    return decoded.every((row): row is RecordedMigration => row !== null) ? decoded : null;
  };

  /** One transaction: lock, check the record, apply the first pending migration (if any) and record it. */
  const step = async (migrations: ReadonlyArray<Migration>): Promise<E.Either<Failure, Step>> => {
    try {
      await client.query('BEGIN');
    } catch (cause: unknown) {
      return E.left({ error: databaseFailure(cause, 'starting a transaction', secrets), connectionBroken: true });
    }
    let recorded: ReadonlyArray<RecordedMigration> | null;
    try {
      await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
      await ensureBookkeeping();
      recorded = await readRecord();
    } catch (cause: unknown) {
      return rollback(databaseFailure(cause, `checking ${schema}.${MIGRATIONS_TABLE}`, secrets));
    }
    if (recorded === null) {
      return rollback({ code: 'database-error', message: `${schema}.${MIGRATIONS_TABLE} holds a row this code cannot read`, sqlState: null });
    }
    const refusal = checkRecord(schema, recorded, migrations);
    if (refusal !== null) return rollback(refusal);

    const done = new Set(recorded.map((row) => row.version));
    const next = migrations.find((migration) => !done.has(migration.version));
    try {
      if (next === undefined) {
        await client.query('COMMIT');
        return E.right({ kind: 'current', version: Math.max(0, ...done) });
      }
      // The target schema first, public second: where the database's extensions live.
      const searchPath = [...new Set([schema, DEFAULT_SCHEMA])].map(escapeIdentifier).join(', ');
      await client.query(`SET LOCAL search_path TO ${searchPath}`);
    } catch (cause: unknown) {
      return rollback(databaseFailure(cause, `migrating ${schema}`, secrets));
    }
    try {
      await client.query(next.sql);
    } catch (cause: unknown) {
      return rollback(migrationFailure(cause, next, secrets));
    }
    try {
      await client.query(`INSERT INTO ${table} (version, name, checksum) VALUES ($1, $2, $3)`, [next.version, next.name, checksumOf(next.sql)]);
      await client.query('COMMIT');
    } catch (cause: unknown) {
      return rollback(databaseFailure(cause, `recording migration ${next.version} (${next.name})`, secrets));
    }
    return E.right({ kind: 'applied', migration: { version: next.version, name: next.name } });
  };

  return { step };
};

const migrateOnce = async (pool: Pool, migrations: ReadonlyArray<Migration>, options: MigrateOptions): Promise<E.Either<MigrationError, MigrationReport>> => {
  const schemaOrError = validateSchema(options.schema ?? DEFAULT_SCHEMA);
  if (E.isLeft(schemaOrError)) return schemaOrError;
  const schema = schemaOrError.right;
  const secrets = poolSecrets(pool);

  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (cause: unknown) {
    return E.left(databaseFailure(cause, 'connecting', secrets));
  }
  // A connection that dies between two statements makes the client emit 'error'; unheard, that would crash
  // the host. The next statement fails and reports it.
  const ignore = (): void => undefined;
  client.on('error', ignore);
  let connectionBroken = false;
  try {
    const session = makeSession(client, schema, secrets);
    const applied: AppliedMigration[] = [];
    for (;;) {
      const outcome = await session.step(migrations);
      if (E.isLeft(outcome)) {
        connectionBroken = outcome.left.connectionBroken;
        return E.left(outcome.left.error);
      }
      if (outcome.right.kind === 'current') return E.right({ schema, applied, version: outcome.right.version });
      applied.push(outcome.right.migration);
    }
  } finally {
    client.off('error', ignore);
    // A broken connection is destroyed rather than handed back to the pool.
    client.release(connectionBroken);
  }
};

/**
 * `migrate` with a list of migrations other than the package's own (tests, and the shape for a host's
 * future read-model tables). The list must number its migrations 1, 2, 3, … in order.
 */
export const migrateWith =
  (pool: Pool, migrations: ReadonlyArray<Migration>, options: MigrateOptions = {}): TE.TaskEither<MigrationError, MigrationReport> =>
  () =>
    migrateOnce(pool, migrations, options).catch((cause: unknown) => E.left(databaseFailure(cause, 'migrating', poolSecrets(pool))));

/**
 * Brings the schema (default `public`) up to this package's migrations: applies the pending ones in order,
 * each in its own transaction and recorded in `message_center_migrations`; a second call applies nothing.
 * Concurrent callers (several instances starting at once) are serialised by an advisory lock. It refuses,
 * applying nothing, when the database's record holds a migration this code does not know or one whose SQL
 * differs from the code's. Never throws: every failure is a `Left` whose message carries no password.
 */
export const migrate = (pool: Pool, options: MigrateOptions = {}): TE.TaskEither<MigrationError, MigrationReport> =>
  migrateWith(pool, MIGRATIONS, options);
