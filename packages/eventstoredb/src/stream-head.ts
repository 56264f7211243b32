import type { LogPosition } from '@message-center/core';
import { BACKWARDS, END, FORWARDS, type EventStoreDbClientLike } from './client.js';
import { drain } from './deadline.js';
import { isStreamNotFound } from './errors.js';
import { UNKNOWN_POSITION } from './recorded-event.js';

// Small reads that answer what an append did not report. Every read is drained to its end: a client read
// left unconsumed never finishes, and the client's `dispose()` waits for it. The signal (the caller's
// deadline) cancels it.

export interface StreamEvent {
  readonly revision: bigint;
  readonly position: LogPosition;
}

/** The stream's last event, or `undefined` when it has none. A tombstoned stream throws (stream-deleted). */
export const lastEventOf = async (client: EventStoreDbClientLike, streamId: string, signal: AbortSignal): Promise<StreamEvent | undefined> => {
  let last: StreamEvent | undefined;
  try {
    await drain(client.readStream(streamId, { fromRevision: END, direction: BACKWARDS, maxCount: 1 }), signal, (resolved) => {
      if (resolved.event !== undefined) last = { revision: resolved.event.revision, position: resolved.event.position ?? UNKNOWN_POSITION };
    });
  } catch (error: unknown) {
    if (!isStreamNotFound(error)) throw error;
  }
  return last;
};

/** The position of the stream's event at `revision` (unknown if the server does not say). */
export const positionOf = async (client: EventStoreDbClientLike, streamId: string, revision: bigint, signal: AbortSignal): Promise<LogPosition> => {
  let position: LogPosition = UNKNOWN_POSITION;
  await drain(client.readStream(streamId, { fromRevision: revision, direction: FORWARDS, maxCount: 1 }), signal, (resolved) => {
    if (resolved.event?.revision === revision && resolved.event.position !== undefined) position = resolved.event.position;
  });
  return position;
};

/**
 * The position of the last event in `$all` ({0, 0} on an empty log), like the in-memory store's head. On
 * a secure server reading `$all` needs a user in `$admins` or `$ops`.
 */
export const headOfAll = async (client: EventStoreDbClientLike, signal: AbortSignal): Promise<LogPosition> => {
  let head: LogPosition = { commit: 0n, prepare: 0n };
  await drain(client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1 }), signal, (resolved) => {
    if (resolved.event !== undefined) head = { commit: resolved.event.position.commit, prepare: resolved.event.position.prepare };
  });
  return head;
};
