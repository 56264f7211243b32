/**
 * Posting lists: the entries (by their ordinal in the business) that have a word, phone digits, a
 * client type, a flag… A small set is a sorted `Int32Array` (4 bytes an entry). A large one is cut into
 * chunks of 4,096 ordinals (a "roaring" bitmap): each chunk a sorted list while it holds few entries, a
 * 512-byte bitmap once it holds many. Issue 14: a fold that adds one conversation to "appointment" copies
 * one chunk and the chunk table, no longer the whole 12.5 kB (100k conversations) or 37.5 kB (300k) set, so
 * a catch-up page costs what it touches and rebuilds stay linear in the log. A posting (and each chunk) is
 * created whole and never written afterwards, so states share them freely.
 */

const CHUNK_BITS = 12;
const CHUNK = 1 << CHUNK_BITS;
const CHUNK_WORDS = CHUNK >>> 5;
/** A chunk with this many entries is a bitmap (its list would take as many bytes); back to a list below half. */
const CHUNK_BITMAP_AT = CHUNK_WORDS;
/** A set with more entries than this is chunked; a chunked one shrinking below half of it is a list again. */
const LIST_MAX = 256;

/** A chunk's entries as bits, bit `x & 4095` for ordinal x. */
interface ChunkBits {
  readonly words: Uint32Array;
  readonly count: number;
}

type Chunk = Int32Array | ChunkBits;

/** A large set: its non-empty chunks in ordinal order (`keys[i]` is chunk `chunks[i]`'s ordinal >>> 12). */
export interface Chunked {
  readonly keys: Int32Array;
  readonly chunks: ReadonlyArray<Chunk>;
  readonly count: number;
}

/**
 * A single entry is the ordinal itself: most keys (an e-mail, a UID, the last digits of a phone, a rare
 * word) list one conversation, and a typed array costs ~200 bytes of headers for its 4 bytes of data.
 */
export type Postings = number | Int32Array | Chunked;

/** The sets operations work on: a single entry as a one-entry list. */
type SetOf = Int32Array | Chunked;

export const NO_POSTINGS: Postings = new Int32Array(0);

const EMPTY_LIST = new Int32Array(0);

const popcount = (v: number): number => {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
};

const isList = (p: SetOf): p is Int32Array => p instanceof Int32Array;

const asSet = (p: Postings): SetOf => (typeof p === 'number' ? Int32Array.of(p) : p);

/** A list of one entry as the entry itself. */
const compact = (list: Int32Array): Postings => (list.length === 1 ? (list[0] ?? 0) : list);
const isListChunk = (c: Chunk): c is Int32Array => c instanceof Int32Array;

/** Where `x` is in the sorted `xs` (a list, or a set's chunk keys), or -1. */
const indexIn = (xs: Int32Array, x: number): number => {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = xs[mid] ?? 0;
    if (v < x) lo = mid + 1;
    else if (v > x) hi = mid;
    else return mid;
  }
  return -1;
};

const listHas = (list: Int32Array, x: number): boolean => indexIn(list, x) >= 0;

const chunkSize = (c: Chunk): number => (isListChunk(c) ? c.length : c.count);

const chunkHas = (c: Chunk, x: number): boolean => (isListChunk(c) ? listHas(c, x) : ((c.words[(x & (CHUNK - 1)) >>> 5] ?? 0) & (1 << (x & 31))) !== 0);

export const sizeOf = (p: Postings): number => (typeof p === 'number' ? 1 : isList(p) ? p.length : p.count);

export const has = (p: Postings, x: number): boolean => {
  if (typeof p === 'number') return p === x;
  if (isList(p)) return listHas(p, x);
  const key = x >>> CHUNK_BITS;
  // A large set usually has every chunk up to its own: then chunk `key` is at index `key`, no search.
  const i = p.keys[key] === key ? key : indexIn(p.keys, key);
  const chunk = i < 0 ? undefined : p.chunks[i];
  return chunk !== undefined && chunkHas(chunk, x);
};

// Indexed loops over typed arrays: a `for…of` there may allocate an iterator result per element when V8
// does not optimise it away, which made a one-letter search allocate 50 kB.
const forEachInChunk = (c: Chunk, base: number, visit: (x: number) => void): void => {
  if (isListChunk(c)) {
    for (let i = 0; i < c.length; i += 1) visit(c[i] ?? 0);
    return;
  }
  const { words } = c;
  for (let w = 0; w < words.length; w += 1) {
    let v = words[w] ?? 0;
    while (v !== 0) {
      const low = v & -v;
      visit(base + w * 32 + (31 - Math.clz32(low)));
      v ^= low;
    }
  }
};

const forEachInChunkDescending = (c: Chunk, base: number, visit: (x: number) => void): void => {
  if (isListChunk(c)) {
    for (let i = c.length - 1; i >= 0; i -= 1) visit(c[i] ?? 0);
    return;
  }
  const { words } = c;
  for (let w = words.length - 1; w >= 0; w -= 1) {
    let v = words[w] ?? 0;
    while (v !== 0) {
      const high = 31 - Math.clz32(v);
      visit(base + w * 32 + high);
      v ^= 1 << high;
    }
  }
};

/** Visits the ordinals in ascending order. */
export const forEachOrdinal = (p: Postings, visit: (x: number) => void): void => {
  if (typeof p === 'number') return visit(p);
  if (isList(p)) {
    for (let i = 0; i < p.length; i += 1) visit(p[i] ?? 0);
    return;
  }
  for (let i = 0; i < p.chunks.length; i += 1) {
    const chunk = p.chunks[i];
    if (chunk !== undefined) forEachInChunk(chunk, (p.keys[i] ?? 0) << CHUNK_BITS, visit);
  }
};

/** Visits the ordinals in descending order (newest entries first). */
export const forEachOrdinalDescending = (p: Postings, visit: (x: number) => void): void => {
  if (typeof p === 'number') return visit(p);
  if (isList(p)) {
    for (let i = p.length - 1; i >= 0; i -= 1) visit(p[i] ?? 0);
    return;
  }
  for (let i = p.chunks.length - 1; i >= 0; i -= 1) {
    const chunk = p.chunks[i];
    if (chunk !== undefined) forEachInChunkDescending(chunk, (p.keys[i] ?? 0) << CHUNK_BITS, visit);
  }
};

export const toSortedArray = (p: Postings): Int32Array => {
  if (typeof p === 'number') return Int32Array.of(p);
  if (isList(p)) return p;
  const out = new Int32Array(p.count);
  let n = 0;
  forEachOrdinal(p, (x) => {
    out[n++] = x;
  });
  return out;
};

const sortedUnique = (xs: ReadonlyArray<number>): Int32Array => {
  const a = Int32Array.from(xs);
  a.sort();
  let n = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] ?? 0;
    if (n === 0 || x !== a[n - 1]) {
      a[n] = x;
      n += 1;
    }
  }
  return n === a.length ? a : a.slice(0, n);
};

/** One chunk from its sorted entries (all in the same chunk): a list while few, else a bitmap. */
const chunkOfList = (list: Int32Array): Chunk => {
  if (list.length < CHUNK_BITMAP_AT) return list;
  const words = new Uint32Array(CHUNK_WORDS);
  for (let i = 0; i < list.length; i += 1) {
    const local = (list[i] ?? 0) & (CHUNK - 1);
    words[local >>> 5] = (words[local >>> 5] ?? 0) | (1 << (local & 31));
  }
  return { words, count: list.length };
};

/** The entries of a bitmap chunk (chunk `key`) as a sorted list of ordinals. */
const chunkToListAt = (bits: ChunkBits, key: number, count: number): Int32Array => {
  const out = new Int32Array(count);
  let n = 0;
  forEachInChunk(bits, key << CHUNK_BITS, (x) => {
    out[n++] = x;
  });
  return out;
};

/** A set from its sorted, distinct entries: a list while small, else its chunks. */
const fromSortedList = (list: Int32Array): Postings => {
  if (list.length <= LIST_MAX) return compact(list);
  const keys: number[] = [];
  const chunks: Chunk[] = [];
  let start = 0;
  while (start < list.length) {
    const key = (list[start] ?? 0) >>> CHUNK_BITS;
    let end = start + 1;
    while (end < list.length && (list[end] ?? 0) >>> CHUNK_BITS === key) end += 1;
    keys.push(key);
    chunks.push(chunkOfList(list.subarray(start, end).slice()));
    start = end;
  }
  return { keys: Int32Array.from(keys), chunks, count: list.length };
};

/** A set from chunks built by an operation, in key order: as a list again once small. */
const fromChunks = (keys: number[], chunks: Chunk[], count: number): Postings => {
  if (count === 0) return NO_POSTINGS;
  const chunked: Chunked = { keys: Int32Array.from(keys), chunks, count };
  return count <= LIST_MAX / 2 ? compact(toSortedArray(chunked)) : chunked;
};

/** The chunks an operation builds in key order (an emptied one left out), then the set they make. */
const chunkCollector = (): { readonly add: (key: number, chunk: Chunk | undefined) => void; readonly done: () => Postings } => {
  const keys: number[] = [];
  const chunks: Chunk[] = [];
  let count = 0;
  return {
    add: (key, chunk) => {
      if (chunk === undefined) return;
      keys.push(key);
      chunks.push(chunk);
      count += chunkSize(chunk);
    },
    done: () => fromChunks(keys, chunks, count),
  };
};

/** A sorted list (small) or chunks (large) for a set built from scratch. */
export const postingsOf = (xs: ReadonlyArray<number>, _universe: number): Postings => fromSortedList(sortedUnique(xs));

const mergeLists = (base: Int32Array, adds: Int32Array, removes: Int32Array): Int32Array => {
  const out = new Int32Array(base.length + adds.length);
  let i = 0;
  let j = 0;
  let r = 0;
  let n = 0;
  while (i < base.length || j < adds.length) {
    const a = i < base.length ? (base[i] ?? 0) : Infinity;
    const b = j < adds.length ? (adds[j] ?? 0) : Infinity;
    const x = a <= b ? a : b;
    if (a <= b) i += 1;
    if (b <= a) j += 1;
    while (r < removes.length && (removes[r] ?? 0) < x) r += 1;
    if (r < removes.length && removes[r] === x) continue;
    out[n++] = x;
  }
  return n === out.length ? out : out.slice(0, n);
};

/** (chunk ∪ adds) ∖ removes for one chunk (adds and removes sorted, all in this chunk); undefined when empty. */
const changeChunk = (chunk: Chunk | undefined, key: number, adds: Int32Array, removes: Int32Array): Chunk | undefined => {
  if (chunk === undefined || isListChunk(chunk)) {
    const merged = mergeLists(chunk ?? EMPTY_LIST, adds, removes);
    return merged.length === 0 ? undefined : chunkOfList(merged);
  }
  const words = chunk.words.slice();
  let count = chunk.count;
  for (let i = 0; i < adds.length; i += 1) {
    const local = (adds[i] ?? 0) & (CHUNK - 1);
    const w = local >>> 5;
    const b = 1 << (local & 31);
    if (((words[w] ?? 0) & b) === 0) {
      words[w] = (words[w] ?? 0) | b;
      count += 1;
    }
  }
  for (let i = 0; i < removes.length; i += 1) {
    const local = (removes[i] ?? 0) & (CHUNK - 1);
    const w = local >>> 5;
    const b = 1 << (local & 31);
    if (((words[w] ?? 0) & b) !== 0) {
      words[w] = (words[w] ?? 0) & ~b;
      count -= 1;
    }
  }
  if (count === 0) return undefined;
  const bits: ChunkBits = { words, count };
  // Back to a list only well below the threshold, so a chunk near it does not flip at every batch.
  return count * 2 < CHUNK_BITMAP_AT ? chunkToListAt(bits, key, count) : bits;
};

/** The slice of sorted `xs` from index `from` whose entries are in chunk `key`. */
const runOf = (xs: Int32Array, from: number, key: number): Int32Array => {
  let end = from;
  while (end < xs.length && (xs[end] ?? 0) >>> CHUNK_BITS === key) end += 1;
  return xs.subarray(from, end);
};

/**
 * (old ∪ add) ∖ remove, as a new posting (the old one is left as it was). Only the chunks that change are
 * copied; the others are shared with the old posting. `universe` is the number of entries of the business.
 */
export const applyChanges = (
  old: Postings | undefined,
  add: ReadonlyArray<number>,
  remove: ReadonlyArray<number>,
  _universe: number,
): Postings => {
  // Most batches add conversations a common word already lists: keep the posting instead of copying it.
  if (old !== undefined && add.every((x) => has(old, x)) && !remove.some((x) => has(old, x))) return old;
  const one = add.length === 1 && remove.length === 0 ? add[0] : undefined;
  if (one !== undefined && (old === undefined || typeof old === 'number' || isList(old))) return withOne(old, one);
  const base = asSet(old ?? NO_POSTINGS);
  const adds = sortedUnique(add);
  const removes = sortedUnique(remove);
  if (isList(base)) {
    const merged = mergeLists(base, adds, removes);
    return fromSortedList(merged);
  }
  return changeChunksInPlace(base, adds, removes) ?? changeChunks(base, adds, removes);
};

/**
 * A small set with one more entry (not in it yet), without the general merge's sorting and copies: most
 * changes of a rebuild add one conversation to a key naming few.
 */
const withOne = (old: number | Int32Array | undefined, x: number): Postings => {
  if (old === undefined) return x;
  if (typeof old === 'number') return old < x ? Int32Array.of(old, x) : Int32Array.of(x, old);
  let at = 0;
  while (at < old.length && (old[at] ?? 0) < x) at += 1;
  const out = new Int32Array(old.length + 1);
  out.set(old.subarray(0, at), 0);
  out[at] = x;
  out.set(old.subarray(at), at + 1);
  return fromSortedList(out);
};

/**
 * The usual change of a large set: only chunks it already has change, none appears or empties. The chunk
 * table's keys are shared and its chunks copied as one array, instead of walking every chunk (issue 14: that
 * walk was a third of a live fold at 100,000 conversations). Null when the change is not of that kind.
 */
const changeChunksInPlace = (base: Chunked, adds: Int32Array, removes: Int32Array): Chunked | null => {
  const chunks = base.chunks.slice();
  let count = base.count;
  const touch = (key: number, chunkAdds: Int32Array, chunkRemoves: Int32Array): boolean => {
    const i = base.keys[key] === key ? key : indexIn(base.keys, key);
    const current = i < 0 ? undefined : chunks[i];
    if (current === undefined) return false;
    const next = changeChunk(current, key, chunkAdds, chunkRemoves);
    if (next === undefined) return false;
    chunks[i] = next;
    count += chunkSize(next) - chunkSize(current);
    return true;
  };
  let a = 0;
  let r = 0;
  while (a < adds.length || r < removes.length) {
    const nextAdd = a < adds.length ? (adds[a] ?? 0) >>> CHUNK_BITS : Infinity;
    const nextRemove = r < removes.length ? (removes[r] ?? 0) >>> CHUNK_BITS : Infinity;
    const key = Math.min(nextAdd, nextRemove);
    const chunkAdds = nextAdd === key ? runOf(adds, a, key) : EMPTY_LIST;
    const chunkRemoves = nextRemove === key ? runOf(removes, r, key) : EMPTY_LIST;
    a += chunkAdds.length;
    r += chunkRemoves.length;
    if (!touch(key, chunkAdds, chunkRemoves)) return null;
  }
  return count <= LIST_MAX / 2 ? null : { keys: base.keys, chunks, count };
};

/** (base ∪ adds) ∖ removes chunk by chunk, for any change (chunks may appear or empty). */
const changeChunks = (base: Chunked, adds: Int32Array, removes: Int32Array): Postings => {
  const out = chunkCollector();
  let i = 0;
  let a = 0;
  let r = 0;
  while (i < base.keys.length || a < adds.length || r < removes.length) {
    const nextOld = i < base.keys.length ? (base.keys[i] ?? 0) : Infinity;
    const nextAdd = a < adds.length ? (adds[a] ?? 0) >>> CHUNK_BITS : Infinity;
    const nextRemove = r < removes.length ? (removes[r] ?? 0) >>> CHUNK_BITS : Infinity;
    const key = Math.min(nextOld, nextAdd, nextRemove);
    const chunkAdds = nextAdd === key ? runOf(adds, a, key) : EMPTY_LIST;
    const chunkRemoves = nextRemove === key ? runOf(removes, r, key) : EMPTY_LIST;
    a += chunkAdds.length;
    r += chunkRemoves.length;
    const current = nextOld === key ? base.chunks[i] : undefined;
    if (nextOld === key) i += 1;
    const next = chunkAdds.length === 0 && chunkRemoves.length === 0 ? current : changeChunk(current, key, chunkAdds, chunkRemoves);
    out.add(key, next);
  }
  return out.done();
};

/** The entries of sorted `list` in chunk `key`, found by binary search. */
const listRunAt = (list: Int32Array, key: number): Int32Array => {
  const low = key << CHUNK_BITS;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] ?? 0) < low) lo = mid + 1;
    else hi = mid;
  }
  return runOf(list, lo, key);
};

/** Chunk `key` of `p` (a list's run in that chunk is a list chunk), or undefined when `p` has none. */
const chunkAt = (p: SetOf, key: number): Chunk | undefined => {
  if (isList(p)) {
    const run = listRunAt(p, key);
    return run.length === 0 ? undefined : run;
  }
  const i = p.keys[key] === key ? key : indexIn(p.keys, key);
  return i < 0 ? undefined : p.chunks[i];
};

/** A chunk from bits built by an operation: a list chunk when few remain; undefined when none. */
const chunkOfBits = (words: Uint32Array, key: number): Chunk | undefined => {
  let count = 0;
  for (let w = 0; w < words.length; w += 1) {
    const v = words[w] ?? 0;
    if (v !== 0) count += popcount(v);
  }
  if (count === 0) return undefined;
  const bits: ChunkBits = { words, count };
  return count < CHUNK_BITMAP_AT ? chunkToListAt(bits, key, count) : bits;
};

const orChunkInto = (words: Uint32Array, c: Chunk): void => {
  if (isListChunk(c)) {
    for (let i = 0; i < c.length; i += 1) {
      const local = (c[i] ?? 0) & (CHUNK - 1);
      words[local >>> 5] = (words[local >>> 5] ?? 0) | (1 << (local & 31));
    }
    return;
  }
  for (let w = 0; w < CHUNK_WORDS; w += 1) words[w] = (words[w] ?? 0) | (c.words[w] ?? 0);
};

/** ⋂ lists (null for no lists: no restriction). The smallest list drives, the others are probed. */
export const intersectAll = (given: ReadonlyArray<Postings>, universe: number): Postings | null => {
  if (given.length === 0) return null;
  if (given.length === 1) return given[0] ?? NO_POSTINGS;
  const sorted = given.map(asSet).sort((x, y) => sizeOf(x) - sizeOf(y));
  // A list among them (even one larger than a chunked set): it drives, the others are probed where they are.
  const driver = sorted.find(isList);
  if (driver !== undefined) {
    const probes = sorted.filter((p) => p !== driver).map((p) => membership(p, universe, driver.length));
    return compact(driver.filter((x) => probes.every((probe) => probe(x))));
  }
  // Only chunked sets: chunk by chunk, over the chunks every set has, the smallest set driving.
  const [first, ...rest] = sorted.filter((p): p is Chunked => !isList(p));
  if (first === undefined) return NO_POSTINGS;
  const out = chunkCollector();
  for (let i = 0; i < first.keys.length; i += 1) {
    const key = first.keys[i] ?? 0;
    const mine = first.chunks[i];
    if (mine === undefined) continue;
    const others: Chunk[] = [];
    for (const p of rest) {
      const j = indexIn(p.keys, key);
      const c = j < 0 ? undefined : p.chunks[j];
      if (c === undefined) break;
      others.push(c);
    }
    if (others.length < rest.length) continue;
    const next = intersectChunks(mine, others, key);
    out.add(key, next);
  }
  return out.done();
};

const intersectChunks = (first: Chunk, others: ReadonlyArray<Chunk>, key: number): Chunk | undefined => {
  const lists = [first, ...others].filter(isListChunk);
  if (lists.length > 0) {
    const [shortest] = lists.sort((x, y) => x.length - y.length);
    const all = [first, ...others];
    const kept = (shortest ?? EMPTY_LIST).filter((x) => all.every((c) => chunkHas(c, x)));
    return kept.length === 0 ? undefined : kept;
  }
  const words = new Uint32Array(CHUNK_WORDS);
  let count = 0;
  for (let w = 0; w < CHUNK_WORDS; w += 1) {
    let v = isListChunk(first) ? 0 : (first.words[w] ?? 0);
    for (const c of others) v &= isListChunk(c) ? 0 : (c.words[w] ?? 0);
    words[w] = v;
    if (v !== 0) count += popcount(v);
  }
  if (count === 0) return undefined;
  const bits: ChunkBits = { words, count };
  return count < CHUNK_BITMAP_AT ? chunkToListAt(bits, key, count) : bits;
};

/** ⋃ lists: a merge while the result is small, chunk by chunk otherwise (a short prefix matches many words). */
export const unionAll = (given: ReadonlyArray<Postings>, _universe: number): Postings => {
  if (given.length === 0) return NO_POSTINGS;
  if (given.length === 1) return given[0] ?? NO_POSTINGS;
  const lists = given.map(asSet);
  let total = 0;
  let allLists = true;
  for (const l of lists) {
    total += sizeOf(l);
    if (!isList(l)) allLists = false;
  }
  if (allLists && total <= LIST_MAX) {
    const all = new Int32Array(total);
    let o = 0;
    for (const l of lists)
      if (isList(l)) {
        all.set(l, o);
        o += l.length;
      }
    all.sort();
    let n = 0;
    for (let i = 0; i < all.length; i += 1) {
      const x = all[i] ?? 0;
      if (n === 0 || x !== all[n - 1]) all[n++] = x;
    }
    return compact(all.slice(0, n));
  }
  // Chunk by chunk, each set read once: a chunk only one set has is shared, the others are or-ed into a
  // chunk of their own, so a short prefix matching many words costs the chunks it touches, not the business.
  const only: Array<Chunk | undefined> = [];
  const ored: Array<Uint32Array | undefined> = [];
  const into = (key: number, c: Chunk): void => {
    const words = ored[key];
    if (words !== undefined) return orChunkInto(words, c);
    const first = only[key];
    if (first === undefined) {
      only[key] = c;
      return;
    }
    const fresh = new Uint32Array(CHUNK_WORDS);
    orChunkInto(fresh, first);
    orChunkInto(fresh, c);
    ored[key] = fresh;
  };
  for (const l of lists) {
    if (isList(l)) {
      for (let start = 0; start < l.length; ) {
        const run = runOf(l, start, (l[start] ?? 0) >>> CHUNK_BITS);
        into((l[start] ?? 0) >>> CHUNK_BITS, run);
        start += run.length;
      }
    } else for (let i = 0; i < l.keys.length; i += 1) {
      const c = l.chunks[i];
      if (c !== undefined) into(l.keys[i] ?? 0, c);
    }
  }
  const out = chunkCollector();
  for (let key = 0; key < only.length; key += 1) {
    const words = ored[key];
    const single = only[key];
    // A list's run is a view into that list: copied, so the result does not keep the whole list alive.
    const next = words !== undefined ? chunkOfBits(words, key) : single !== undefined && isListChunk(single) ? chunkOfList(single.slice()) : single;
    out.add(key, next);
  }
  return out.done();
};

/** a ∖ b. */
export const differenceOf = (given: Postings, b: Postings, universe: number): Postings => {
  if (sizeOf(given) === 0 || sizeOf(b) === 0) return given;
  const a = asSet(given);
  if (isList(a)) {
    const inB = membership(b, universe, a.length);
    return compact(a.filter((x) => !inB(x)));
  }
  const bSet = asSet(b);
  const out = chunkCollector();
  for (let i = 0; i < a.keys.length; i += 1) {
    const key = a.keys[i] ?? 0;
    const mine = a.chunks[i];
    if (mine === undefined) continue;
    const theirs = chunkAt(bSet, key);
    let next: Chunk | undefined = mine;
    if (theirs !== undefined) {
      if (!isListChunk(mine) && !isListChunk(theirs)) {
        const words = new Uint32Array(CHUNK_WORDS);
        for (let w = 0; w < CHUNK_WORDS; w += 1) words[w] = (mine.words[w] ?? 0) & ~(theirs.words[w] ?? 0);
        next = chunkOfBits(words, key);
      } else {
        // Their entries that are mine, removed from mine (a list chunk of theirs is short: probe each).
        const removes: number[] = [];
        if (isListChunk(theirs)) {
          for (let j = 0; j < theirs.length; j += 1) if (chunkHas(mine, theirs[j] ?? 0)) removes.push(theirs[j] ?? 0);
        } else forEachInChunk(mine, key << CHUNK_BITS, (x) => (chunkHas(theirs, x) ? removes.push(x) : undefined));
        if (removes.length > 0) next = changeChunk(mine, key, EMPTY_LIST, Int32Array.from(removes));
      }
    }
    out.add(key, next);
  }
  return out.done();
};

/**
 * Membership test for a walk over the inbox order (`probes`: about how many tests will follow). A chunked
 * set is probed where it is (two array reads); a long walk over a list gets bits over the business once.
 */
export const membership = (p: Postings, universe: number, probes = Infinity): ((x: number) => boolean) => {
  if (typeof p === 'number' || !isList(p) || probes < 64 || p.length < 16) return (x) => has(p, x);
  let top = universe;
  top = Math.max(top, (p[p.length - 1] ?? -1) + 1);
  const dense = new Uint32Array((top + 31) >>> 5);
  for (let i = 0; i < p.length; i += 1) {
    const x = p[i] ?? 0;
    dense[x >>> 5] = (dense[x >>> 5] ?? 0) | (1 << (x & 31));
  }
  return (x) => ((dense[x >>> 5] ?? 0) & (1 << (x & 31))) !== 0;
};


/** Key → ordinals to add and to remove, gathered over a batch and applied once per key. */
export class PostingChanges {
  readonly byKey = new Map<string, { readonly add: number[]; readonly remove: number[] }>();

  /** Only additions: key → the ordinals to add. */
  static additions(adds: ReadonlyMap<string, number[]>): PostingChanges {
    const changes = new PostingChanges();
    for (const [key, add] of adds) changes.byKey.set(key, { add, remove: [] });
    return changes;
  }

  private of(key: string): { readonly add: number[]; readonly remove: number[] } {
    let c = this.byKey.get(key);
    if (c === undefined) {
      c = { add: [], remove: [] };
      this.byKey.set(key, c);
    }
    return c;
  }

  add(key: string, ordinal: number): void {
    this.of(key).add.push(ordinal);
  }

  remove(key: string, ordinal: number): void {
    this.of(key).remove.push(ordinal);
  }

  /** Records the move of one ordinal from the keys `before` to the keys `after`. */
  diff(ordinal: number, before: ReadonlySet<string>, after: ReadonlySet<string>): void {
    for (const k of before) if (!after.has(k)) this.remove(k, ordinal);
    for (const k of after) if (!before.has(k)) this.add(k, ordinal);
  }
}
