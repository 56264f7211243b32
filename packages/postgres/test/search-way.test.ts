// R2 and R3's choice of how a page meets its words and list filters (`searchWayOf`): never a way that reads a
// set its count did not see whole, and, on the shapes the 100,000-conversation bench met, the way that measured
// cheapest.
import { fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { searchWayOf, type ListFilterKind } from '../src/search-query.js';

const kind = fc.constantFrom<ListFilterKind>('client_type', 'group', 'home_location');

describe('R2 R3 searchWayOf', () => {
  it('R2 R3 a page reads a set (fetches it, starts from it, sieves by it) only when it was counted whole, and fetches from a filter only when it has the fewest clients', () => {
    fc.assert(
      fc.property(
        fc.option(fc.record({ index: fc.nat({ max: 3 }), matches: fc.nat({ max: 40_000 }), whole: fc.boolean() })),
        fc.uniqueArray(fc.record({ kind, clients: fc.oneof(fc.nat({ max: 200_000 }), fc.constant(Number.POSITIVE_INFINITY)) }), { selector: (f) => f.kind, maxLength: 3 }),
        fc.option(fc.integer({ min: 1, max: 1_000_000 })),
        fc.integer({ min: 1, max: 200 }),
        fc.boolean(),
        (rarest, filters, conversations, limit, folderView) => {
          const { search, sieves, fetchedFilter } = searchWayOf({ rarest, filters, conversations, limit, folderView });
          const fewest = (k: ListFilterKind): boolean => {
            const chosen = filters.find((f) => f.kind === k);
            return chosen !== undefined && Number.isFinite(chosen.clients) && filters.every((f) => chosen.clients <= f.clients);
          };
          if (search.kind === 'walk') {
            if (search.sieve !== null) expect(rarest?.whole === true && search.sieve === rarest.index).toBe(true);
          } else {
            expect(rarest?.whole === true && search.word === rarest.index).toBe(true);
            if (search.kind === 'filter') expect(fewest(search.filter)).toBe(true);
            expect(sieves).toEqual([]);
            expect(fetchedFilter).toBeNull();
          }
          for (const s of sieves) expect(Number.isFinite(filters.find((f) => f.kind === s)?.clients)).toBe(true);
          if (fetchedFilter !== null) {
            expect(fewest(fetchedFilter)).toBe(true);
            expect(search).toEqual({ kind: 'walk', sieve: null });
            expect(sieves).toEqual([]);
          }
        },
      ),
    );
  });

  it('R2 R3 the shapes measured at 100,000 conversations take the way that was cheapest there', () => {
    const n = 100_000;
    const limit = 50;
    const plain = { conversations: n, limit, folderView: false };
    // "Ann" (7,190 matches) over a year's activity, no list filter: its matches hashed in 5 ms and 3,477 ids walked
    // in 3 ms; walked probing each row's words 86 ms, fetched ~30 ms.
    expect(searchWayOf({ ...plain, rarest: { index: 0, matches: 7_190, whole: true }, filters: [] })).toEqual({ search: { kind: 'walk', sieve: 0 }, sieves: [], fetchedFilter: null });
    // "thursday" (20,810) under type Guest (9,198 clients): the type's clients hashed and the word probed on the ids
    // they passed 14 ms; both hashed 21 ms (the word's 20,810 alone 18 ms); intersected and fetched 55 ms.
    expect(searchWayOf({ ...plain, rarest: { index: 0, matches: 20_810, whole: true }, filters: [{ kind: 'client_type', clients: 9_198 }] })).toEqual({
      search: { kind: 'walk', sieve: null },
      sieves: ['client_type'],
      fetchedFilter: null,
    });
    // The largest type (45,392 clients), no search: probed on the walked ids p99 5 ms; hashed whole 16 ms.
    expect(searchWayOf({ ...plain, rarest: null, filters: [{ kind: 'client_type', clients: 45_392 }] })).toEqual({ search: { kind: 'walk', sieve: null }, sieves: [], fetchedFilter: null });
    // A group of 3 clients: its page never fills, and a walk reads every conversation; its clients fetched.
    expect(searchWayOf({ ...plain, rarest: null, filters: [{ kind: 'group', clients: 3 }] })).toEqual({ search: { kind: 'walk', sieve: null }, sieves: [], fetchedFilter: 'group' });
    // A rare word with no list filter: its few matches fetched.
    expect(searchWayOf({ ...plain, rarest: { index: 0, matches: 40, whole: true }, filters: [] }).search.kind).toBe('word');
    // A word in most conversations and no list filter: a page is a few hundred ids walked, each probed.
    expect(searchWayOf({ ...plain, rarest: { index: 0, matches: 63_507, whole: true }, filters: [] })).toEqual({ search: { kind: 'walk', sieve: null }, sieves: [], fetchedFilter: null });
    // A word counted to the cap is never read as a set: probed on the walk.
    expect(searchWayOf({ ...plain, rarest: { index: 0, matches: 20_000, whole: false }, filters: [] }).search).toEqual({ kind: 'walk', sieve: null });
  });
});
