import { DatabaseError } from 'pg';
import { redactSecrets } from './redact.js';

// What `migrate` answers instead of throwing: a discriminated union on `code`, each with a human `message`.
// No error carries the driver's error object: it may hold the connection's configuration, password included;
// `sqlState` (PostgreSQL's SQLSTATE) is kept instead, for the host's decisions and logs.

/** The database could not be reached or the connection was lost (refused, authentication, no such database, shutting down). Retrying later may help. */
export interface DatabaseUnavailableError {
  readonly code: 'database-unavailable';
  readonly message: string;
  readonly sqlState: string | null;
}

/** The database refused the bookkeeping itself (the lock, the migrations table), e.g. for lack of a privilege. */
export interface MigrationBookkeepingError {
  readonly code: 'database-error';
  readonly message: string;
  readonly sqlState: string | null;
}

/** A migration's SQL failed. Its transaction rolled back; the migrations before it stay applied. */
export interface MigrationFailedError {
  readonly code: 'migration-failed';
  readonly message: string;
  readonly version: number;
  readonly name: string;
  readonly sqlState: string | null;
}

/** A migration recorded in the database differs from the code's (edited after it was released): nothing was applied. */
export interface ChecksumMismatchError {
  readonly code: 'checksum-mismatch';
  readonly message: string;
  readonly version: number;
  readonly name: string;
  readonly recordedChecksum: string;
  readonly expectedChecksum: string;
}

/** The database holds migrations this code does not know (a newer release migrated it): nothing was applied. */
export interface DatabaseNewerError {
  readonly code: 'database-newer';
  readonly message: string;
  readonly unknownVersions: ReadonlyArray<number>;
  readonly codeVersion: number;
}

/** The schema option is no PostgreSQL identifier `migrate` can use: nothing was attempted. */
export interface InvalidSchemaError {
  readonly code: 'invalid-schema';
  readonly message: string;
  readonly schema: string;
}

export type MigrationError =
  | DatabaseUnavailableError
  | MigrationBookkeepingError
  | MigrationFailedError
  | ChecksumMismatchError
  | DatabaseNewerError
  | InvalidSchemaError;

/**
 * SQLSTATEs that say the connection, not the statement, failed: connection exceptions (08), authorization
 * (28), no such database (3D000), insufficient resources such as too many connections (53), and a server
 * shutting down or starting up (57P01–57P03).
 */
const UNAVAILABLE_SQLSTATE = /^(08|28|53|3D000$|57P0[123]$)/;

const sqlStateOf = (cause: unknown): string | null => (cause instanceof DatabaseError && cause.code !== undefined ? cause.code : null);

/** Whether a failure is the connection's: any error that is not the server's answer to a statement, or one of the SQLSTATEs above. */
const isUnavailable = (cause: unknown): boolean => {
  const state = sqlStateOf(cause);
  return state === null ? !(cause instanceof DatabaseError) : UNAVAILABLE_SQLSTATE.test(state);
};

/** A readable account of any thrown value; node's AggregateError (a refused dual-stack connect) has an empty message of its own. */
const describe = (cause: unknown): string => {
  if (cause instanceof AggregateError && cause.message === '') return cause.errors.map(describe).join('; ');
  if (cause instanceof Error) {
    const code = 'code' in cause && typeof cause.code === 'string' ? cause.code : null;
    return cause.message !== '' ? cause.message : (code ?? cause.name);
  }
  return String(cause);
};

/** The failure of a connect or of a bookkeeping statement, told apart by what failed. */
export const databaseFailure = (
  cause: unknown,
  doing: string,
  secrets: ReadonlyArray<string>,
): DatabaseUnavailableError | MigrationBookkeepingError => {
  const sqlState = sqlStateOf(cause);
  const detail = redactSecrets(describe(cause), secrets);
  return isUnavailable(cause)
    ? { code: 'database-unavailable', message: `PostgreSQL unavailable while ${doing}: ${detail}`, sqlState }
    : { code: 'database-error', message: `PostgreSQL refused ${doing}: ${detail}`, sqlState };
};

/** A migration's own SQL failed; a lost connection during it is still reported as unavailable. */
export const migrationFailure = (
  cause: unknown,
  migration: { readonly version: number; readonly name: string },
  secrets: ReadonlyArray<string>,
): DatabaseUnavailableError | MigrationFailedError => {
  const doing = `applying migration ${migration.version} (${migration.name})`;
  if (isUnavailable(cause)) return { code: 'database-unavailable', message: `PostgreSQL unavailable while ${doing}: ${redactSecrets(describe(cause), secrets)}`, sqlState: sqlStateOf(cause) };
  return {
    code: 'migration-failed',
    message: `migration ${migration.version} (${migration.name}) failed and was rolled back: ${redactSecrets(describe(cause), secrets)}`,
    version: migration.version,
    name: migration.name,
    sqlState: sqlStateOf(cause),
  };
};

export const checksumMismatch = (
  schema: string,
  recorded: { readonly version: number; readonly name: string; readonly checksum: string },
  expectedChecksum: string,
): ChecksumMismatchError => ({
  code: 'checksum-mismatch',
  message:
    `schema ${schema}: migration ${recorded.version} (${recorded.name}) was applied with checksum ${recorded.checksum}, ` +
    `but this code's migration ${recorded.version} has checksum ${expectedChecksum} (edited after release?); nothing was applied`,
  version: recorded.version,
  name: recorded.name,
  recordedChecksum: recorded.checksum,
  expectedChecksum,
});

export const databaseNewer = (schema: string, unknownVersions: ReadonlyArray<number>, codeVersion: number): DatabaseNewerError => ({
  code: 'database-newer',
  message:
    `schema ${schema}: the database has migration(s) ${unknownVersions.join(', ')} that this code does not know ` +
    `(it knows up to ${codeVersion}); a newer release migrated it, so nothing was applied`,
  unknownVersions,
  codeVersion,
});

export const invalidSchema = (schema: string, reason: string): InvalidSchemaError => ({
  code: 'invalid-schema',
  message: `schema name ${JSON.stringify(schema)} ${reason}`,
  schema,
});
