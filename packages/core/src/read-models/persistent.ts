/**
 * Persistent (immutable) collections for read models that hold 100k conversations per business.
 *
 * An update copies a few small nodes instead of the whole collection, so every state a fold has returned
 * stays intact (folds are pure) while a live event still folds in microseconds. Immer would copy a whole
 * `Map` of 100k conversations on each batch; these copy a few small nodes (the sorted map, a B+tree, is in
 * `sorted-map.ts`).
 *
 * Batches: a fold of thousands of events would copy the same node again and again, so an {@link Edit}
 * (`domain/collections/edit.ts`) lets one batch update in place the nodes it created itself.
 */

import { assertOpen, Edit, withEdit } from '../domain/collections/edit.js';
import { PSortedMap, compareStrings, type Compare } from './sorted-map.js';

export { Edit, withEdit, PSortedMap, compareStrings, type Compare };

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
