/**
 * Persistent (immutable) collections for read models that hold 100k conversations per business.
 *
 * An update copies a few small nodes instead of the whole collection, so every state a fold has returned
 * stays intact (folds are pure) while a live event still folds in microseconds. Immer would copy a whole
 * `Map` of 100k conversations on each batch; these copy one chunk of at most a few hundred entries.
 *
 * Batches: a fold of thousands of events would copy the same chunk again and again, so an {@link Edit}
 * (`domain/collections/edit.ts`) lets one batch update in place the nodes it created itself.
 */

import { assertOpen, Edit, withEdit } from '../domain/collections/edit.js';

export { Edit, withEdit };

// ------------------------------------------------------------------------------------------------ vector

const VECTOR_BITS = 10;
const VECTOR_CHUNK = 1 << VECTOR_BITS;
const VECTOR_MASK = VECTOR_CHUNK - 1;

interface VectorChunk<T extends {}> {
  readonly owner: Edit | null;
  readonly items: T[];
}

/** An append-only-growing array indexed from 0 (read models number conversations densely). */
export class PVector<T extends {}> {
  static empty<T extends {}>(): PVector<T> {
    return new PVector<T>(null, [], 0);
  }

  private constructor(
    private readonly owner: Edit | null,
    private readonly chunks: VectorChunk<T>[],
    private count: number,
  ) {}

  get size(): number {
    return this.count;
  }

  get(index: number): T | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    return this.chunks[index >>> VECTOR_BITS]?.items[index & VECTOR_MASK];
  }

  set(index: number, value: T, edit: Edit): PVector<T> {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) throw new RangeError(`PVector: no index ${index}`);
    const v = this.editable(edit);
    v.editableChunk(index >>> VECTOR_BITS, edit).items[index & VECTOR_MASK] = value;
    return v;
  }

  push(value: T, edit: Edit): PVector<T> {
    const v = this.editable(edit);
    const chunkIndex = v.count >>> VECTOR_BITS;
    if (chunkIndex === v.chunks.length) v.chunks.push({ owner: edit, items: [] });
    v.editableChunk(chunkIndex, edit).items.push(value);
    v.count += 1;
    return v;
  }

  forEach(visit: (value: T, index: number) => void): void {
    let index = 0;
    for (const chunk of this.chunks)
      for (const item of chunk.items) {
        visit(item, index);
        index += 1;
      }
  }

  private editable(edit: Edit): PVector<T> {
    assertOpen(edit);
    return this.owner === edit ? this : new PVector(edit, this.chunks.slice(), this.count);
  }

  private editableChunk(index: number, edit: Edit): VectorChunk<T> {
    const chunk = this.chunks[index];
    if (chunk === undefined) throw new RangeError(`PVector: no chunk ${index}`);
    if (chunk.owner === edit) return chunk;
    const copy = { owner: edit, items: chunk.items.slice() };
    this.chunks[index] = copy;
    return copy;
  }
}

// ------------------------------------------------------------------------------------------------ sorted map

const MAX_CHUNK = 256;
const MIN_CHUNK = MAX_CHUNK / 4;

interface MapChunk<K extends {}, V extends {} | null> {
  readonly owner: Edit | null;
  readonly keys: K[];
  readonly values: V[];
}

export type Compare<K> = (a: K, b: K) => number;

export const compareStrings: Compare<string> = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A map kept in key order: a list of sorted chunks of at most 256 entries. Lookups are two binary
 * searches; an update copies the chunk list and one chunk. Ordered walks from any key serve the inbox
 * order and prefix searches over words.
 */
export class PSortedMap<K extends {}, V extends {} | null> {
  static empty<K extends {}, V extends {} | null>(compare: Compare<K>): PSortedMap<K, V> {
    return new PSortedMap<K, V>(compare, null, [], 0);
  }

  private constructor(
    readonly compare: Compare<K>,
    private readonly owner: Edit | null,
    private readonly chunks: MapChunk<K, V>[],
    private count: number,
  ) {}

  get size(): number {
    return this.count;
  }

  get(key: K): V | undefined {
    const chunk = this.chunks[this.chunkFor(key)];
    if (chunk === undefined) return undefined;
    const i = this.lowerIndex(chunk.keys, key);
    const found = chunk.keys[i];
    return found !== undefined && this.compare(found, key) === 0 ? chunk.values[i] : undefined;
  }

  has(key: K): boolean {
    const chunk = this.chunks[this.chunkFor(key)];
    if (chunk === undefined) return false;
    const found = chunk.keys[this.lowerIndex(chunk.keys, key)];
    return found !== undefined && this.compare(found, key) === 0;
  }

  set(key: K, value: V, edit: Edit): PSortedMap<K, V> {
    const m = this.editable(edit);
    if (m.chunks.length === 0) {
      m.chunks.push({ owner: edit, keys: [key], values: [value] });
      m.count = 1;
      return m;
    }
    const ci = m.chunkFor(key);
    const chunk = m.editableChunk(ci, edit);
    const i = m.lowerIndex(chunk.keys, key);
    const found = chunk.keys[i];
    if (found !== undefined && m.compare(found, key) === 0) {
      chunk.values[i] = value;
      return m;
    }
    chunk.keys.splice(i, 0, key);
    chunk.values.splice(i, 0, value);
    m.count += 1;
    if (chunk.keys.length > MAX_CHUNK) {
      const half = chunk.keys.length >>> 1;
      m.chunks.splice(ci + 1, 0, { owner: edit, keys: chunk.keys.splice(half), values: chunk.values.splice(half) });
    }
    return m;
  }

  delete(key: K, edit: Edit): PSortedMap<K, V> {
    const ci = this.chunkFor(key);
    const found = this.chunks[ci];
    if (found === undefined) return this;
    const i = this.lowerIndex(found.keys, key);
    const k = found.keys[i];
    if (k === undefined || this.compare(k, key) !== 0) return this;
    const m = this.editable(edit);
    const chunk = m.editableChunk(ci, edit);
    chunk.keys.splice(i, 1);
    chunk.values.splice(i, 1);
    m.count -= 1;
    if (chunk.keys.length === 0) m.chunks.splice(ci, 1);
    else if (chunk.keys.length < MIN_CHUNK && m.chunks.length > 1) m.rebalance(ci, edit);
    return m;
  }

  /** Visits entries in key order; `visit` returns false to stop. */
  forEach(visit: (key: K, value: V) => boolean | void): void {
    this.walk(0, 0, visit);
  }

  /**
   * Visits entries in key order from the first key for which `reached` holds; `reached` must be
   * monotone (false on a prefix of the keys, then true), like "key >= x".
   */
  forEachFrom(reached: (key: K) => boolean, visit: (key: K, value: V) => boolean | void): void {
    let lo = 0;
    let hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const keys = this.chunks[mid]?.keys;
      const last = keys === undefined ? undefined : keys[keys.length - 1];
      if (last !== undefined && reached(last)) hi = mid;
      else lo = mid + 1;
    }
    const keys = this.chunks[lo]?.keys;
    if (keys === undefined) return;
    let i = 0;
    let j = keys.length;
    while (i < j) {
      const mid = (i + j) >>> 1;
      const k = keys[mid];
      if (k !== undefined && reached(k)) j = mid;
      else i = mid + 1;
    }
    this.walk(lo, i, visit);
  }

  private walk(fromChunk: number, fromIndex: number, visit: (key: K, value: V) => boolean | void): void {
    let start = fromIndex;
    for (let c = fromChunk; c < this.chunks.length; c += 1) {
      const chunk = this.chunks[c];
      if (chunk === undefined) return;
      const { keys, values } = chunk;
      for (let i = start; i < keys.length; i += 1) {
        const k = keys[i];
        const v = values[i];
        // Keys and values are parallel arrays and values are never undefined: this only narrows.
        if (k === undefined || v === undefined) continue;
        if (visit(k, v) === false) return;
      }
      start = 0;
    }
  }

  /** The last chunk whose first key is <= key (0 when key precedes every key); -1 when empty. */
  private chunkFor(key: K): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      const first = this.chunks[mid]?.keys[0];
      if (first !== undefined && this.compare(first, key) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return hi < 0 ? -1 : lo;
  }

  private lowerIndex(keys: ReadonlyArray<K>, key: K): number {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const k = keys[mid];
      if (k !== undefined && this.compare(k, key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Merges a small chunk with a neighbour (splitting evenly again if that overflows), so walks stay short. */
  private rebalance(ci: number, edit: Edit): void {
    const left = ci + 1 < this.chunks.length ? ci : ci - 1;
    const a = this.chunks[left];
    const b = this.chunks[left + 1];
    if (a === undefined || b === undefined) return;
    const keys = [...a.keys, ...b.keys];
    const values = [...a.values, ...b.values];
    if (keys.length <= MAX_CHUNK) {
      this.chunks.splice(left, 2, { owner: edit, keys, values });
      return;
    }
    const half = keys.length >>> 1;
    this.chunks.splice(
      left,
      2,
      { owner: edit, keys: keys.slice(0, half), values: values.slice(0, half) },
      { owner: edit, keys: keys.slice(half), values: values.slice(half) },
    );
  }

  private editable(edit: Edit): PSortedMap<K, V> {
    assertOpen(edit);
    return this.owner === edit ? this : new PSortedMap(this.compare, edit, this.chunks.slice(), this.count);
  }

  private editableChunk(index: number, edit: Edit): MapChunk<K, V> {
    const chunk = this.chunks[index];
    if (chunk === undefined) throw new RangeError(`PSortedMap: no chunk ${index}`);
    if (chunk.owner === edit) return chunk;
    const copy = { owner: edit, keys: chunk.keys.slice(), values: chunk.values.slice() };
    this.chunks[index] = copy;
    return copy;
  }
}

// ------------------------------------------------------------------------------------------------ hash map

export const compareNumbers: Compare<number> = (a, b) => a - b;

/**
 * FNV-1a: cheap, and spreads ids that share long prefixes ("mc-conversation-b1-client-…"). Signed, so
 * every hash is a small integer V8 stores inline rather than a boxed number.
 */
export const hashString = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i += 1) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
};

/**
 * The keys that share a hash: one object an entry, linked (issue 14: a bucket was an array of [key, value]
 * arrays, ~120 bytes of array headers per entry, the largest part of a read model's memory).
 */
interface Bucket<V> {
  readonly key: string;
  readonly value: V;
  readonly next: Bucket<V> | null;
}

/** The bucket without `key`: the entries before it copied, the rest shared. A loop, not recursion: ids are
 * the caller's, and a chain of keys sharing a hash can be made as long as one likes. */
const without = <V>(bucket: Bucket<V> | null, key: string): Bucket<V> | null => {
  const before: Array<Bucket<V>> = [];
  let at = bucket;
  while (at !== null && at.key !== key) {
    before.push(at);
    at = at.next;
  }
  let rest = at === null ? null : at.next;
  for (let i = before.length - 1; i >= 0; i -= 1) {
    const b = before[i];
    if (b !== undefined) rest = { key: b.key, value: b.value, next: rest };
  }
  return at === null ? bucket : rest;
};

/**
 * A map from strings, for lookups by id where order does not matter: a {@link PSortedMap} keyed by the
 * string's hash (number comparisons instead of comparing long ids), each hash holding the few keys that
 * share it.
 */
export class PHashMap<V extends {} | null> {
  static empty<V extends {} | null>(): PHashMap<V> {
    return new PHashMap<V>(PSortedMap.empty<number, Bucket<V>>(compareNumbers), 0);
  }

  private constructor(
    private readonly tree: PSortedMap<number, Bucket<V>>,
    readonly size: number,
  ) {}

  get(key: string): V | undefined {
    for (let b = this.tree.get(hashString(key)) ?? null; b !== null; b = b.next) if (b.key === key) return b.value;
    return undefined;
  }

  set(key: string, value: V, edit: Edit): PHashMap<V> {
    const h = hashString(key);
    const bucket = this.tree.get(h) ?? null;
    let found = false;
    for (let b = bucket; b !== null; b = b.next) if (b.key === key) found = true;
    // The entry goes first; an older one of the same key is left out of the rest.
    const next: Bucket<V> = { key, value, next: found ? without(bucket, key) : bucket };
    return new PHashMap(this.tree.set(h, next, edit), found ? this.size : this.size + 1);
  }

  delete(key: string, edit: Edit): PHashMap<V> {
    const h = hashString(key);
    const bucket = this.tree.get(h) ?? null;
    let found = false;
    for (let b = bucket; b !== null; b = b.next) if (b.key === key) found = true;
    if (!found) return this;
    const next = without(bucket, key);
    return new PHashMap(next === null ? this.tree.delete(h, edit) : this.tree.set(h, next, edit), this.size - 1);
  }

  /** Visits every entry, in no particular order. */
  forEach(visit: (key: string, value: V) => void): void {
    this.tree.forEach((_, bucket) => {
      for (let b: Bucket<V> | null = bucket; b !== null; b = b.next) visit(b.key, b.value);
    });
  }
}
