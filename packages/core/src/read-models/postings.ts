/**
 * Posting lists: the entries (by their ordinal in the business) that have a word, phone digits, a
 * client type, a flag… Two shapes, chosen by size: a sorted `Int32Array` (4 bytes an entry) while the set
 * is small, a bitset (1 bit per entry of the business) once it covers more than 1/32 of the business. A
 * common word ("appointment") then costs 12.5 kB for 100k conversations instead of 400 kB, and copying it
 * when a batch adds to it stays cheap. A posting is created whole and never written afterwards, so states
 * share them freely.
 */
export interface Bitset {
  readonly words: Uint32Array;
  readonly count: number;
}

export type Postings = Int32Array | Bitset;

export const NO_POSTINGS: Postings = new Int32Array(0);

const bit = (words: Uint32Array, x: number): boolean => ((words[x >>> 5] ?? 0) & (1 << (x & 31))) !== 0;

/** Sets as big as this (relative to the business) are kept as bitsets. */
const prefersBits = (count: number, universe: number): boolean => count * 32 >= universe && universe >= 256;

export const sizeOf = (p: Postings): number => (p instanceof Int32Array ? p.length : p.count);

export const has = (p: Postings, x: number): boolean => {
  if (!(p instanceof Int32Array)) return bit(p.words, x);
  let lo = 0;
  let hi = p.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = p[mid] ?? 0;
    if (v < x) lo = mid + 1;
    else if (v > x) hi = mid;
    else return true;
  }
  return false;
};

/** Visits the ordinals in ascending order. */
export const forEachOrdinal = (p: Postings, visit: (x: number) => void): void => {
  if (p instanceof Int32Array) {
    for (let i = 0; i < p.length; i += 1) visit(p[i] ?? 0);
    return;
  }
  const { words } = p;
  for (let w = 0; w < words.length; w += 1) {
    let v = words[w] ?? 0;
    while (v !== 0) {
      const low = v & -v;
      visit(w * 32 + (31 - Math.clz32(low)));
      v ^= low;
    }
  }
};

/** Visits the ordinals in descending order (newest entries first). */
export const forEachOrdinalDescending = (p: Postings, visit: (x: number) => void): void => {
  if (p instanceof Int32Array) {
    for (let i = p.length - 1; i >= 0; i -= 1) visit(p[i] ?? 0);
    return;
  }
  const { words } = p;
  for (let w = words.length - 1; w >= 0; w -= 1) {
    let v = words[w] ?? 0;
    while (v !== 0) {
      const high = 31 - Math.clz32(v);
      visit(w * 32 + high);
      v ^= 1 << high;
    }
  }
};

export const toSortedArray = (p: Postings): Int32Array => {
  if (p instanceof Int32Array) return p;
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

const listToBits = (list: Int32Array, universe: number): Bitset => {
  const words = new Uint32Array((universe + 31) >>> 5);
  setBits(words, list);
  return { words, count: list.length };
};

/** A sorted list (small) or a bitset (large) for a set built from scratch. */
export const postingsOf = (xs: ReadonlyArray<number>, universe: number): Postings => {
  const list = sortedUnique(xs);
  return prefersBits(list.length, universe) ? listToBits(list, universe) : list;
};

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

/**
 * (old ∪ add) ∖ remove, as a new posting (the old one is left as it was). `universe` is the number of
 * entries of the business, which bounds every ordinal.
 */
export const applyChanges = (
  old: Postings | undefined,
  add: ReadonlyArray<number>,
  remove: ReadonlyArray<number>,
  universe: number,
): Postings => {
  const base = old ?? NO_POSTINGS;
  // Most batches add conversations a common word already lists: keep the posting instead of copying it.
  if (old !== undefined && add.every((x) => has(base, x)) && !remove.some((x) => has(base, x))) return base;
  if (base instanceof Int32Array) {
    const merged = mergeLists(base, sortedUnique(add), sortedUnique(remove));
    return prefersBits(merged.length, universe) ? listToBits(merged, universe) : merged;
  }
  const words = new Uint32Array(Math.max(base.words.length, (universe + 31) >>> 5));
  words.set(base.words);
  let count = base.count;
  for (const x of add)
    if (!bit(words, x)) {
      words[x >>> 5] = (words[x >>> 5] ?? 0) | (1 << (x & 31));
      count += 1;
    }
  for (const x of remove)
    if (bit(words, x)) {
      words[x >>> 5] = (words[x >>> 5] ?? 0) & ~(1 << (x & 31));
      count -= 1;
    }
  const bits = { words, count };
  // Back to a list only well below the threshold, so a set near it does not flip at every batch.
  return count * 64 < universe ? toSortedArray(bits) : bits;
};

/** ⋂ lists (null for no lists: no restriction). The smallest list drives, the others are probed. */
export const intersectAll = (lists: ReadonlyArray<Postings>, universe: number): Postings | null => {
  if (lists.length === 0) return null;
  if (lists.length === 1) return lists[0] ?? NO_POSTINGS;
  const sorted = [...lists].sort((x, y) => sizeOf(x) - sizeOf(y));
  const first = sorted[0] ?? NO_POSTINGS;
  const rest = sorted.slice(1);
  if (first instanceof Int32Array) return first.filter((x) => rest.every((p) => has(p, x)));
  // Only bitsets: a word-wise AND.
  const words = new Uint32Array((universe + 31) >>> 5);
  let count = 0;
  for (let w = 0; w < words.length; w += 1) {
    let v = first.words[w] ?? 0;
    for (const p of rest) v &= p instanceof Int32Array ? 0 : (p.words[w] ?? 0);
    words[w] = v;
    if (v !== 0) count += popcount(v);
  }
  return count * 64 < universe ? toSortedArray({ words, count }) : { words, count };
};

// Indexed loops over typed arrays: a `for…of` there may allocate an iterator result per element when
// V8 does not optimise it away, which made a one-letter search allocate 50 kB.
const setBits = (words: Uint32Array, list: Int32Array): void => {
  for (let i = 0; i < list.length; i += 1) {
    const x = list[i] ?? 0;
    words[x >>> 5] = (words[x >>> 5] ?? 0) | (1 << (x & 31));
  }
};

const countBits = (words: Uint32Array): number => {
  let count = 0;
  for (let w = 0; w < words.length; w += 1) {
    const v = words[w] ?? 0;
    if (v !== 0) count += popcount(v);
  }
  return count;
};

const popcount = (v: number): number => {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
};

/** ⋃ lists: a merge while the result is small, a bitset OR otherwise (a short prefix matches many words). */
export const unionAll = (lists: ReadonlyArray<Postings>, universe: number): Postings => {
  if (lists.length === 0) return NO_POSTINGS;
  if (lists.length === 1) return lists[0] ?? NO_POSTINGS;
  let total = 0;
  let allLists = true;
  for (const l of lists) {
    total += sizeOf(l);
    if (!(l instanceof Int32Array)) allLists = false;
  }
  if (allLists && !prefersBits(total, universe)) {
    const all = new Int32Array(total);
    let o = 0;
    for (const l of lists)
      if (l instanceof Int32Array) {
        all.set(l, o);
        o += l.length;
      }
    all.sort();
    let n = 0;
    for (let i = 0; i < all.length; i += 1) {
      const x = all[i] ?? 0;
      if (n === 0 || x !== all[n - 1]) all[n++] = x;
    }
    return all.slice(0, n);
  }
  const words = new Uint32Array((universe + 31) >>> 5);
  for (const l of lists) {
    if (l instanceof Int32Array) setBits(words, l);
    else for (let w = 0; w < l.words.length && w < words.length; w += 1) words[w] = (words[w] ?? 0) | (l.words[w] ?? 0);
  }
  let count = 0;
  return { words, count: countBits(words) };
};

/** a ∖ b. */
export const differenceOf = (a: Postings, b: Postings, universe: number): Postings => {
  if (sizeOf(a) === 0 || sizeOf(b) === 0) return a;
  if (a instanceof Int32Array) return a.filter((x) => !has(b, x));
  const words = new Uint32Array(a.words);
  if (b instanceof Int32Array)
    for (let i = 0; i < b.length; i += 1) {
      const x = b[i] ?? 0;
      words[x >>> 5] = (words[x >>> 5] ?? 0) & ~(1 << (x & 31));
    }
  else for (let w = 0; w < words.length; w += 1) words[w] = (words[w] ?? 0) & ~(b.words[w] ?? 0);
  const count = countBits(words);
  return count * 64 < universe ? toSortedArray({ words, count }) : { words, count };
};

/** Membership test for a walk over the inbox order. */
export const membership = (p: Postings, universe: number): ((x: number) => boolean) => {
  const { words } = p instanceof Int32Array ? listToBits(p, universe) : p;
  return (x) => bit(words, x);
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
