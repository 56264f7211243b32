/** The memo under the phone checks (issue 14): the same answers as the function, computed again only once forgotten. */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { boundedMemo } from '../../src/domain/collections/bounded-memo.js';

describe('boundedMemo', () => {
  test.prop([fc.array(fc.oneof(fc.constantFrom('__proto__', 'constructor', ''), fc.string({ maxLength: 3 })), { maxLength: 400 }), fc.integer({ min: 1, max: 20 })])(
    'answers what the function answers, and computes a key again only after two generations without it',
    (keys, generation) => {
      const computed: string[] = [];
      const f = (key: string): string | null => (key.length % 2 === 0 ? null : `${key}!`);
      const memo = boundedMemo(generation, (key) => {
        computed.push(key);
        return f(key);
      });
      for (const key of keys) expect(memo(key)).toBe(f(key));
      // Remembered in a window of at most two generations: never more computations than keys, and a key asked
      // twice in a row is computed once.
      expect(computed.length).toBeLessThanOrEqual(keys.length);
      for (const key of keys) {
        const before = computed.length;
        memo(key);
        memo(key);
        expect(computed.length - before).toBeLessThanOrEqual(1);
      }
    },
  );
});
