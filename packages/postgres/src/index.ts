// @message-center/postgres: the read models on PostgreSQL (issue 15, in progress). So far: the schema
// migrations the package applies itself.
export { migrate, DEFAULT_SCHEMA, MIGRATIONS_TABLE } from './migrations.js';
export type { AppliedMigration, MigrateOptions, MigrationReport } from './migrations.js';
export type {
  ChecksumMismatchError,
  DatabaseNewerError,
  DatabaseUnavailableError,
  InvalidSchemaError,
  MigrationBookkeepingError,
  MigrationError,
  MigrationFailedError,
} from './migration-errors.js';
