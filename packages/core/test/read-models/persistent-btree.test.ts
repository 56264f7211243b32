/**
 * Issue 14 goal 6 (P1 folds stay pure): the sorted map under the read models is a B+tree of small nodes
 * updated in place only under the edit that created them. Against a plain sorted array it must hold the
 * same entries, walk them from the first key a monotone predicate accepts and stop when told, and leave
 * every version returned before (by a closed edit, or forked from an old version) as it was.
 */
import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Edit, PSortedMap, compareNumbers, compareStrings, withEdit, type Compare } from '../../src/read-models/persistent.js';
import { HEAVY_TIMEOUT, heavyRuns } from '../heavy-property.js';

type Entry<K> = readonly [K, number];

/** The model: entries sorted by key, one per key. */
class SortedArray<K> {
  constructor(
    private readonly compare: Compare<K>,
    readonly entries: Array<Entry<K>> = [],
  ) {}

  private lower(key: K): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = this.entries[mid];
      if (e !== undefined && this.compare(e[0], key) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  find(key: K): Entry<K> | undefined {
    const e = this.entries[this.lower(key)];
    return e !== undefined && this.compare(e[0], key) === 0 ? e : undefined;
  }

  set(key: K, value: number): void {
    const i = this.lower(key);
    const e = this.entries[i];
    // An equal key keeps the key it was first stored with (the map replaces only the value).
    if (e !== undefined && this.compare(e[0], key) === 0) this.entries[i] = [e[0], value];
    else this.entries.splice(i, 0, [key, value]);
  }

  delete(key: K): void {
    if (this.find(key) !== undefined) this.entries.splice(this.lower(key), 1);
  }

  copy(): SortedArray<K> {
    return new SortedArray(this.compare, this.entries.slice());
  }
}

const entriesOf = <K extends {}>(m: PSortedMap<K, number>): Array<Entry<K>> => {
  const out: Array<Entry<K>> = [];
  m.forEach((k, v) => {
    out.push([k, v]);
  });
  return out;
};

/** forEachFrom with "key >= from" (by `compare`), stopping after `limit` entries by returning false. */
const walkFrom = <K extends {}>(m: PSortedMap<K, number>, from: K, limit: number): { walked: Array<Entry<K>>; asked: K[] } => {
  const walked: Array<Entry<K>> = [];
  const asked: K[] = [];
  m.forEachFrom(
    (k) => {
      asked.push(k);
      return m.compare(k, from) >= 0;
    },
    (k, v) => {
      walked.push([k, v]);
      if (walked.length >= limit) return false;
      // Returning nothing (undefined) or true keeps walking; only false stops.
      return walked.length % 3 === 0 ? true : undefined;
    },
  );
  return { walked, asked };
};

const expectSame = <K extends {}>(m: PSortedMap<K, number>, model: SortedArray<K>, probes: ReadonlyArray<K>): void => {
  expect(m.size).toBe(model.entries.length);
  // Entry by entry (a deep equality of 40,000 pairs is slow), showing the neighbourhood of a difference.
  const actual = entriesOf(m);
  const expected = model.entries;
  let at = 0;
  while (at < Math.max(actual.length, expected.length) && actual[at]?.[0] === expected[at]?.[0] && actual[at]?.[1] === expected[at]?.[1]) at += 1;
  expect(actual.slice(Math.max(0, at - 2), at + 3)).toEqual(expected.slice(Math.max(0, at - 2), at + 3));
  expect(actual.length).toBe(expected.length);
  // One assertion for all probes: vitest's expect costs more than the lookups.
  expect(probes.map((k) => [m.get(k), m.has(k)])).toEqual(probes.map((k) => [model.find(k)?.[1], model.find(k) !== undefined]));
};

type Op<K> =
  | { readonly kind: 'set'; readonly key: K; readonly value: number }
  | { readonly kind: 'delete'; readonly key: K }
  | { readonly kind: 'from'; readonly from: K; readonly limit: number }
  // Closes the running edit; the next edit starts from the latest version, or from an older one.
  | { readonly kind: 'close'; readonly back: number };

const opsArb = <K>(keyArb: fc.Arbitrary<K>): fc.Arbitrary<ReadonlyArray<Op<K>>> =>
  fc.array(
    fc.oneof(
      { weight: 10, arbitrary: fc.record({ kind: fc.constant('set' as const), key: keyArb, value: fc.integer() }) },
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: keyArb }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('from' as const), from: keyArb, limit: fc.integer({ min: 1, max: 80 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('close' as const), back: fc.oneof(fc.constant(0), fc.nat({ max: 30 })) }) },
    ),
    { minLength: 200, maxLength: 1500, size: 'max' },
  );

/**
 * Runs `ops` on an empty map of fan-out `fanout`, checking every walk and, at the end, every version a
 * closed edit returned (each against the model as it was then).
 */
const runModel = <K extends {}>(compare: Compare<K>, fanout: number, ops: ReadonlyArray<Op<K>>, probes: ReadonlyArray<K>): void => {
  const versions: Array<{ readonly map: PSortedMap<K, number>; readonly model: SortedArray<K> }> = [
    { map: PSortedMap.withFanout<K, number>(compare, fanout), model: new SortedArray(compare) },
  ];
  let base = versions[0];
  let i = 0;
  while (base !== undefined && i < ops.length) {
    const model = base.model.copy();
    let back = 0;
    const map = withEdit((edit) => {
      let m = base?.map ?? PSortedMap.withFanout<K, number>(compare, fanout);
      for (; i < ops.length; i += 1) {
        const op = ops[i];
        if (op === undefined) break;
        if (op.kind === 'close') {
          back = op.back;
          i += 1;
          break;
        }
        if (op.kind === 'set') {
          m = m.set(op.key, op.value, edit);
          model.set(op.key, op.value);
        } else if (op.kind === 'delete') {
          m = m.delete(op.key, edit);
          model.delete(op.key);
        } else {
          // Walks inside an open edit see its changes so far.
          const { walked } = walkFrom(m, op.from, op.limit);
          expect(walked).toEqual(model.entries.filter(([k]) => compare(k, op.from) >= 0).slice(0, op.limit));
        }
        if (m.size !== model.entries.length) expect([op, m.size]).toEqual([op, model.entries.length]);
      }
      return m;
    });
    versions.push({ map, model });
    base = versions[Math.max(0, versions.length - 1 - back)];
  }
  for (const { map, model } of versions) expectSame(map, model, probes);
};

const range = (n: number): number[] => Array.from({ length: n }, (_, k) => k);

describe('goal 6: the persistent B+tree (PSortedMap)', () => {
  // Few distinct keys against many operations: keys are set, deleted and set again, so leaves and branches
  // fill, split, empty and merge over and over; fan-outs 4 and 5 reach depth 4–6 with a few hundred keys.
  const fanoutArb = fc.constantFrom(4, 5, 8, 32);

  test.prop([fanoutArb, opsArb(fc.integer({ min: -5, max: 400 }))], { numRuns: heavyRuns(40) })(
    'P1 goal 6 set/delete/forEachFrom under random edits are those of a sorted array, and every version a closed edit returned stays as it was',
    (fanout, ops) => {
      runModel(compareNumbers, fanout, ops, range(410).map((k) => k - 6));
    },
    HEAVY_TIMEOUT,
  );

  // Ids sharing long prefixes (the inbox's words and ids), compared as strings: equal-looking keys, '' first.
  const wordArb = fc.oneof(
    fc.nat({ max: 150 }).map((n) => `mc-conversation-b1-client-${n.toString(36)}`),
    fc.constantFrom('', 'a', 'aa', 'ab', 'b', 'mc-', 'mc-conversation-b1-client-'),
  );
  test.prop([fanoutArb, opsArb(wordArb)], { numRuns: heavyRuns(25) })(
    'P1 goal 6 the same with string keys sharing long prefixes',
    (fanout, ops) => {
      const probes = [...range(155).map((n) => `mc-conversation-b1-client-${n.toString(36)}`), '', 'a', 'aa', 'ab', 'b', 'mc-', 'mc-conversation-b1-client-', 'zz'];
      runModel(compareStrings, fanout, ops, probes);
    },
    HEAVY_TIMEOUT,
  );

  // A comparator that ties distinct keys (like the inbox's order keys, compared by time then id): a tie
  // replaces the value and keeps the key first stored.
  interface Tied {
    readonly n: number;
    readonly tag: string;
  }
  const compareTied: Compare<Tied> = (a, b) => a.n - b.n;
  test.prop([fanoutArb, opsArb(fc.record({ n: fc.nat({ max: 200 }), tag: fc.constantFrom('x', 'y') }))], { numRuns: heavyRuns(20) })(
    'P1 goal 6 keys that compare equal share one entry, which keeps the key first stored',
    (fanout, ops) => {
      runModel(compareTied, fanout, ops, range(205).map((n) => ({ n, tag: 'probe' })));
    },
    HEAVY_TIMEOUT,
  );

  test.prop([fc.constantFrom(4, 32), fc.integer(), fc.integer({ min: 1, max: 40 })], { numRuns: heavyRuns(4) })(
    'P1 goal 6 40,000 keys (depth ≥ 3 at fan-out 32) filled and emptied in random edits keep every version',
    (fanout, seed, edits) => {
      // Depth: 40,000 keys in leaves of ≤ 32 are ≥ 1,250 leaves, under ≥ 40 branches, under ≥ 2, under a root.
      let state = seed | 0;
      const random = (n: number): number => {
        state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x297a2d39) | 0;
        return ((state >>> 0) % n);
      };
      const n = 40_000;
      const keys = range(n).map((k) => k * 3);
      for (let k = n - 1; k > 0; k -= 1) {
        const j = random(k + 1);
        const a = keys[k];
        const b = keys[j];
        if (a !== undefined && b !== undefined) [keys[k], keys[j]] = [b, a];
      }
      // Inserts in `edits` edits (with re-sets of keys already in), then deletes of all but a few, then re-inserts.
      const plan: Array<{ readonly key: number; readonly del: boolean }> = [
        ...keys.flatMap((key, at) => (at % 7 === 0 && at > 0 ? [{ key, del: false }, { key: keys[random(at)] ?? key, del: false }] : [{ key, del: false }])),
        ...keys.slice(0, n - 10).map((key) => ({ key, del: true })),
        ...keys.slice(0, 5000).map((key) => ({ key: key + 1, del: false })),
      ];
      const versions: Array<{ readonly map: PSortedMap<number, number>; readonly model: SortedArray<number> }> = [];
      let map = PSortedMap.withFanout<number, number>(compareNumbers, fanout);
      const model = new SortedArray(compareNumbers);
      const per = Math.ceil(plan.length / (edits * 3));
      // Edits end at random, and where the inserts end and the deletes begin.
      const phases = [keys.length + Math.floor((keys.length - 1) / 7), keys.length + Math.floor((keys.length - 1) / 7) + n - 10];
      for (let at = 0; at < plan.length; ) {
        const end = Math.min(plan.length, at + 1 + random(2 * per), ...phases.filter((p) => p > at));
        map = withEdit((edit) => {
          let m = map;
          for (; at < end; at += 1) {
            const step = plan[at];
            if (step === undefined) break;
            m = step.del ? m.delete(step.key, edit) : m.set(step.key, at, edit);
            if (step.del) model.delete(step.key);
            else model.set(step.key, at);
          }
          return m;
        });
        versions.push({ map, model: model.copy() });
      }
      const probes = [...keys.slice(0, 300), ...keys.slice(0, 300).map((k) => k + 1), -1, n * 3];
      for (const { map: m, model: expected } of versions) expectSame(m, expected, probes);
      const biggest = versions.reduce((a, v) => (v.model.entries.length > a.model.entries.length ? v : a));
      expect(biggest.map.size).toBe(n);
      // Walks from anywhere in the biggest version, including before the first and past the last key.
      for (const from of [-1, 0, 1, 2, 3, 59_998, 59_999, 60_000, ...keys.slice(0, 20)]) {
        const { walked } = walkFrom(biggest.map, from, 40);
        expect(walked).toEqual(biggest.model.entries.filter(([k]) => k >= from).slice(0, 40));
      }
    },
    HEAVY_TIMEOUT,
  );

  it('P1 goal 6 forEachFrom asks the predicate only a few times a level, and stops on the first false', () => {
    const map = withEdit((edit) => range(40_000).reduce((m, k) => m.set(k, k, edit), PSortedMap.empty<number, number>(compareNumbers)));
    const { walked, asked } = walkFrom(map, 12_345, 7);
    expect(walked.map(([k]) => k)).toEqual(range(7).map((k) => 12_345 + k));
    // A binary search per node on a root-to-leaf path: far fewer than a scan of the keys before 12,345.
    expect(asked.length).toBeLessThan(60);
    let visits = 0;
    map.forEach(() => {
      visits += 1;
      return visits < 5 ? undefined : false;
    });
    expect(visits).toBe(5);
    const none: number[] = [];
    map.forEachFrom(
      () => false,
      (k) => {
        none.push(k);
      },
    );
    expect(none).toEqual([]);
    const all: number[] = [];
    map.forEachFrom(
      () => true,
      (k) => {
        all.push(k);
        return k < 2;
      },
    );
    expect(all).toEqual([0, 1, 2]);
  });

  it('P1 goal 6 an edit writes in place only what it created: a closed edit writes nothing, absent keys need no edit', () => {
    const base = withEdit((edit) => range(1000).reduce((m, k) => m.set(k, k, edit), PSortedMap.empty<number, number>(compareNumbers)));
    const closed = new Edit();
    closed.close();
    expect(() => base.set(1, 2, closed)).toThrow(/closed/);
    expect(() => base.delete(1, closed)).toThrow(/closed/);
    // Deleting a key that is not there returns the map itself, whatever the edit.
    expect(base.delete(5000, closed)).toBe(base);
    withEdit((edit) => {
      const a = base.set(1, -1, edit);
      expect(a).not.toBe(base);
      // Later operations of the same edit update that version in place.
      expect(a.set(2, -2, edit)).toBe(a);
      expect(a.delete(3, edit)).toBe(a);
    });
    expect(entriesOf(base)).toEqual(range(1000).map((k) => [k, k]));
  });
});
