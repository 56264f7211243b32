/**
 * bench/inbox.ts's log (one business, its clients and conversations over two years) appended into core's
 * in-memory event store, one append per command as the facade writes them (a conversation's first message
 * with its `ConversationStarted`, an archive with its unpin), in log order: bench/inbox.ts's own `LogStream`,
 * whose `joins` say which events share an append; the store gives positions and revisions of its own.
 */
import { createInMemoryEventStore, type EventToAppend, type ExpectedRevision, type InMemoryEventStore } from '@message-center/core';
import { encodeEvent, type EventEnvelope } from '@message-center/core/internals';
import { LogStream, type Census, type World } from './inbox.js';

export interface FilledStore {
  readonly store: InMemoryEventStore;
  readonly census: Census;
  /** Appends made (one per command). */
  readonly appends: number;
}

/** Events read from the log per step (the stream keeps only the slots in progress in memory). */
const READ = 4_096;

/** The whole log of `world` appended into a new `createInMemoryEventStore()`. */
export const fillStore = async (world: World): Promise<FilledStore> => {
  const store = createInMemoryEventStore({ clock: () => '2026-01-01T00:00:00.000Z' });
  const stream = new LogStream(world);
  const revisions = new Map<string, bigint>();
  let group: EventEnvelope[] = [];
  let appends = 0;
  let position = 0;
  const flush = async (): Promise<void> => {
    const head = group[0];
    if (head === undefined) return;
    // Deterministic UUIDs: the position in hex.
    const toAppend: EventToAppend[] = group.map((e) => {
      position += 1;
      return encodeEvent(e.event, `00000000-0000-4000-8000-${position.toString(16).padStart(12, '0')}`);
    });
    const revision = revisions.get(head.streamId) ?? -1n;
    const expectedRevision: ExpectedRevision = revision === -1n ? 'no-stream' : revision;
    const appended = await store.appendToStream(head.streamId, toAppend, { expectedRevision })();
    if (appended._tag === 'Left') throw new Error(`append to ${head.streamId}: ${appended.left.message}`);
    revisions.set(head.streamId, appended.right.nextExpectedRevision);
    appends += 1;
    group = [];
  };
  for (let batch = stream.next(READ); batch !== null; batch = stream.next(READ)) {
    for (const [i, envelope] of batch.envelopes.entries()) {
      // An event that joins the one before goes in the same append.
      if (batch.joins[i] !== 1) await flush();
      group.push(envelope);
    }
  }
  await flush();
  return { store, census: stream.census, appends };
};
