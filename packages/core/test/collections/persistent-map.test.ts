/**
 * The persistent map under the growing parts of aggregate states (issue 14): it behaves like a native
 * `Map`, no operation changes a version returned before (inside a batch or after it), and a closed edit
 * can change nothing.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { PersistentMap } from '../../src/domain/collections/persistent-map.js';
import { Edit, withEdit } from '../../src/domain/collections/edit.js';

// Keys like an attacker's ids: reserved names, separators, long shared prefixes, and enough of them to split leaves.
const keyArb = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' ', 'a:b', 'mc-conversation-b1', 'SM'),
  fc.nat({ max: 400 }).map((n) => `SM${n.toString(16).padStart(32, '0')}`),
  fc.string({ maxLength: 6 }),
);

type Op = { readonly kind: 'set'; readonly key: string; readonly value: number } | { readonly kind: 'delete'; readonly key: string } | { readonly kind: 'batch' };

const opsArb = fc.array(
  fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('set' as const), key: keyArb, value: fc.integer() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), key: keyArb }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'batch' as const }) },
  ),
  { minLength: 50, maxLength: 1200 },
);

const sorted = (entries: Iterable<readonly [string, number]>): Array<readonly [string, number]> =>
  [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe('PersistentMap', () => {
  test.prop([opsArb])('behaves like a Map, and every version it returned stays as it was', (ops) => {
    const versions: Array<{ readonly map: PersistentMap<string, number>; readonly model: ReadonlyMap<string, number> }> = [];
    let map = PersistentMap.empty<string, number>();
    const model = new Map<string, number>();
    // Batches of operations share one edit, as a fold's events do; a version is kept after each batch.
    let batch: Op[] = [];
    const flush = (): void => {
      map = withEdit((edit) => {
        let m = map;
        for (const op of batch) m = op.kind === 'set' ? m.set(op.key, op.value, edit) : op.kind === 'delete' ? m.delete(op.key, edit) : m;
        return m;
      });
      for (const op of batch) {
        if (op.kind === 'set') model.set(op.key, op.value);
        else if (op.kind === 'delete') model.delete(op.key);
      }
      versions.push({ map, model: new Map(model) });
      batch = [];
    };
    for (const op of ops) {
      if (op.kind === 'batch') flush();
      else batch.push(op);
    }
    flush();
    for (const { map: m, model: expected } of versions) {
      expect(m.size).toBe(expected.size);
      expect(sorted(m.entries())).toEqual(sorted(expected.entries()));
      for (const key of expected.keys()) {
        expect(m.has(key)).toBe(true);
        expect(m.get(key)).toBe(expected.get(key));
      }
      expect(m.has('absent key')).toBe(expected.has('absent key'));
      expect([...m.keys()].length).toBe(expected.size);
      expect([...m.values()].length).toBe(expected.size);
    }
  });

  test.prop([fc.array(keyArb, { minLength: 40, maxLength: 300 })])('a version is unchanged by a later edit on it', (keys) => {
    const before = withEdit((edit) => keys.reduce((m, k, i) => m.set(k, i, edit), PersistentMap.empty<string, number>()));
    const snapshot = sorted(before.entries());
    const after = withEdit((edit) => keys.reduce((m, k) => m.delete(k, edit).set(`${k}!`, -1, edit), before));
    const model = new Map(snapshot);
    for (const k of keys) {
      model.delete(k);
      model.set(`${k}!`, -1);
    }
    expect(sorted(before.entries())).toEqual(snapshot);
    expect(sorted(after.entries())).toEqual(sorted(model.entries()));
  });

  test('a closed edit writes nothing', () => {
    const edit = new Edit();
    const m = PersistentMap.empty<string, number>().set('a', 1, edit);
    edit.close();
    expect(() => m.set('b', 2, edit)).toThrow(/closed/);
    expect(() => m.delete('a', edit)).toThrow(/closed/);
    expect(m.get('b')).toBeUndefined();
    expect(m.get('a')).toBe(1);
  });
});
