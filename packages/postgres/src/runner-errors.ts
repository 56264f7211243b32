import type { EventDecodeError, StoreError } from '@message-center/core';
import type { DatabaseUnavailableError, MigrationBookkeepingError } from './migration-errors.js';
import { redactSecrets } from './redact.js';

// What the projection runner reports (through `onError`, and as the Left of `done` and `caughtUp`), as values
// with a `code` and a `message` in which no password appears. No error carries a driver's or a store's error
// object: either may hold the connection's configuration.

/** A statement or the connection failed: `database-unavailable` (connection lost, refused, shutting down) or `database-error`. */
export type DatabaseFailure = DatabaseUnavailableError | MigrationBookkeepingError;

/** The store answered a read with an error, threw, or did not answer within `readTimeoutMs`. */
export interface StoreReadError {
  readonly code: 'store-read-failed';
  readonly message: string;
  readonly reason: StoreError['code'] | 'timeout' | 'threw';
}

/** The projection's `apply` threw something other than a database error (most likely a bug in it); rolled back. */
export interface ProjectionApplyError {
  readonly code: 'projection-failed';
  readonly message: string;
  readonly projection: string;
}

/** A defect of the runner itself, caught so that it never becomes an unhandled rejection. */
export interface RunnerDefect {
  readonly code: 'internal-error';
  readonly message: string;
}

/**
 * The schema holds a migration this code does not know (a newer release migrated it): this runner would write
 * rows without what the newer migration keeps beside them, so it stops and lets the lock go.
 */
export interface SchemaNewerError {
  readonly code: 'schema-newer-than-runner';
  readonly message: string;
  readonly schemaVersion: number;
  readonly runnerVersion: number;
}

export type PgProjectionError = DatabaseFailure | StoreReadError | ProjectionApplyError | EventDecodeError | RunnerDefect | SchemaNewerError;

/** The answer of `caughtUp` when the runner ended before catching up: stopped, or stopped by `error`. */
export interface RunnerEnded {
  readonly code: 'runner-ended';
  readonly message: string;
  readonly error: PgProjectionError | null;
}

/**
 * Errors the runner stops at instead of retrying: an event it cannot decode (its type is unknown under the
 * `fail` policy, or its data is corrupt: reading it again gives the same answer), a request the store calls
 * malformed, and a schema a newer release migrated. Everything else (database, store outage, a throwing
 * `apply`) is retried with backoff.
 */
export const isFatal = (error: PgProjectionError): boolean =>
  error.code === 'unknown-event-type' ||
  error.code === 'corrupt-event' ||
  error.code === 'schema-newer-than-runner' ||
  (error.code === 'store-read-failed' && error.reason === 'invalid-request');

export const schemaNewer = (schema: string, schemaVersion: number, runnerVersion: number): SchemaNewerError => ({
  code: 'schema-newer-than-runner',
  message: `schema ${JSON.stringify(schema)} is at migration ${schemaVersion}, and this runner knows migrations up to ${runnerVersion}: a newer release migrated it; run that release's runners`,
  schemaVersion,
  runnerVersion,
});

const describeThrown = (thrown: unknown): string => (thrown instanceof Error ? thrown.message || thrown.name : String(thrown));

export const storeReadFailed = (error: StoreError, secrets: ReadonlyArray<string>): StoreReadError => ({
  code: 'store-read-failed',
  message: `reading the event store failed (${error.code}): ${redactSecrets(error.message, secrets)}`,
  reason: error.code,
});

export const storeReadThrew = (thrown: unknown, secrets: ReadonlyArray<string>): StoreReadError => ({
  code: 'store-read-failed',
  message: `the event store threw instead of answering a read: ${redactSecrets(describeThrown(thrown), secrets)}`,
  reason: 'threw',
});

export const storeReadTimedOut = (ms: number): StoreReadError => ({
  code: 'store-read-failed',
  message: `the event store did not answer a read within ${ms} ms`,
  reason: 'timeout',
});

export const projectionFailed = (projection: string, thrown: unknown, secrets: ReadonlyArray<string>): ProjectionApplyError => ({
  code: 'projection-failed',
  message: `projection ${projection} failed to apply a batch, which was rolled back: ${redactSecrets(describeThrown(thrown), secrets)}`,
  projection,
});

export const runnerDefect = (thrown: unknown, secrets: ReadonlyArray<string>): RunnerDefect => ({
  code: 'internal-error',
  message: `the projection runner failed unexpectedly: ${redactSecrets(describeThrown(thrown), secrets)}`,
});

export const runnerEnded = (projection: string, error: PgProjectionError | null): RunnerEnded => ({
  code: 'runner-ended',
  message: error === null ? `the runner of projection ${projection} was stopped` : `the runner of projection ${projection} stopped: ${error.message}`,
  error,
});
