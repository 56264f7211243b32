/**
 * R2 (the To: picker): a prefix index over keys of one kind — the words of client names, folded e-mail
 * addresses, or reversed phone digits (so a suffix of a number is a prefix of its key). The keys themselves
 * are kept in order for long prefixes; their first {@link SHORT_PREFIX} characters are kept as keys of their
 * own, because a short prefix ("m", search as you type) is shared by thousands of keys and is then one
 * posting list instead of the union of thousands. Every posting is built whole and never written again
 * (`postings.ts`), so states share them.
 */
import { PHashMap, PSortedMap, compareStrings, type Edit } from './persistent.js';
import { NO_POSTINGS, PostingChanges, applyChanges, sizeOf, unionAll, type Postings } from './postings.js';

/** Prefixes up to this length are one lookup; longer ones scan the few keys that start with them. */
export const SHORT_PREFIX = 4;

export interface PrefixIndex {
  /**
   * The shortest prefix kept as a key. Phone digits are never searched by fewer than 3, and their 1- and
   * 2-digit prefixes would be the largest lists, copied at every batch.
   */
  readonly shortest: number;
  readonly keys: PSortedMap<string, Postings>;
  readonly prefixes: PHashMap<Postings>;
}

export const emptyPrefixIndex = (shortest: number): PrefixIndex => ({ shortest, keys: PSortedMap.empty(compareStrings), prefixes: PHashMap.empty() });

const shortPrefixes = (keys: ReadonlySet<string>, shortest: number): Set<string> => {
  const out = new Set<string>();
  for (const k of keys) for (let n = shortest; n <= SHORT_PREFIX && n <= k.length; n += 1) out.add(k.slice(0, n));
  return out;
};

/** The moves of one batch in one index, gathered per key and applied once. */
export class PrefixChanges {
  readonly keys = new PostingChanges();
  readonly prefixes = new PostingChanges();

  constructor(private readonly shortest: number) {}

  /** An entry's keys went from `before` to `after`. */
  diff(ordinal: number, before: ReadonlySet<string>, after: ReadonlySet<string>): void {
    this.keys.diff(ordinal, before, after);
    this.prefixes.diff(ordinal, shortPrefixes(before, this.shortest), shortPrefixes(after, this.shortest));
  }
}

/** The two map kinds, as far as posting lists go. */
interface PostingsMap<M> {
  get(key: string): Postings | undefined;
  set(key: string, value: Postings, edit: Edit): M;
  delete(key: string, edit: Edit): M;
}

/** Applies the changes of a batch; a key left with no entry is dropped, so replay and increments agree. */
export const applyPostings = <M extends PostingsMap<M>>(map: M, changes: PostingChanges, universe: number, edit: Edit): M => {
  let m = map;
  for (const [key, { add, remove }] of changes.byKey) {
    const next = applyChanges(m.get(key), add, remove, universe);
    m = sizeOf(next) === 0 ? m.delete(key, edit) : m.set(key, next, edit);
  }
  return m;
};

export const applyPrefixChanges = (index: PrefixIndex, changes: PrefixChanges, universe: number, edit: Edit): PrefixIndex =>
  changes.keys.byKey.size === 0
    ? index
    : {
        shortest: index.shortest,
        keys: applyPostings(index.keys, changes.keys, universe, edit),
        prefixes: applyPostings(index.prefixes, changes.prefixes, universe, edit),
      };

/** The entries with exactly this key. */
export const exactly = (index: PrefixIndex, key: string): Postings => index.keys.get(key) ?? NO_POSTINGS;

/** The entries with a key that starts with `prefix` (none for an empty prefix); a prefix shorter than the index keeps is scanned. */
export const startingWith = (index: PrefixIndex, prefix: string, universe: number): Postings => {
  if (prefix === '') return NO_POSTINGS;
  if (prefix.length >= index.shortest && prefix.length <= SHORT_PREFIX) return index.prefixes.get(prefix) ?? NO_POSTINGS;
  const lists: Postings[] = [];
  index.keys.forEachFrom(
    (k) => k >= prefix,
    (k, p) => {
      if (!k.startsWith(prefix)) return false;
      lists.push(p);
      return true;
    },
  );
  return unionAll(lists, universe);
};
