import type { ExpectedRevision } from '../application/ports/event-store.js';

/** What a stream looks like to the append check. */
export interface StreamIds {
  /** Revision of the last event, -1n when the stream has no events. */
  readonly revision: bigint;
  readonly idAt: (revision: bigint) => string | undefined;
  /** Revision of the latest event with this id in the stream. */
  readonly revisionOf: (id: string) => bigint | undefined;
}

export type AppendDecision =
  | { readonly kind: 'write' }
  /** The batch is already in the stream; `lastRevision` is the revision of its last event. */
  | { readonly kind: 'idempotent'; readonly lastRevision: bigint }
  | { readonly kind: 'conflict' };

const WRITE: AppendDecision = { kind: 'write' };
const CONFLICT: AppendDecision = { kind: 'conflict' };

/**
 * The expected-revision and idempotency check of EventStoreDB's `IndexWriter.CheckCommit`
 * (EventStore/EventStore, src/EventStore.Core/Services/Storage/ReaderIndex/IndexWriter.cs), for a stream
 * that is not deleted:
 * - `stream-exists` on a stream without events is a conflict;
 * - `any` / `stream-exists`: if the batch's first id is in the stream, every id must be (then the append is
 *   idempotent and answers the revision of the last one), else it is a conflict ("corrupted idempotency");
 *   if the first id is not in the stream, the batch is written. EventStoreDB looks ids up in a bounded
 *   cache of recent commits, so on a server this is best effort for recent events; here every id is kept;
 * - an exact revision (`no-stream` is -1) below the current one: the ids at revisions expected+1… must be
 *   exactly the batch, else it is a conflict; above the current one: a conflict; equal: the batch is written.
 */
export const decideAppend = (stream: StreamIds, expected: ExpectedRevision, ids: ReadonlyArray<string>): AppendDecision => {
  if (expected === 'stream-exists' && stream.revision < 0n) return CONFLICT;
  if (expected === 'any' || expected === 'stream-exists') return idempotentById(stream, ids);
  const expectedRevision = expected === 'no-stream' ? -1n : expected;
  if (expectedRevision > stream.revision) return CONFLICT;
  if (expectedRevision === stream.revision) return WRITE;
  // An empty batch cannot repeat anything, so a stale revision stays a conflict (as in CheckCommit).
  if (ids.length === 0) return CONFLICT;
  const repeatsFromExpected = ids.every((id, offset) => stream.idAt(expectedRevision + 1n + BigInt(offset)) === id);
  return repeatsFromExpected ? { kind: 'idempotent', lastRevision: expectedRevision + BigInt(ids.length) } : CONFLICT;
};

const idempotentById = (stream: StreamIds, ids: ReadonlyArray<string>): AppendDecision => {
  const [first] = ids;
  if (first === undefined || stream.revisionOf(first) === undefined) return WRITE;
  let lastRevision = -1n;
  for (const id of ids) {
    const revision = stream.revisionOf(id);
    if (revision === undefined) return CONFLICT;
    lastRevision = revision;
  }
  return { kind: 'idempotent', lastRevision };
};
