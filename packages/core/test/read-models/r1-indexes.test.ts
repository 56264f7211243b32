/**
 * The persistent collections and posting lists under the inbox indexes (R1–R3), against plain models:
 * each behaves like its `Map`/`Set` model, and no operation ever changes a version returned before.
 */
import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { PHashMap, PSortedMap, PVector, compareNumbers, hashString, withEdit } from '../../src/read-models/persistent.js';
import { applyChanges, differenceOf, forEachOrdinal, forEachOrdinalDescending, intersectAll, membership, postingsOf, sizeOf, toSortedArray, unionAll, type Postings } from '../../src/read-models/postings.js';
import { HEAVY_TIMEOUT, heavyRuns } from '../heavy-property.js';

type Op = { readonly kind: 'set'; readonly key: number; readonly value: number } | { readonly kind: 'delete'; readonly key: number } | { readonly kind: 'batch' };

const opsArb = (keys: number): fc.Arbitrary<ReadonlyArray<Op>> =>
  fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), key: fc.nat({ max: keys }), value: fc.integer() }) },
      { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.nat({ max: keys }) }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'batch' as const }) },
    ),
    { minLength: 300, maxLength: 1500, size: 'max' },
  );

const entriesOf = <K extends {}, V extends {} | null>(m: PSortedMap<K, V>): Array<[K, V]> => {
  const out: Array<[K, V]> = [];
  m.forEach((k, v) => {
    out.push([k, v]);
  });
  return out;
};

/** Runs ops in batches (one edit each), returning every version with its model. */
const runSorted = (ops: ReadonlyArray<Op>) => {
  const versions: Array<{ map: PSortedMap<number, number>; model: Map<number, number> }> = [];
  let map = PSortedMap.empty<number, number>(compareNumbers);
  const model = new Map<number, number>();
  let i = 0;
  while (i < ops.length) {
    map = withEdit((edit) => {
      let m = map;
      for (; i < ops.length; i += 1) {
        const op = ops[i];
        if (op === undefined || op.kind === 'batch') {
          i += 1;
          break;
        }
        if (op.kind === 'set') {
          m = m.set(op.key, op.value, edit);
          model.set(op.key, op.value);
        } else {
          m = m.delete(op.key, edit);
          model.delete(op.key);
        }
      }
      return m;
    });
    versions.push({ map, model: new Map(model) });
  }
  return versions;
};

const sortedModel = (model: Map<number, number>): Array<[number, number]> => [...model].sort(([a], [b]) => a - b);

describe('R1 index structures', () => {
  test.prop([opsArb(2000)], { numRuns: heavyRuns(20) })('R1 a persistent sorted map is a sorted Map, and every earlier version stays as it was', (ops) => {
    const versions = runSorted(ops);
    for (const { map, model } of versions.filter((_, i) => i % 7 === 0 || i === versions.length - 1)) {
      expect(entriesOf(map)).toEqual(sortedModel(model));
      expect(map.size).toBe(model.size);
    }
    const last = versions[versions.length - 1];
    if (last === undefined) return;
    for (let k = -1; k <= 2001; k += 97) expect(last.map.get(k)).toBe(last.model.get(k));
  }, HEAVY_TIMEOUT);

  test.prop([opsArb(600), fc.integer({ min: -5, max: 605 })], { numRuns: heavyRuns(20) })('R1 ordered walks start at the first key a monotone predicate accepts', (ops, from) => {
    const versions = runSorted(ops);
    const last = versions[versions.length - 1];
    if (last === undefined) return;
    const walked: number[] = [];
    last.map.forEachFrom(
      (k) => k >= from,
      (k) => {
        walked.push(k);
        return walked.length < 50;
      },
    );
    expect(walked).toEqual(sortedModel(last.model).map(([k]) => k).filter((k) => k >= from).slice(0, 50));
  }, HEAVY_TIMEOUT);

  // Pairs of keys with one hash: the entries that share a bucket.
  const COLLIDING = [['k32728', 'k261234'], ['k32729', 'k261235'], ['k32724', 'k261238']] as const;
  it('R1 a hash map updates and deletes keys deep in a long chain of keys sharing one hash (hostile ids)', () => {
    // FNV-1a collisions chain: blocks that collide from the same state can be combined freely, so k pairs
    // give 2^k keys with one hash. A bucket walked by recursion overflowed the stack at 16,384 (review).
    const step = (h: number, block: string): number => {
      let x = h;
      for (let i = 0; i < block.length; i += 1) x = Math.imul(x ^ block.charCodeAt(i), 0x01000193);
      return x | 0;
    };
    let state = 0x811c9dc5 | 0;
    let keys = [''];
    for (let k = 0; k < 15; k += 1) {
      const seen = new Map<number, string>();
      for (let n = 0; ; n += 1) {
        const block = `u${n.toString(36).padStart(5, '0')}`;
        const h = step(state, block);
        const other = seen.get(h);
        if (other !== undefined) {
          keys = keys.flatMap((p) => [p + other, p + block]);
          state = h;
          break;
        }
        seen.set(h, block);
      }
    }
    expect(new Set(keys.map(hashString)).size).toBe(1);
    const full = withEdit((edit) => keys.reduce((m, k, i) => m.set(k, i, edit), PHashMap.empty<number>()));
    const first = keys[0] ?? '';
    const deleted = withEdit((edit) => full.delete(first, edit));
    const updated = withEdit((edit) => full.set(first, -1, edit));
    expect([deleted.size, deleted.get(first), updated.get(first), updated.size, full.get(first)]).toEqual([keys.length - 1, undefined, -1, keys.length, 0]);
  }, HEAVY_TIMEOUT);

  it('R1 the colliding keys of the hash map test share their hashes', () => {
    for (const [a, b] of COLLIDING) expect(hashString(a)).toBe(hashString(b));
  });

  test.prop([fc.array(fc.tuple(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...COLLIDING.flat())), fc.option(fc.integer(), { nil: null }), fc.boolean()), { maxLength: 300 })], { numRuns: heavyRuns(40) })(
    'R1 a persistent hash map is a Map (keys sharing a hash too), and earlier versions stay as they were',
    (ops) => {
      let map = PHashMap.empty<number>();
      const model = new Map<string, number>();
      const versions: Array<[PHashMap<number>, Map<string, number>]> = [];
      for (const [key, value, split] of ops) {
        map = withEdit((edit) => (value === null ? map.delete(key, edit) : map.set(key, value, edit)));
        if (value === null) model.delete(key);
        else model.set(key, value);
        if (split) versions.push([map, new Map(model)]);
      }
      versions.push([map, model]);
      for (const [m, expected] of versions) {
        const actual = new Map<string, number>();
        m.forEach((k, v) => actual.set(k, v));
        expect(actual).toEqual(expected);
        expect(m.size).toBe(expected.size);
        for (const k of expected.keys()) expect(m.get(k)).toBe(expected.get(k));
      }
    },
    HEAVY_TIMEOUT,
  );

  test.prop([fc.array(fc.oneof(fc.integer(), fc.tuple(fc.nat(), fc.integer())), { minLength: 1100, maxLength: 3000, size: 'max' })], { numRuns: heavyRuns(30) })(
    'R1 a persistent vector is an array, and earlier versions stay as they were',
    (ops) => {
      let v = PVector.empty<number>();
      const model: number[] = [];
      const versions: Array<[PVector<number>, number[]]> = [];
      ops.forEach((op, i) => {
        v = withEdit((edit) => {
          if (typeof op === 'number') {
            model.push(op);
            return v.push(op, edit);
          }
          const [at, value] = op;
          if (model.length === 0) return v;
          model[at % model.length] = value;
          return v.set(at % model.length, value, edit);
        });
        if (i % 97 === 0) versions.push([v, [...model]]);
      });
      versions.push([v, model]);
      for (const [vec, expected] of versions) {
        const actual: number[] = [];
        vec.forEach((x) => actual.push(x));
        expect(actual).toEqual(expected);
      }
    },
    HEAVY_TIMEOUT,
  );

  // Issue 14: large sets are chunked by 4,096 ordinals (lists or bitmaps per chunk), so universes reach past
  // several chunks, with sets spread thin or packed into a few chunks (bitmap chunks); tiny sets too.
  const universeArb = fc.oneof(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 4097, max: 40_000 }));
  const setArb = (universe: number) =>
    fc.oneof(
      fc.uniqueArray(fc.nat({ max: universe - 1 }), { maxLength: Math.min(universe, 3000), size: 'max' }),
      fc.nat({ max: universe - 1 }).chain((start) => fc.uniqueArray(fc.integer({ min: start, max: Math.min(universe - 1, start + 1500) }), { maxLength: 1500, size: 'max' })),
      // A single entry is kept as the ordinal itself: sets of none, one and two entries meet the others.
      fc.uniqueArray(fc.nat({ max: universe - 1 }), { maxLength: 2 }),
    );
  const toSet = (p: Postings): number[] => [...toSortedArray(p)];
  const sorted = (xs: Iterable<number>): number[] => [...new Set(xs)].sort((a, b) => a - b);

  test.prop(
    [universeArb.chain((u) => fc.tuple(fc.constant(u), setArb(u), fc.array(fc.tuple(setArb(u), setArb(u)), { maxLength: 5 })))],
    { numRuns: heavyRuns(60) },
  )('R2 posting lists (sorted list or bitset) apply additions and removals like a Set', ([universe, initial, changes]) => {
    let p: Postings = postingsOf(initial, universe);
    const model = new Set(initial);
    for (const [add, remove] of changes) {
      const before = toSet(p);
      const next = applyChanges(p, add, remove, universe);
      expect(toSet(p)).toEqual(before);
      for (const x of add) model.add(x);
      for (const x of remove) model.delete(x);
      p = next;
      expect(toSet(p)).toEqual(sorted(model));
      expect(sizeOf(p)).toBe(model.size);
      const seen: number[] = [];
      forEachOrdinal(p, (x) => seen.push(x));
      expect(seen).toEqual(sorted(model));
      const backwards: number[] = [];
      forEachOrdinalDescending(p, (x) => backwards.push(x));
      expect(backwards).toEqual(sorted(model).reverse());
    }
  }, HEAVY_TIMEOUT);

  test.prop([universeArb.chain((u) => fc.tuple(fc.constant(u), fc.array(setArb(u), { maxLength: 5 })))], { numRuns: heavyRuns(60) })(
    'R2 R3 V4 intersections, unions and differences of posting lists are those of the sets',
    ([universe, sets]) => {
      const lists = sets.map((s) => postingsOf(s, universe));
      const inter = intersectAll(lists, universe);
      expect(inter === null ? null : toSet(inter)).toEqual(sets.length === 0 ? null : sorted(sets.reduce((a, b) => a.filter((x) => b.includes(x)))));
      expect(toSet(unionAll(lists, universe))).toEqual(sorted(sets.flat()));
      const [a = [], b = []] = sets;
      expect(toSet(differenceOf(postingsOf(a, universe), postingsOf(b, universe), universe))).toEqual(sorted(a.filter((x) => !b.includes(x))));
      // Membership answers for every ordinal of the universe, in and out of the set.
      const member = membership(postingsOf(a, universe), universe);
      const inA = new Set(a);
      for (let x = 0; x < universe; x += 97) expect(member(x)).toBe(inA.has(x));
      for (const x of a) expect(member(x)).toBe(true);
      // A short walk probes the set where it is instead of spreading it into bits: the same answers.
      const probed = membership(postingsOf(a, universe), universe, 1);
      for (let x = 0; x < universe; x += 89) expect(probed(x)).toBe(inA.has(x));
      // Results of operations (chunks shared, or-ed, and-ed, cut from lists) are sets like any other.
      const aMinusB = differenceOf(postingsOf(a, universe), postingsOf(b, universe), universe);
      const mixed = unionAll([aMinusB, ...lists.slice(2)], universe);
      const expected = new Set([...a.filter((x) => !b.includes(x)), ...sets.slice(2).flat()]);
      expect(toSet(mixed)).toEqual(sorted([...expected]));
      expect(sizeOf(mixed)).toBe(expected.size);
      const again = intersectAll([mixed, unionAll(lists, universe)], universe);
      expect(again === null ? null : toSet(again)).toEqual(sorted([...expected]));
      expect(toSet(differenceOf(mixed, aMinusB, universe))).toEqual(sorted([...expected].filter((x) => !(inA.has(x) && !b.includes(x)))));
    },
    HEAVY_TIMEOUT,
  );
});
