import type { Loaded } from './command-handler.js';

export interface StateCache<S> {
  readonly get: (streamId: string) => Loaded<S> | undefined;
  readonly set: (streamId: string, loaded: Loaded<S>) => void;
}

interface Entry<S> {
  readonly streamId: string;
  loaded: Loaded<S>;
  newer: Entry<S> | null;
  older: Entry<S> | null;
}

/**
 * A least-recently-used cache of folded aggregate states. Sharing them is safe: every state is a deeply
 * frozen value (immer's, or `makePersistentDecider`'s with persistent maps), and a load still reads the
 * stream from the cached revision on, so a write by another process is never missed; it only spares
 * re-reading and re-decoding what was folded already.
 *
 * The order of use is a list through the entries, so a hit moves one entry to the front and touches the
 * map once: deleting and re-inserting every hit in the map (to renew its place in the map's order) cost
 * three lookups of a freshly built stream name per load, and a send loads five streams (issue 14).
 */
export const createStateCache = <S>(capacity: number): StateCache<S> => {
  const entries = new Map<string, Entry<S>>();
  let newest: Entry<S> | null = null;
  let oldest: Entry<S> | null = null;

  const unlink = (entry: Entry<S>): void => {
    if (entry.newer === null) newest = entry.older;
    else entry.newer.older = entry.older;
    if (entry.older === null) oldest = entry.newer;
    else entry.older.newer = entry.newer;
    entry.newer = null;
    entry.older = null;
  };

  const makeNewest = (entry: Entry<S>): void => {
    if (entry === newest) return;
    // A listed entry other than the newest has a newer one; a new entry is not listed yet.
    if (entry.newer !== null) unlink(entry);
    entry.older = newest;
    if (newest === null) oldest = entry;
    else newest.newer = entry;
    newest = entry;
  };

  return {
    get: (streamId) => {
      const entry = entries.get(streamId);
      if (entry === undefined) return undefined;
      makeNewest(entry);
      return entry.loaded;
    },
    set: (streamId, loaded) => {
      const known = entries.get(streamId);
      if (known !== undefined) {
        known.loaded = loaded;
        makeNewest(known);
        return;
      }
      const entry: Entry<S> = { streamId, loaded, newer: null, older: null };
      entries.set(streamId, entry);
      makeNewest(entry);
      if (entries.size > capacity && oldest !== null) {
        const evicted = oldest;
        unlink(evicted);
        entries.delete(evicted.streamId);
      }
    },
  };
};
