import * as E from 'fp-ts/lib/Either.js';
import { DatabaseError, type ClientBase } from 'pg';
import { compareLogPositions, type LogPosition } from '@message-center/core';
import type { EventEnvelope } from '@message-center/core/internals';
import { lockCheckpoint, writeCheckpoint } from './checkpoints.js';
import type { ConsumedEvent } from './decode-page.js';
import { databaseFailure } from './migration-errors.js';
import type { PgProjection, StagedBatch } from './pg-projection.js';
import { MIGRATIONS_TABLE } from './migrations.js';
import { projectionFailed, schemaNewer, type PgProjectionError } from './runner-errors.js';
import { MIGRATIONS } from './schema/migration-list.js';
import { qualified, searchPathOf } from './schema-path.js';

/** The latest migration this code knows. */
const LATEST_MIGRATION = MIGRATIONS.reduce((latest, m) => Math.max(latest, m.version), 0);

/** The latest migration the schema records (0 for none). */
const migratedVersion = async (client: ClientBase, schema: string): Promise<number> => {
  const { rows } = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${qualified(schema, MIGRATIONS_TABLE)}`);
  return rows[0]?.version ?? 0;
};

// One page of the log, one transaction: lock the checkpoint row, leave out what it already covers, apply
// the rest, move the checkpoint, commit. The rows and the checkpoint commit together or not at all, so a
// crash at any point leaves the tables exactly as of the committed checkpoint.

export type BatchOutcome =
  /** Committed: the checkpoint is now `checkpoint`. */
  | {
      readonly kind: 'committed';
      readonly checkpoint: LogPosition;
      readonly applied: number;
      readonly skippedUnknown: number;
      /** The staged batch given was the one written (the whole page was after the stored checkpoint). */
      readonly wroteStaged: boolean;
    }
  /** The stored checkpoint already covers the whole page (another writer got there first): nothing written. */
  | { readonly kind: 'covered'; readonly checkpoint: LogPosition }
  /** The stored checkpoint is behind where the page was read from (reset by hand?): read again from it. */
  | { readonly kind: 'behind'; readonly checkpoint: LogPosition | null };

/** A failed transaction, rolled back; `connectionBroken` when even that failed (the connection is then dropped). */
export interface BatchFailure {
  readonly error: PgProjectionError;
  readonly connectionBroken: boolean;
}

export interface BatchTransaction {
  readonly client: ClientBase;
  readonly projection: PgProjection;
  readonly schema: string;
  readonly secrets: ReadonlyArray<string>;
}

const isAfter = (position: LogPosition, checkpoint: LogPosition | null): boolean => checkpoint === null || compareLogPositions(position, checkpoint) > 0;

/**
 * Applies `consumed` (not empty: the events of a page read after `readFrom`) in one transaction on the
 * runner's connection.
 */
export const commitBatch = async (
  { client, projection, schema, secrets }: BatchTransaction,
  readFrom: LogPosition | null,
  consumed: ReadonlyArray<ConsumedEvent>,
  staged: StagedBatch | null = null,
): Promise<E.Either<BatchFailure, BatchOutcome>> => {
  const rollback = async (error: PgProjectionError): Promise<E.Either<BatchFailure, never>> => {
    try {
      await client.query('ROLLBACK');
      return E.left({ error, connectionBroken: false });
    } catch (cause: unknown) {
      // The connection is gone: whatever failed first, what the host should hear is that.
      return E.left({ error: databaseFailure(cause, `rolling back a batch of ${projection.name}`, secrets), connectionBroken: true });
    }
  };
  const endWithout = async (outcome: BatchOutcome): Promise<E.Either<BatchFailure, BatchOutcome>> => {
    try {
      await client.query('ROLLBACK');
      return E.right(outcome);
    } catch (cause: unknown) {
      return E.left({ error: databaseFailure(cause, `ending a transaction of ${projection.name}`, secrets), connectionBroken: true });
    }
  };

  try {
    await client.query('BEGIN');
  } catch (cause: unknown) {
    return E.left({ error: databaseFailure(cause, `starting a batch of ${projection.name}`, secrets), connectionBroken: true });
  }

  let stored: LogPosition | null;
  let schemaVersion: number;
  try {
    // Local to the transaction: the connection goes back to the pool as it came.
    await client.query("SELECT set_config('search_path', $1, true)", [searchPathOf(schema)]);
    stored = await lockCheckpoint(client, schema, projection.name);
    schemaVersion = await migratedVersion(client, schema);
  } catch (cause: unknown) {
    return rollback(databaseFailure(cause, `locking the checkpoint of ${projection.name}`, secrets));
  }
  // A newer release's migration may keep rows beside the ones this code writes (a count, a text of words), which
  // this code would write without: checked with each batch, so a migration that lands stops it at the next one.
  if (schemaVersion > LATEST_MIGRATION) return rollback(schemaNewer(schema, schemaVersion, LATEST_MIGRATION));

  // A checkpoint behind the page would leave a gap between it and the page: read again from it instead.
  if (stored !== null ? readFrom !== null && compareLogPositions(stored, readFrom) < 0 : readFrom !== null) {
    return endWithout({ kind: 'behind', checkpoint: stored });
  }
  // A checkpoint ahead of where the page was read (another writer committed meanwhile): those events are in.
  const fresh = consumed.filter((event) => isAfter(event.position, stored));
  const last = fresh[fresh.length - 1];
  if (last === undefined) {
    return stored === null ? endWithout({ kind: 'behind', checkpoint: null }) : endWithout({ kind: 'covered', checkpoint: stored });
  }

  const batch = fresh.map((event) => event.envelope).filter((envelope): envelope is EventEnvelope => envelope !== null);
  // The batch staged from the whole page is this one when the checkpoint is where the page was read from.
  const asStaged = staged !== null && fresh.length === consumed.length ? staged : null;
  if (batch.length > 0) {
    try {
      if (asStaged !== null) await asStaged.write(client);
      else await projection.apply(client, batch);
    } catch (cause: unknown) {
      // A database error is the database's; anything else thrown is the projection's own failure.
      return rollback(cause instanceof DatabaseError ? databaseFailure(cause, `applying a batch of ${projection.name}`, secrets) : projectionFailed(projection.name, cause, secrets));
    }
  }

  try {
    await writeCheckpoint(client, schema, projection.name, last.position);
    await client.query('COMMIT');
  } catch (cause: unknown) {
    // A COMMIT that fails on a lost connection may or may not have committed; the runner reads the checkpoint
    // back before its next batch, so either way nothing is applied twice.
    return rollback(databaseFailure(cause, `committing a batch of ${projection.name}`, secrets));
  }
  return E.right({
    kind: 'committed',
    checkpoint: last.position,
    applied: batch.length,
    skippedUnknown: fresh.filter((event) => event.unknown).length,
    wroteStaged: asStaged !== null,
  });
};
