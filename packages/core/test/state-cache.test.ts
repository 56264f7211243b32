/**
 * Issue 14: the linked-list LRU against the Map-based one it replaced (HEAD's
 * command-handler.ts, copied here): every sequence of gets and sets answers the same and keeps the same entries.
 */
import { expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { createStateCache } from '../src/application/state-cache.js';
import type { Loaded } from '../src/application/command-handler.js';

const oldCache = <S>(capacity: number) => {
  const entries = new Map<string, Loaded<S>>();
  return {
    get: (streamId: string) => {
      const hit = entries.get(streamId);
      if (hit !== undefined) {
        entries.delete(streamId);
        entries.set(streamId, hit);
      }
      return hit;
    },
    set: (streamId: string, loaded: Loaded<S>) => {
      entries.delete(streamId);
      entries.set(streamId, loaded);
      if (entries.size > capacity) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
    },
  };
};

const opArb = fc.oneof(
  fc.record({ kind: fc.constant('get' as const), key: fc.nat(6) }),
  fc.record({ kind: fc.constant('set' as const), key: fc.nat(6), value: fc.integer() }),
);

test.prop([fc.integer({ min: 0, max: 5 }), fc.array(opArb, { maxLength: 200 })], { numRuns: 2000 })('the LRU answers as the one it replaced', (capacity, ops) => {
  const now = createStateCache<number>(capacity);
  const before = oldCache<number>(capacity);
  for (const op of ops) {
    if (op.kind === 'get') expect(now.get(`s${op.key}`)).toBe(before.get(`s${op.key}`));
    else {
      const loaded = { state: op.value, revision: BigInt(op.value & 0xff) };
      now.set(`s${op.key}`, loaded);
      before.set(`s${op.key}`, loaded);
    }
  }
  // Probe every key (in a fixed order) on copies of the histories: same contents.
  for (let k = 0; k <= 6; k += 1) expect(now.get(`s${k}`)).toBe(before.get(`s${k}`));
});
