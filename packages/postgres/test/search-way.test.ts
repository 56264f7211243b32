// R2's choice of how a search page meets its words (`searchWayOf`): never a way that reads a set its count did
// not see whole, and, on the shapes the 100,000-conversation bench met, the way that measured cheapest.
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { FILTER_COUNTED, RARE_BELOW, searchWayOf, type ListFilterKind } from '../src/search-query.js';

const kind = fc.constantFrom<ListFilterKind>('client_type', 'group', 'home_location');

describe('R2 searchWayOf', () => {
  it('R2 a page is fetched from a word only when its matches were counted whole and under RARE_BELOW, and from a filter only when both the word and the filter were', () => {
    fc.assert(
      fc.property(
        fc.record({ index: fc.nat({ max: 3 }), matches: fc.nat({ max: 40_000 }), whole: fc.boolean() }),
        fc.uniqueArray(fc.record({ kind, clients: fc.nat({ max: FILTER_COUNTED }) }), { selector: (f) => f.kind, maxLength: 3 }),
        fc.option(fc.integer({ min: 1, max: 1_000_000 })),
        fc.integer({ min: 1, max: 200 }),
        (rarest, filters, conversations, limit) => {
          const way = searchWayOf({ rarest, filters, conversations, limit });
          if (way.kind === 'word') expect(rarest.whole && rarest.matches < RARE_BELOW).toBe(true);
          if (way.kind === 'filter') {
            expect(rarest.whole).toBe(true);
            const chosen = filters.find((f) => f.kind === way.filter);
            expect(chosen?.clients ?? FILTER_COUNTED).toBeLessThan(FILTER_COUNTED);
            // The filter with the fewest clients.
            expect(filters.every((f) => (chosen?.clients ?? 0) <= f.clients)).toBe(true);
          }
          if (way.kind !== 'walk') expect(way.word).toBe(rarest.index);
        },
      ),
    );
  });

  it('R2 the shapes measured at 100,000 conversations take the way that was cheapest there', () => {
    const n = 100_000;
    const limit = 50;
    // "Ann" (7,190 matches) under one group of 5,243 clients: walked 0.7 s, intersected 6 ms.
    expect(searchWayOf({ rarest: { index: 0, matches: 7_190, whole: true }, filters: [{ kind: 'group', clients: 5_243 }], conversations: n, limit }).kind).toBe('filter');
    // "cancel" (63,507 matches, counted to the cap) under a location: intersecting read all 63,507 (48 ms); walked.
    expect(searchWayOf({ rarest: { index: 0, matches: 20_000, whole: false }, filters: [{ kind: 'home_location', clients: 9_415 }], conversations: n, limit }).kind).toBe('walk');
    // A rare word with no list filter: its few matches fetched.
    expect(searchWayOf({ rarest: { index: 0, matches: 40, whole: true }, filters: [], conversations: n, limit }).kind).toBe('word');
    // A common word and no list filter: walked.
    expect(searchWayOf({ rarest: { index: 0, matches: 4_999, whole: true }, filters: [], conversations: n, limit }).kind).toBe('walk');
    // Nothing counted: walked.
    expect(searchWayOf({ rarest: null, filters: [{ kind: 'group', clients: 3 }], conversations: n, limit }).kind).toBe('walk');
  });
});
