// @message-center/postgres: the read models on PostgreSQL (issue 15, in progress). So far: the schema
// migrations the package applies itself, the projection runner that feeds read-model tables, and R6 usage.
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

// The projection runner and what it feeds.
export { startPgProjection, DEFAULT_PAGE_SIZE } from './projection-runner.js';
export type { PgProjectionRunner, PgProjectionRunnerOptions, PgProjectionStats, PgProjectionStatus } from './projection-runner.js';
export type { PgProjection, StagedBatch } from './pg-projection.js';
export { isFatal } from './runner-errors.js';
export type { DatabaseFailure, PgProjectionError, ProjectionApplyError, RunnerDefect, RunnerEnded, StoreReadError } from './runner-errors.js';
export { CHECKPOINTS_TABLE } from './checkpoints.js';

// R6 usage.
export { usagePgProjection, USAGE_PROJECTION } from './usage-projection.js';
export { usageFromPg } from './usage-query.js';
export type { UsageQueryError } from './usage-query.js';

// R1 (the inbox, its folder views V4–V7), R2 (its search), R3 (its filters) and R4 (the unread badge).
export { inboxPgProjection, INBOX_PROJECTION } from './inbox-projection.js';
export { inboxPageFromPg, plainInboxFromPg } from './inbox-query.js';
export type { InboxQueryError, PgInboxQuery, PgQueryOptions, PlainInboxQuery } from './inbox-query.js';
export { unreadBadgeFromPg } from './badge-query.js';
export type { BadgeQuery } from './badge-query.js';

// The facade's read-model store on PostgreSQL (issue 15): `createMessageCenter({ store, readModelStore })`.
export { pgReadModelStore } from './read-model-store.js';
export { appliedPosition } from './applied-position.js';
export { rebuildReadModels, switchableReadModelStore } from './rebuild.js';
export type { RebuildOptions, Rebuilt } from './rebuild.js';

// R7 alerts (V8).
export { alertsPgProjection, ALERTS_PROJECTION } from './alerts-projection.js';
export { alertsFromPg } from './alerts-query.js';
export type { AlertsQueryError, AlertsQueryOptions } from './alerts-query.js';
