import type { ClientRecordedEvent } from './client.js';
import type { LogPosition, RecordedEvent } from '@message-center/core';

/** Servers before 22.6 send no position on stream reads (client `RecordedEvent.position` docs). */
export const UNKNOWN_POSITION: LogPosition = Object.freeze({ commit: -1n, prepare: -1n });

/**
 * Streams and event types starting with `$` are EventStoreDB's own (`$streamDeleted`, `$metadata`,
 * `$$stream`, projections, stats). Reads of `$all` never return them: they are not Message Center facts,
 * and their data need not be JSON.
 */
export const isSystemEvent = (event: { readonly streamId: string; readonly type: string }): boolean =>
  event.streamId.startsWith('$') || event.type.startsWith('$');

export const toRecordedEvent = (event: ClientRecordedEvent): RecordedEvent => ({
  id: event.id,
  streamId: event.streamId,
  revision: event.revision,
  position: event.position === undefined ? UNKNOWN_POSITION : { commit: event.position.commit, prepare: event.position.prepare },
  type: event.type,
  data: event.data,
  metadata: event.metadata,
  created: event.created.toISOString(),
});
