import type { AppendResult, ExpectedRevision, StoreError } from '@message-center/core';
import * as E from 'fp-ts/lib/Either.js';
import type { EventStoreDbClientLike } from './client.js';
import { concurrencyConflict } from './errors.js';
import { headOfAll, lastEventOf } from './stream-head.js';

/**
 * An append of zero events, answered by the adapter from a read of the stream and never sent. The
 * clients do not report one faithfully: on BatchAppend (every server since 21.10) both read the reply's
 * `current_revision` even when the server answered `no_stream` (`streams/appendToStream/batchAppend.js`),
 * so an empty append to a missing stream would come back as revision 0.
 *
 * The rule is the port's, as the in-memory store applies it (`decideAppend` in @message-center/core),
 * and EventStoreDB's `CheckCommit` for a batch that repeats nothing:
 * - `any` always passes; `stream-exists` needs an event in the stream;
 * - a revision (`no-stream` is -1) must be the stream's current one: a stale revision is a conflict,
 *   since an empty batch cannot be an idempotent repeat;
 * - the answer is the stream's last event, or revision -1 and the head of `$all` when it has none;
 * - a tombstoned stream answers `stream-deleted` (the read throws; the caller maps it).
 * The check holds at the moment of the read: nothing is written, so that is when the append "happened".
 * The signal is the append's deadline.
 */
export const emptyAppend = async (
  client: EventStoreDbClientLike,
  streamId: string,
  expected: ExpectedRevision,
  signal: AbortSignal,
): Promise<E.Either<StoreError, AppendResult>> => {
  const last = await lastEventOf(client, streamId, signal);
  const current = last?.revision ?? -1n;
  const passes =
    expected === 'any' ||
    (expected === 'stream-exists' && current >= 0n) ||
    (expected === 'no-stream' && current === -1n) ||
    (typeof expected === 'bigint' && expected === current);
  if (!passes) return E.left(concurrencyConflict(streamId, expected, current));
  if (last !== undefined) return E.right({ nextExpectedRevision: last.revision, position: last.position });
  return E.right({ nextExpectedRevision: -1n, position: await headOfAll(client, signal) });
};
