/**
 * The persistent sorted map under the read models' ordered indexes and hash maps: a B+tree of small nodes.
 *
 * Why a tree of small nodes (issue 14, goal 6): the previous map was a list of 256-entry chunks, and an
 * update copied the whole chunk list (N/256 slots) and a chunk, so a batch touching hundreds of keys at
 * 100k–300k conversations copied megabytes and collection took ~40 % of a live fold. Here an update copies
 * one node per level (at most {@link DEFAULT_FANOUT} slots each, ~5 levels at 300k), whatever the size.
 *
 * Ownership (`domain/collections/edit.ts`): a node created under an open edit is updated in place by later
 * operations under that edit; any other node is copied first (path copying), so every map returned before
 * stays as it was.
 */

import { assertOpen, type Edit } from '../domain/collections/edit.js';

export type Compare<K> = (a: K, b: K) => number;

export const compareStrings: Compare<string> = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Slots per node, by measurement: 300,000 random keys, then batches of 300 sets (one edit each). 16 and 32
 * folded the batches at the same speed, 64 at half of it; bytes per entry 33 / 24 / 20 (the chunk list: 27).
 */
const DEFAULT_FANOUT = 32;

// Node arrays are replaced, not grown, when an entry is added: `splice` and `push` grow a small array's
// backing store by half plus 16 slots, which doubled the memory of 32-slot nodes (the read models' memory
// per conversation is a goal too). Owned nodes still take value updates and removals in place.
interface Leaf<K, V> {
  readonly leaf: true;
  readonly owner: Edit | null;
  keys: K[];
  values: V[];
}

/** `keys[i]` is exactly the smallest key under `children[i]`, so routing and ordered walks need no other bound. */
interface Branch<K, V> {
  readonly leaf: false;
  readonly owner: Edit | null;
  keys: K[];
  children: Array<Node<K, V>>;
}

type Node<K, V> = Leaf<K, V> | Branch<K, V>;

/** An insertion's result: the node to put in the old one's place, or two when it overflowed and split. */
type Placed<K, V> = Node<K, V> | readonly [Node<K, V>, Node<K, V>];

const ownedLeaf = <K, V>(leaf: Leaf<K, V>, edit: Edit): Leaf<K, V> =>
  leaf.owner === edit ? leaf : { leaf: true, owner: edit, keys: leaf.keys.slice(), values: leaf.values.slice() };

const ownedBranch = <K, V>(branch: Branch<K, V>, edit: Edit): Branch<K, V> =>
  branch.owner === edit ? branch : { leaf: false, owner: edit, keys: branch.keys.slice(), children: branch.children.slice() };

const owned = <K, V>(node: Node<K, V>, edit: Edit): Node<K, V> => (node.leaf ? ownedLeaf(node, edit) : ownedBranch(node, edit));

/** A copy of `items` with `item` at `i`, allocated at its exact length (see above) and filled by a loop,
 * which measured faster than `concat` or `slice` + `splice` for nodes this small. */
const insertAt = <T>(items: ReadonlyArray<T>, i: number, item: T): T[] => {
  const n = items.length;
  const out = new Array<T>(n + 1);
  for (let j = 0; j < n; j += 1) {
    const x = items[j];
    if (x !== undefined) out[j < i ? j : j + 1] = x;
  }
  out[i] = item;
  return out;
};

/** A leaf holding `keys` and `values`: one, or two halves past the fan-out. */
const leaves = <K, V>(keys: K[], values: V[], fanout: number, edit: Edit): Placed<K, V> => {
  if (keys.length <= fanout) return { leaf: true, owner: edit, keys, values };
  const half = keys.length >>> 1;
  return [
    { leaf: true, owner: edit, keys: keys.slice(0, half), values: values.slice(0, half) },
    { leaf: true, owner: edit, keys: keys.slice(half), values: values.slice(half) },
  ];
};

const branches = <K, V>(keys: K[], children: Array<Node<K, V>>, fanout: number, edit: Edit): Placed<K, V> => {
  if (keys.length <= fanout) return { leaf: false, owner: edit, keys, children };
  const half = keys.length >>> 1;
  return [
    { leaf: false, owner: edit, keys: keys.slice(0, half), children: children.slice(0, half) },
    { leaf: false, owner: edit, keys: keys.slice(half), children: children.slice(half) },
  ];
};

/** `a` and `b` (neighbours of one kind) as one node, or as two even halves when they do not fit one. */
const joined = <K, V>(a: Node<K, V>, b: Node<K, V>, fanout: number, edit: Edit): Placed<K, V> => {
  if (a.leaf && b.leaf) return leaves(a.keys.concat(b.keys), a.values.concat(b.values), fanout, edit);
  if (!a.leaf && !b.leaf) return branches(a.keys.concat(b.keys), a.children.concat(b.children), fanout, edit);
  throw new RangeError('PSortedMap: neighbours at different depths');
};

/**
 * A map kept in key order. Lookups descend log_32(n) small binary searches; an update copies one node per
 * level (none under the edit that created them). Ordered walks from any key serve the inbox order and
 * prefix searches over words.
 */
export class PSortedMap<K extends {}, V extends {} | null> {
  static empty<K extends {}, V extends {} | null>(compare: Compare<K>): PSortedMap<K, V> {
    return PSortedMap.withFanout<K, V>(compare, DEFAULT_FANOUT);
  }

  /** An empty map with `fanout` slots per node: tests use a small one to reach deep trees with few keys. */
  static withFanout<K extends {}, V extends {} | null>(compare: Compare<K>, fanout: number): PSortedMap<K, V> {
    if (!Number.isInteger(fanout) || fanout < 4) throw new RangeError(`PSortedMap: fan-out ${fanout} below 4`);
    return new PSortedMap<K, V>(compare, fanout, null, { leaf: true, owner: null, keys: [], values: [] }, 0);
  }

  private constructor(
    readonly compare: Compare<K>,
    private readonly fanout: number,
    private readonly owner: Edit | null,
    private root: Node<K, V>,
    private count: number,
  ) {}

  get size(): number {
    return this.count;
  }

  get(key: K): V | undefined {
    const leaf = this.leafFor(key);
    const i = this.lowerIndex(leaf.keys, key);
    const found = leaf.keys[i];
    return found !== undefined && this.compare(found, key) === 0 ? leaf.values[i] : undefined;
  }

  has(key: K): boolean {
    const leaf = this.leafFor(key);
    const found = leaf.keys[this.lowerIndex(leaf.keys, key)];
    return found !== undefined && this.compare(found, key) === 0;
  }

  set(key: K, value: V, edit: Edit): PSortedMap<K, V> {
    const m = this.editable(edit);
    const placed = m.insert(m.root, key, value, edit);
    if (!isPair(placed)) m.root = placed;
    else {
      // A root that split gets a parent: the tree grows at the top, so every leaf stays at one depth.
      const [left, right] = placed;
      const leftFirst = left.keys[0];
      const rightFirst = right.keys[0];
      if (leftFirst === undefined || rightFirst === undefined) throw new RangeError('PSortedMap: an empty half');
      m.root = { leaf: false, owner: edit, keys: [leftFirst, rightFirst], children: [left, right] };
    }
    return m;
  }

  delete(key: K, edit: Edit): PSortedMap<K, V> {
    // An absent key changes nothing and needs no edit, as callers delete speculatively.
    if (!this.has(key)) return this;
    const m = this.editable(edit);
    let root = owned(m.root, edit);
    m.remove(root, key, edit);
    // A root branch left with one child hands the root down, so the depth shrinks as the map does.
    while (!root.leaf && root.children.length === 1) {
      const only = root.children[0];
      if (only === undefined) break;
      root = only;
    }
    m.root = root;
    return m;
  }

  /** Visits entries in key order; `visit` returns false to stop. */
  forEach(visit: (key: K, value: V) => boolean | void): void {
    walk(this.root, visit);
  }

  /**
   * Visits entries in key order from the first key for which `reached` holds; `reached` must be
   * monotone (false on a prefix of the keys, then true), like "key >= x".
   */
  forEachFrom(reached: (key: K) => boolean, visit: (key: K, value: V) => boolean | void): void {
    walkFrom(this.root, reached, visit);
  }

  /** Sets `key` under `node` (of any owner); returns what replaces `node` in its parent. */
  private insert(node: Node<K, V>, key: K, value: V, edit: Edit): Placed<K, V> {
    if (node.leaf) {
      const i = this.lowerIndex(node.keys, key);
      const found = node.keys[i];
      if (found !== undefined && this.compare(found, key) === 0) {
        const mine = ownedLeaf(node, edit);
        mine.values[i] = value;
        return mine;
      }
      this.count += 1;
      const keys = insertAt(node.keys, i, key);
      const values = insertAt(node.values, i, value);
      if (node.owner !== edit || keys.length > this.fanout) return leaves(keys, values, this.fanout, edit);
      node.keys = keys;
      node.values = values;
      return node;
    }
    const i = this.childIndex(node.keys, key);
    const child = node.children[i];
    if (child === undefined) throw new RangeError('PSortedMap: a branch without children');
    const placed = this.insert(child, key, value, edit);
    if (!isPair(placed)) {
      // Most inserts of a batch land in nodes it owns already: no stores (each a write barrier) then.
      if (placed === child && node.owner === edit) {
        const first = placed.keys[0];
        if (i === 0 && first !== undefined && first !== node.keys[0]) node.keys[0] = first;
        return node;
      }
      const mine = ownedBranch(node, edit);
      mine.children[i] = placed;
      // Child i's smallest key changes only when a key below every key routed to child 0.
      mine.keys[i] = placed.keys[0] ?? key;
      return mine;
    }
    const [left, right] = placed;
    const rightFirst = right.keys[0];
    if (rightFirst === undefined) throw new RangeError('PSortedMap: an empty half');
    const keys = insertAt(node.keys, i + 1, rightFirst);
    const children = insertAt(node.children, i + 1, right);
    keys[i] = left.keys[0] ?? key;
    children[i] = left;
    if (node.owner !== edit || keys.length > this.fanout) return branches(keys, children, this.fanout, edit);
    node.keys = keys;
    node.children = children;
    return node;
  }

  /** Removes `key`, known present, from `node` (owned by `edit`); children left underfull are rebalanced. */
  private remove(node: Node<K, V>, key: K, edit: Edit): void {
    if (node.leaf) {
      const i = this.lowerIndex(node.keys, key);
      node.keys.splice(i, 1);
      node.values.splice(i, 1);
      this.count -= 1;
      return;
    }
    const i = this.childIndex(node.keys, key);
    const child = node.children[i];
    if (child === undefined) throw new RangeError('PSortedMap: a branch without children');
    const mine = owned(child, edit);
    node.children[i] = mine;
    this.remove(mine, key, edit);
    const first = mine.keys[0];
    if (first !== undefined) node.keys[i] = first;
    // A quarter full (not half) before merging, so deletes and inserts at one boundary do not alternate
    // merges and splits.
    if (mine.keys.length < Math.max(2, this.fanout >>> 2) && node.children.length > 1) this.rebalance(node, i, edit);
  }

  /** Joins child `i` of `node` (owned by `edit`) with a neighbour: one node, or two even halves. */
  private rebalance(node: Branch<K, V>, i: number, edit: Edit): void {
    const left = i + 1 < node.children.length ? i : i - 1;
    const a = node.children[left];
    const b = node.children[left + 1];
    if (a === undefined || b === undefined) return;
    const placed = joined(a, b, this.fanout, edit);
    if (isPair(placed)) {
      const [l, r] = placed;
      node.children[left] = l;
      node.children[left + 1] = r;
      const rightFirst = r.keys[0];
      if (rightFirst !== undefined) node.keys[left + 1] = rightFirst;
    } else {
      node.children.splice(left, 2, placed);
      node.keys.splice(left + 1, 1);
    }
    const first = node.children[left]?.keys[0];
    if (first !== undefined) node.keys[left] = first;
  }

  private leafFor(key: K): Leaf<K, V> {
    let node = this.root;
    while (!node.leaf) {
      const child = node.children[this.childIndex(node.keys, key)];
      if (child === undefined) throw new RangeError('PSortedMap: a branch without children');
      node = child;
    }
    return node;
  }

  /** The last child whose smallest key is <= key; 0 when key precedes them all. */
  private childIndex(keys: ReadonlyArray<K>, key: K): number {
    let lo = 0;
    let hi = keys.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      const k = keys[mid];
      if (k !== undefined && this.compare(k, key) <= 0) lo = mid;
      else hi = mid - 1;
    }
    return lo;
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

  private editable(edit: Edit): PSortedMap<K, V> {
    assertOpen(edit);
    return this.owner === edit ? this : new PSortedMap(this.compare, this.fanout, edit, this.root, this.count);
  }
}

const isPair = <K, V>(placed: Placed<K, V>): placed is readonly [Node<K, V>, Node<K, V>] => Array.isArray(placed);

/** The first index whose key `reached` accepts (keys.length when none does). */
const firstReached = <K>(keys: ReadonlyArray<K>, reached: (key: K) => boolean): number => {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = keys[mid];
    if (k !== undefined && reached(k)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
};

/** Visits a leaf's entries from `from`; false when `visit` stopped the walk. */
const walkLeaf = <K, V>(leaf: Leaf<K, V>, from: number, visit: (key: K, value: V) => boolean | void): boolean => {
  const { keys, values } = leaf;
  for (let i = from; i < keys.length; i += 1) {
    const k = keys[i];
    const v = values[i];
    // Keys and values are parallel arrays and values are never undefined: this only narrows.
    if (k === undefined || v === undefined) continue;
    if (visit(k, v) === false) return false;
  }
  return true;
};

// Walks recurse once per level only (every leaf is at one depth, ~4 at 300k keys), never per entry.
const walk = <K, V>(node: Node<K, V>, visit: (key: K, value: V) => boolean | void): boolean => {
  if (node.leaf) return walkLeaf(node, 0, visit);
  for (const child of node.children) if (!walk(child, visit)) return false;
  return true;
};

const walkFrom = <K, V>(node: Node<K, V>, reached: (key: K) => boolean, visit: (key: K, value: V) => boolean | void): boolean => {
  if (node.leaf) return walkLeaf(node, firstReached(node.keys, reached), visit);
  // keys[i] is child i's smallest key: the first reached key lies in the child before the first reached
  // keys[i] (or in child 0), and every later child is reached throughout.
  const start = Math.max(0, firstReached(node.keys, reached) - 1);
  const first = node.children[start];
  if (first === undefined || !walkFrom(first, reached, visit)) return false;
  for (let c = start + 1; c < node.children.length; c += 1) {
    const child = node.children[c];
    if (child !== undefined && !walk(child, visit)) return false;
  }
  return true;
};
