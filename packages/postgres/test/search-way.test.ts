// R2's choice of how a search page meets its words (`searchWayOf`): never a way that reads a word's matches its
// count did not see whole, and, on the shapes the 100,000-conversation bench met, the way that measured cheapest.
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { searchWayOf, type ListFilterKind } from '../src/search-query.js';

const kind = fc.constantFrom<ListFilterKind>('client_type', 'group', 'home_location');

describe('R2 searchWayOf', () => {
  it('R2 a page is fetched from a word only when its matches were counted whole, and from the filter with the fewest clients only when the word was counted whole', () => {
    fc.assert(
      fc.property(
        fc.record({ index: fc.nat({ max: 3 }), matches: fc.nat({ max: 40_000 }), whole: fc.boolean() }),
        fc.uniqueArray(fc.record({ kind, clients: fc.nat({ max: 200_000 }) }), { selector: (f) => f.kind, maxLength: 3 }),
        fc.option(fc.integer({ min: 1, max: 1_000_000 })),
        fc.integer({ min: 1, max: 200 }),
        fc.boolean(),
        (rarest, filters, conversations, limit, folderView) => {
          const way = searchWayOf({ rarest, filters, conversations, limit, folderView });
          if (way.kind === 'word') expect(rarest.whole).toBe(true);
          if (way.kind === 'filter') {
            expect(rarest.whole).toBe(true);
            const chosen = filters.find((f) => f.kind === way.filter);
            expect(chosen).toBeDefined();
            expect(filters.every((f) => (chosen?.clients ?? Number.NaN) <= f.clients)).toBe(true);
          }
          if (way.kind !== 'walk') expect(way.word).toBe(rarest.index);
        },
      ),
    );
  });

  it('R2 the shapes measured at 100,000 conversations take the way that was cheapest there', () => {
    const n = 100_000;
    const limit = 50;
    const plain = { conversations: n, limit, folderView: false };
    // "Ann" (7,190 matches) under one group of 5,243 clients: walked 0.7 s, intersected 6 ms.
    expect(searchWayOf({ ...plain, rarest: { index: 0, matches: 7_190, whole: true }, filters: [{ kind: 'group', clients: 5_243 }] }).kind).toBe('filter');
    // "Jos" (8,366) under group Pilates (~20,000 clients) in a folder view: walked 271 ms.
    expect(searchWayOf({ ...plain, folderView: true, rarest: { index: 0, matches: 8_366, whole: true }, filters: [{ kind: 'group', clients: 20_000 }] }).kind).toBe('filter');
    // "cancel" (63,507 matches, counted to the cap) under a location: intersecting read all 63,507 (48 ms); walked.
    expect(searchWayOf({ ...plain, rarest: { index: 0, matches: 20_000, whole: false }, filters: [{ kind: 'home_location', clients: 9_415 }] }).kind).toBe('walk');
    // A rare word with no list filter: its few matches fetched.
    expect(searchWayOf({ ...plain, rarest: { index: 0, matches: 40, whole: true }, filters: [] }).kind).toBe('word');
    // "Ben" (4,565 matches) and no list filter: walked 3,027 rows in 86 ms, its matches fetched in 18 ms.
    expect(searchWayOf({ ...plain, rarest: { index: 0, matches: 4_565, whole: true }, filters: [] }).kind).toBe('word');
    // "thursday" (20,810, counted whole from the kept counts) under group Triathlon (3,760 clients): walked 49 ms, fetched 144 ms, intersected 22 ms.
    expect(searchWayOf({ ...plain, rarest: { index: 0, matches: 20_810, whole: true }, filters: [{ kind: 'group', clients: 3_760 }] }).kind).toBe('filter');
    // "late" (16,375) under the largest client type (45,392 clients): walked 10 ms, intersected 87 ms, fetched 110 ms.
    expect(searchWayOf({ ...plain, rarest: { index: 0, matches: 16_375, whole: true }, filters: [{ kind: 'client_type', clients: 45_392 }] }).kind).toBe('walk');
    // "refund" (24,334) in the archived folder under the same type: walked 35 ms, intersected 181 ms.
    expect(searchWayOf({ ...plain, folderView: true, rarest: { index: 0, matches: 24_334, whole: true }, filters: [{ kind: 'client_type', clients: 45_392 }] }).kind).toBe('walk');
    // "membership" (49,497) under group Boxing (4,483 clients): walked 15 ms, intersected 46 ms.
    expect(searchWayOf({ ...plain, rarest: { index: 0, matches: 49_497, whole: true }, filters: [{ kind: 'group', clients: 4_483 }] }).kind).toBe('walk');
    // "cancel" (63,507) in the replied folder under type Guest (9,198 clients): walked 42 ms, intersected 120 ms.
    expect(searchWayOf({ ...plain, folderView: true, rarest: { index: 0, matches: 63_507, whole: true }, filters: [{ kind: 'client_type', clients: 9_198 }] }).kind).toBe('walk');
    // A word in most conversations and no list filter: a page is a few hundred rows walked.
    expect(searchWayOf({ ...plain, rarest: { index: 0, matches: 63_507, whole: true }, filters: [] }).kind).toBe('walk');
    // Nothing counted: walked.
    expect(searchWayOf({ ...plain, rarest: null, filters: [{ kind: 'group', clients: 3 }] }).kind).toBe('walk');
  });
});
