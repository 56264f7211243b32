import type { ClientBase } from 'pg';
import type { DomainEventType, EventEnvelope } from '@message-center/core/internals';

/**
 * A read model kept in PostgreSQL: what the projection runner (`startPgProjection`) feeds. The runner calls
 * `apply` inside the transaction that also moves the projection's checkpoint, so whatever `apply` writes is
 * committed together with the checkpoint or not at all: every event is applied exactly once.
 *
 * `apply` must:
 * - write through `client` only (it is the transaction's connection), with parameterized SQL;
 * - name its tables unqualified: the transaction runs with `search_path` = the runner's schema, then public;
 * - treat the batch as one step in log order (the events of any streams, in the order of `$all`), giving the
 *   same rows whether a history comes in one batch or in any split of it (batches follow the store's pages
 *   and what earlier attempts committed);
 * - not commit, roll back or change the session (no `BEGIN`, `COMMIT`, `SET` without `LOCAL`).
 * It may throw: the batch is rolled back and tried again later.
 */
export interface PgProjection {
  /** The projection's checkpoint row in `message_center_checkpoints`, and (with the schema) its lock. */
  readonly name: string;
  /**
   * The event types `apply` reads. Other events of known types are passed over undecoded (their position
   * still moves the checkpoint); an event of an unknown type or a newer schema version is decoded anyway, so
   * the runner's `unknownEvents` policy sees it, as in core's runner.
   */
  readonly handles: ReadonlySet<DomainEventType>;
  /** Writes one batch of decoded events (never empty), in log order. */
  readonly apply: (client: ClientBase, batch: ReadonlyArray<EventEnvelope>) => Promise<void>;
  /**
   * `apply` in two steps, so that the runner folds a batch while the database writes the one before (optional):
   * `stage` reads what the batch needs through `read` and folds it in memory, `write` then writes it on the
   * transaction's connection as `apply` would. `read` sees every batch before `previous` committed, and may or
   * may not see `previous` itself (the batch just before this one, staged and maybe still being written): what
   * `previous` changes, `stage` takes whole from it (values, not deltas), not from `read`. `previous` is null
   * when the batch before wrote nothing or has committed. `stage` only reads; the same rules as `apply` hold for
   * `write`. A runner with `pipeline` on writes through `stage` and calls `apply` only for a page it could not
   * stage (another writer committed part of it, or no reader): a wrapper of `apply` wraps `stage` too, or leaves
   * it out.
   */
  readonly stage?: (read: ClientBase, batch: ReadonlyArray<EventEnvelope>, previous: StagedBatch | null) => Promise<StagedBatch>;
}

/** A batch folded by a projection's `stage`, its writes still to do. */
export interface StagedBatch {
  readonly write: (client: ClientBase) => Promise<void>;
  /** What the batch leaves for the next one's `stage`: the projection's own (one that wraps `write` keeps it). */
  readonly carry: unknown;
}
