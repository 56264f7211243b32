import { compareLogPositions, type LogPosition } from '../domain/log.js';
import type { RecordedEvent } from '../application/ports/event-store.js';
import type { LogView } from './catch-up-subscription.js';

/** The global log (`$all`): every recorded event in commit order, plus who to tell about appends. */
export interface EventLog extends LogView {
  readonly length: () => number;
  /**
   * The position the next event gets. Positions count events from 1 (commit = prepare), so the zero
   * position (EventStoreDB's `Position.start`) is before every event and works as an `after` checkpoint.
   */
  readonly nextPosition: () => LogPosition;
  /** Position of the last event, or the zero position for an empty log. */
  readonly headPosition: () => LogPosition;
  readonly push: (event: RecordedEvent) => void;
  /** Tells subscribers that events were pushed; called once per append, after all its events. */
  readonly notify: () => void;
  readonly slice: (from: number, to?: number) => ReadonlyArray<RecordedEvent>;
}

const position = (n: number): LogPosition => Object.freeze({ commit: BigInt(n), prepare: BigInt(n) });

export const createEventLog = (): EventLog => {
  const events: Array<RecordedEvent> = [];
  const listeners = new Set<() => void>();

  // The usual checkpoint is an event's own position (n, n), which is index n - 1: found at once, since
  // every command's catch-up starts there. Any other checkpoint (between two events, past the end, a
  // position of another store): binary search, as positions grow with the index.
  const firstIndexAfter = (after: LogPosition | undefined): number => {
    if (after === undefined) return 0;
    if (after.commit === after.prepare && after.commit >= 0n && after.commit <= BigInt(events.length)) {
      const n = Number(after.commit);
      const at = events[n - 1];
      if (n === 0 || (at !== undefined && at.position.commit === after.commit && at.position.prepare === after.prepare)) return n;
    }
    let low = 0;
    let high = events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const event = events[middle];
      if (event !== undefined && compareLogPositions(event.position, after) <= 0) low = middle + 1;
      else high = middle;
    }
    return low;
  };

  return {
    length: () => events.length,
    at: (index) => events[index],
    firstIndexAfter,
    nextPosition: () => position(events.length + 1),
    headPosition: () => position(events.length),
    push: (event) => {
      events.push(event);
    },
    notify: () => {
      for (const listener of [...listeners]) listener();
    },
    onAppend: (listener) => {
      // A fresh function per registration, so registering the same callback twice still counts twice.
      const entry = (): void => listener();
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
    slice: (from, to) => events.slice(from, to),
  };
};
