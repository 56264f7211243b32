/**
 * A persistent (immutable) map from strings, for aggregate states that grow with their stream: the
 * provider ids a conversation has seen, its outbound deliveries, a billing period's counted messages.
 *
 * Why not immer's drafted `Map`: finalising a draft copies the whole `Map`, so every command on a
 * conversation with 10,000 messages copied 10,000 entries. This is a hash trie whose leaves are native
 * `Map`s of at most 32 entries: an update copies one leaf and the branches above it (32 slots each), so its
 * cost does not grow with the map. A map that fits one leaf is one native `Map` (no hashing at all), which
 * is most conversations. Within one fold an {@link Edit} lets the batch update in place the nodes it
 * created, so a fold of a long stream builds its map at close to native speed.
 */
import { assertOpen, type Edit } from './edit.js';

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;
const LEAF_MAX = 32;
/** Past 6 levels (30 bits of a 32-bit hash) keys share their whole hash: a leaf then holds them all. */
const MAX_SHIFT = 30;

interface Leaf<K, V> {
  readonly branch: false;
  readonly owner: Edit | null;
  readonly entries: Map<K, V>;
}

interface Branch<K, V> {
  readonly branch: true;
  readonly owner: Edit | null;
  /** Always WIDTH slots; empty ones share {@link EMPTY}. */
  readonly children: Array<Node<K, V>>;
}

type Node<K, V> = Leaf<K, V> | Branch<K, V>;

/** FNV-1a: cheap, and spreads ids that share long prefixes (`SM…`, `mc-conversation-…`). */
const hashOf = (key: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i += 1) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
};

// Owned by no edit, so never written: every write to it copies it first.
const EMPTY: Leaf<never, never> = { branch: false, owner: null, entries: new Map<never, never>() };

const emptyLeaf = <K, V>(): Leaf<K, V> => EMPTY;

const ownedLeaf = <K, V>(leaf: Leaf<K, V>, edit: Edit): Leaf<K, V> =>
  leaf.owner === edit ? leaf : { branch: false, owner: edit, entries: new Map(leaf.entries) };

const ownedBranch = <K, V>(branch: Branch<K, V>, edit: Edit): Branch<K, V> =>
  branch.owner === edit ? branch : { branch: true, owner: edit, children: branch.children.slice() };

/** A leaf grown past LEAF_MAX becomes a branch of leaves chosen by the next bits of each key's hash. */
const split = <K extends string, V>(leaf: Leaf<K, V>, shift: number, edit: Edit): Branch<K, V> => {
  const children: Array<Node<K, V>> = Array.from({ length: WIDTH }, () => emptyLeaf<K, V>());
  for (const [key, value] of leaf.entries) {
    const i = (hashOf(key) >>> shift) & MASK;
    const child = children[i];
    const owned: Leaf<K, V> = child !== undefined && child.owner === edit && !child.branch ? child : { branch: false, owner: edit, entries: new Map() };
    owned.entries.set(key, value);
    children[i] = owned;
  }
  return { branch: true, owner: edit, children };
};

export class PersistentMap<K extends string, V> implements ReadonlyMap<K, V> {
  static empty<K extends string, V>(): PersistentMap<K, V> {
    return new PersistentMap<K, V>(emptyLeaf<K, V>(), 0, null);
  }

  private constructor(
    private root: Node<K, V>,
    private count: number,
    private readonly owner: Edit | null,
  ) {}

  get size(): number {
    return this.count;
  }

  get(key: K): V | undefined {
    return this.leafOf(key)?.entries.get(key);
  }

  has(key: K): boolean {
    return this.leafOf(key)?.entries.has(key) ?? false;
  }

  /** The map with `key` set; in place when this map was made by the same open edit. */
  set(key: K, value: V, edit: Edit): PersistentMap<K, V> {
    assertOpen(edit);
    const m = this.owner === edit ? this : new PersistentMap(this.root, this.count, edit);
    const root = m.root;
    // The common case in a fold: a small map whose one leaf this batch already owns.
    if (!root.branch && root.owner === edit) {
      const size = root.entries.size;
      root.entries.set(key, value);
      if (root.entries.size !== size) {
        m.count += 1;
        if (m.count > LEAF_MAX) m.root = split(root, 0, edit);
      }
      return m;
    }
    m.root = m.setIn(root, key, value, root.branch ? hashOf(key) : 0, 0, edit);
    return m;
  }

  /** The map without `key`; the same map when it has no such key. */
  delete(key: K, edit: Edit): PersistentMap<K, V> {
    assertOpen(edit);
    if (!this.has(key)) return this;
    const m = this.owner === edit ? this : new PersistentMap(this.root, this.count, edit);
    m.root = m.deleteIn(m.root, key, m.root.branch ? hashOf(key) : 0, 0, edit);
    m.count -= 1;
    return m;
  }

  forEach(visit: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    visitAll(this.root, (value, key) => visit(value, key, this));
  }

  *entries(): MapIterator<[K, V]> {
    yield* walk(this.root);
  }

  *keys(): MapIterator<K> {
    for (const [key] of walk(this.root)) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of walk(this.root)) yield value;
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  private leafOf(key: K): Leaf<K, V> | undefined {
    let node: Node<K, V> | undefined = this.root;
    if (!node.branch) return node;
    const hash = hashOf(key);
    for (let shift = 0; node !== undefined && node.branch; shift += BITS) node = node.children[(hash >>> shift) & MASK];
    return node;
  }

  private setIn(node: Node<K, V>, key: K, value: V, hash: number, shift: number, edit: Edit): Node<K, V> {
    if (!node.branch) {
      const leaf = ownedLeaf(node, edit);
      const size = leaf.entries.size;
      leaf.entries.set(key, value);
      if (leaf.entries.size === size) return leaf;
      this.count += 1;
      return leaf.entries.size > LEAF_MAX && shift < MAX_SHIFT ? split(leaf, shift, edit) : leaf;
    }
    const i = (hash >>> shift) & MASK;
    const branch = ownedBranch(node, edit);
    branch.children[i] = this.setIn(branch.children[i] ?? emptyLeaf<K, V>(), key, value, hash, shift + BITS, edit);
    return branch;
  }

  private deleteIn(node: Node<K, V>, key: K, hash: number, shift: number, edit: Edit): Node<K, V> {
    if (!node.branch) {
      const leaf = ownedLeaf(node, edit);
      leaf.entries.delete(key);
      return leaf;
    }
    const i = (hash >>> shift) & MASK;
    const branch = ownedBranch(node, edit);
    branch.children[i] = this.deleteIn(branch.children[i] ?? emptyLeaf<K, V>(), key, hash, shift + BITS, edit);
    return branch;
  }
}

const visitAll = <K, V>(node: Node<K, V>, visit: (value: V, key: K) => void): void => {
  if (!node.branch) node.entries.forEach(visit);
  else for (const child of node.children) visitAll(child, visit);
};

function* walk<K, V>(node: Node<K, V>): Generator<[K, V], undefined, unknown> {
  if (!node.branch) {
    yield* node.entries;
    return undefined;
  }
  for (const child of node.children) yield* walk(child);
  return undefined;
}
