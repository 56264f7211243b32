import type { EventStore, ReadModelStore } from '@message-center/core';

/** A read-model store under test, fed from an event store (by its own projection runner, say). */
export interface AttachedReadModelStore {
  readonly store: ReadModelStore;
  /** Resolves once the store has applied every event the event store holds now. */
  readonly caughtUp: () => Promise<void>;
  readonly detach: () => Promise<void>;
}

export interface ReadModelStoreContractTarget {
  /**
   * A new, empty read-model store fed from `events`. The suite attaches one before a history is played
   * (it folds the events as they come) and one after (it replays them), and compares both with core's.
   */
  readonly attach: (events: EventStore) => Promise<AttachedReadModelStore>;
  readonly dispose?: () => Promise<void>;
  /** Histories per property (default: fast-check's `numRuns`). A store with I/O per query may ask for fewer. */
  readonly numRuns?: number;
}

/** A property walks hundreds of queries per history; a store with I/O per query needs more than Vitest's 5 s. */
export const CONTRACT_TIMEOUT_MS = 300_000;
