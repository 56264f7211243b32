import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { timestampFromMillis, type BusinessId, type ConversationId, type Timestamp } from '@message-center/core';
import { formattingsOf, mobileArb } from '@message-center/testing';
import { emptyInbox, foldInbox, type InboxState } from '../../src/read-models/inbox.js';
import { inboxPage, searchEntries, type InboxFilters, type InboxQuery, type InboxRow, type InboxView } from '../../src/read-models/inbox-query.js';
import { forEachOrdinal } from '../../src/read-models/postings.js';
import { addWords } from '../../src/read-models/search-text.js';
import { conversationsOf, foldSplit, referenceRow } from './support.js';
import {
  BODIES,
  B1,
  BUSINESSES,
  CLIENTS,
  GROUPS,
  LOCATIONS,
  NAMES,
  S1,
  TYPES,
  profileKey,
  runWorld,
  viewerOf,
  cutsArb,
  worldArb,
  type ConversationFacts,
  type World,
  type WorldCommand,
} from './world.js';
import { HEAVY_TIMEOUT, heavyRuns } from '../heavy-property.js';

// ---------------------------------------------------------------------------------------------- reference

/** R2 written out again from its documentation (search-text.ts), independently of the index. */
const FOLDS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };
const fold = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (c) => FOLDS[c] ?? c);
const refWords = (text: string): Set<string> => {
  const out = new Set<string>();
  for (const chunk of fold(text).split(/\s+/u)) {
    const parts = chunk.split(/[^\p{L}\p{N}]+/u).filter((p) => p !== '');
    if (parts.length === 0) continue;
    out.add(parts.join('').slice(0, 32));
    if (parts.length > 1) for (const p of parts) out.add(p.slice(0, 32));
  }
  return out;
};
const refQueryWords = (q: string): string[] =>
  fold(q)
    .split(/\s+/u)
    .map((c) => c.split(/[^\p{L}\p{N}]+/u).join('').slice(0, 32))
    .filter((w) => w !== '');

const refPhoneLike = (q: string): boolean => /^[\d\s().+\-/]+$/.test(q.trim());
// Leading zeros are dropped only as the trunk prefix of a national number (6+ digits after them).
const refPhoneDigits = (q: string): string => {
  if (!refPhoneLike(q)) return '';
  const all = q.trim().replace(/\D/g, '');
  const national = all.replace(/^0+/, '');
  return national.length >= 6 ? national : all;
};
// A number written with separators is searched as a number only, not word by word.
const refFormattedPhone = (q: string): boolean => refPhoneLike(q) && /\D/.test(q.trim()) && refPhoneDigits(q).length >= 3;

const phonesOf = (world: World, c: ConversationFacts): string[] => {
  const clientId = c.state.identity?.clientId;
  const profile = clientId == null ? undefined : world.profiles.get(profileKey(c.businessId, clientId));
  return [profile?.cellPhone.e164 ?? null, c.state.identity?.phone ?? null].flatMap((p) => (p === null ? [] : [p.slice(1)]));
};

const refMatches = (world: World, c: ConversationFacts, q: string): boolean => {
  const clientId = c.state.identity?.clientId;
  const profile = clientId == null ? undefined : world.profiles.get(profileKey(c.businessId, clientId));
  const words = new Set<string>();
  if (profile !== undefined) for (const t of [profile.name, profile.email, profile.uid, profile.clientId]) if (t !== null) for (const w of refWords(t)) words.add(w);
  for (const e of c.events) if (e.type === 'InboundReceived' || e.type === 'OutboundSent') for (const w of refWords(e.data.body)) words.add(w);
  const qw = refQueryWords(q);
  const byWords = !refFormattedPhone(q) && qw.length > 0 && qw.every((w) => [...words].some((x) => x.startsWith(w)));
  const digits = refPhoneDigits(q);
  const byPhone = digits.length >= 3 && phonesOf(world, c).some((p) => p.includes(digits));
  return byWords || byPhone;
};

// ---------------------------------------------------------------------------------------------- helpers

const rowsOf = (state: InboxState, query: InboxQuery): ReadonlyArray<InboxRow> => {
  const rows: InboxRow[] = [];
  let cursor: string | undefined;
  for (;;) {
    const p = inboxPage(state, { ...query, cursor, limit: 3 });
    if (E.isLeft(p)) return expect.fail(`${p.left.code}: ${p.left.message}`);
    rows.push(...p.right.rows);
    if (p.right.nextCursor === null) return rows;
    cursor = p.right.nextCursor;
  }
};

const searched = (state: InboxState, businessId: BusinessId, q: string): Set<ConversationId> => {
  const b = state.businesses.get(businessId);
  const found = new Set<ConversationId>();
  const hits = b === undefined ? null : searchEntries(b, q);
  if (b !== undefined && hits !== null)
    forEachOrdinal(hits, (o) => {
      const e = b.entries.get(o);
      if (e?.conversation != null) found.add(e.id);
    });
  return found;
};

const accentsArb = fc.constantFrom((s: string) => s, (s: string) => s.toUpperCase(), (s: string) => fold(s), (s: string) => s.replace(/e/g, 'é'));

/** Queries worth asking: prefixes of the words the world uses, in other dress, and a few random ones. */
const queryArb: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...NAMES, ...BODIES, 'c1', 'c-5', 'UID-10', 'example.com', 'ray.c4@example.com'), fc.nat(), fc.nat({ max: 12 }), accentsArb)
    .map(([text, start, length, dress]) => {
      const words = text.split(/\s+/);
      const w = words[start % words.length] ?? '';
      return dress(w.slice(0, Math.max(1, length)));
    }),
  fc.tuple(fc.constantFrom(...NAMES), fc.nat({ max: 4 }), fc.nat({ max: 4 })).map(([n, a, b]) => {
    const [first = '', last = ''] = n.split(' ');
    return `${last.slice(0, a + 1)} ${first.slice(0, b + 1)}`;
  }),
  fc.string({ maxLength: 6 }),
  fc.stringMatching(/^[0-9 ()+.-]{0,14}$/),
);

const filtersArb: fc.Arbitrary<InboxFilters> = fc.record(
  {
    clientTypes: fc.subarray(TYPES),
    groups: fc.subarray(GROUPS),
    homeLocations: fc.subarray(LOCATIONS),
    lastActivityFrom: fc.integer({ min: 0, max: 60 * 24 * 60 }).map((m) => timestampFromMillis(Date.UTC(2026, 0, 28, 9, 0) + m * 60_000)),
    lastActivityTo: fc.integer({ min: 0, max: 60 * 24 * 60 }).map((m) => timestampFromMillis(Date.UTC(2026, 0, 28, 9, 0) + m * 60_000)),
  },
  { requiredKeys: [] },
);

const refFilter = (world: World, c: ConversationFacts, f: InboxFilters): boolean => {
  const clientId = c.state.identity?.clientId;
  const profile = clientId == null ? undefined : world.profiles.get(profileKey(c.businessId, clientId));
  const at: Timestamp | null = c.state.lastActivityAt ?? c.state.identity?.startedAt ?? null;
  const some = (values: ReadonlyArray<string> | undefined, has: (v: string) => boolean): boolean => values === undefined || values.length === 0 || values.some(has);
  return (
    some(f.clientTypes, (t) => profile?.clientType === t) &&
    some(f.groups, (g) => profile?.groups.includes(g) === true) &&
    some(f.homeLocations, (l) => profile?.homeLocation === l) &&
    (f.lastActivityFrom === undefined || (at !== null && at >= f.lastActivityFrom)) &&
    (f.lastActivityTo === undefined || (at !== null && at < f.lastActivityTo))
  );
};


// ---------------------------------------------------------------------------------------------- properties

describe('R2 search', () => {
  test.prop([worldArb(), cutsArb, fc.array(queryArb, { minLength: 1, maxLength: 8 })], { numRuns: heavyRuns(60) })(
    'R2 the search index finds exactly what the documented rules find (name, e-mail, UID, id, message text, phone), after every profile change (C1)',
    (world, cuts, queries) => {
      const state = foldSplit(emptyInbox, foldInbox, world.log, cuts);
      for (const q of queries)
        for (const businessId of BUSINESSES) {
          const expected = new Set(conversationsOf(world, businessId).filter((c) => refMatches(world, c, q)).map((c) => c.conversationId));
          if (refQueryWords(q).length === 0 && refPhoneDigits(q).length < 3) continue;
          expect([...searched(state, businessId, q)].sort(), `query ${JSON.stringify(q)}`).toEqual([...expected].sort());
        }
    },
    HEAVY_TIMEOUT,
  );

  test.prop([worldArb(), cutsArb, fc.nat(), fc.nat()], { numRuns: heavyRuns(60) })(
    'R2 searching by any formatting of a client\'s number finds the conversation (in its view, unless pinned: V9)',
    (world, cuts, pick, style) => {
      const state = foldSplit(emptyInbox, foldInbox, world.log, cuts);
      const withPhone = [...world.conversations.values()].filter((c) => c.state.identity !== null);
      const c = withPhone[pick % Math.max(1, withPhone.length)];
      if (c === undefined) return;
      const phone = c.state.identity?.phone;
      if (phone === undefined) return;
      const formats = fc.sample(formattingsOf(phone), { numRuns: 7, seed: style });
      for (const q of formats) {
        expect(searched(state, c.businessId, q).has(c.conversationId), `"${q}" for ${phone}`).toBe(true);
        const view: InboxView = c.state.archived ? 'archived' : 'all';
        const rows = rowsOf(state, { viewer: viewerOf(c.businessId, S1), businessId: c.businessId, search: q, view });
        expect(rows.some((r) => r.conversationId === c.conversationId)).toBe(!c.state.pinned);
      }
    },
    HEAVY_TIMEOUT,
  );

  test.prop([worldArb(), cutsArb, fc.array(fc.tuple(fc.integer({ min: 3, max: 11 }), fc.nat()), { maxLength: 3 })], { numRuns: heavyRuns(30) })(
    'R2 part of a number (3+ digits, any separators, its last digits too) finds every conversation whose number contains it',
    (world, cuts, parts) => {
      const state = foldSplit(emptyInbox, foldInbox, world.log, cuts);
      for (const [len, at] of parts) {
        const c = [...world.conversations.values()][at % Math.max(1, world.conversations.size)];
        const digits = c === undefined ? undefined : phonesOf(world, c)[0];
        if (c === undefined || digits === undefined) continue;
        // Any window, the last one included (an ending is what people type: "the number ending 671").
        const start = at % Math.max(1, digits.length - len + 1);
        const part = digits.slice(start, start + len).replace(/^0+/, '');
        if (part.length < 3) continue;
        const q = part.replace(/(\d{3})(?=\d)/g, '$1-');
        expect(searched(state, c.businessId, q).has(c.conversationId)).toBe(true);
      }
      for (const c of world.conversations.values())
        for (const digits of phonesOf(world, c))
          for (const len of [3, 4]) {
            const ending = digits.slice(-len);
            expect(searched(state, c.businessId, ending).has(c.conversationId), `ending ${ending} of ${digits}`).toBe(true);
          }
    },
    HEAVY_TIMEOUT,
  );

  it('R2 names are found case- and accent-insensitively, partially; e-mail, UID, id and message words too', () => {
    const phones = fc.sample(fc.uniqueArray(mobileArb('US'), { minLength: 10, maxLength: 10 }), { numRuns: 1, seed: 3 })[0] ?? [];
    const profiles = NAMES.slice(0, 5).map(
      (_, client): WorldCommand => ({ kind: 'profile', business: 0, client, name: client, email: true, phone: 'own', type: 0, groups: [], location: null }),
    );
    const inbound = NAMES.slice(0, 5).map((_, index): WorldCommand => ({ kind: 'inbound', business: 0, target: { kind: 'client', index }, body: index, media: 0 }));
    const world = runWorld([...profiles, ...inbound], {
      phones: [phones.slice(0, 5), phones.slice(5, 10)],
      strangers: phones.slice(8, 10),
      individual: [false, false],
      gaps: [1],
      late: [false],
    });
    const state = foldInbox(emptyInbox, world.log);
    const find = (q: string): ReadonlyArray<string> => [...searched(state, B1, q)].sort();
    const clientNamed = (name: string): string => CLIENTS[NAMES.indexOf(name)] ?? 'none';
    const cases: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
      ['zoe', ['Zoë Ørsted']],
      ['ZOË ors', ['Zoë Ørsted']],
      ['orsted', ['Zoë Ørsted']],
      ['josé', ['José García']],
      ['jose GARC', ['José García']],
      ["o'bri", ["Anne-Marie O'Brien"]],
      ['obrien', ["Anne-Marie O'Brien"]],
      ['anne-mar', ["Anne-Marie O'Brien"]],
      ['marie', ["Anne-Marie O'Brien"]],
      ['lukasz', ['Łukasz Nowak']],
      ['smi', ['Ray Smith']],
      ['resched', ['José García']],
      ['BEAUCOUP', ['Ray Smith']],
      ['a bientot', ['Ray Smith']],
    ];
    for (const [q, names] of cases) expect(find(q), q).toEqual(names.map(clientNamed).sort());
    for (const client of CLIENTS.slice(0, 5)) {
      const profile = world.profiles.get(profileKey(B1, client));
      if (profile === undefined) return expect.fail(`no profile for ${client}`);
      expect(find(profile.uid)).toEqual([client]);
      expect(find(profile.clientId)).toContain(client);
      expect(find(profile.email ?? '')).toEqual([client]);
      expect(find(profile.email?.slice(0, 12) ?? '')).toContain(client);
    }
    expect(find('zzz')).toEqual([]);
  });

  test.prop([fc.oneof(fc.string({ unit: 'binary-ascii', maxLength: 40 }), fc.string({ unit: fc.constantFrom(...'abcXYZ019 .,-\'@\t\n!'.split('')), maxLength: 40 }))])(
    'R2 the ASCII word scanner cuts text exactly as the Unicode path does',
    (text) => {
      const ascii = new Set<string>();
      addWords(text, ascii);
      // A non-ASCII word sends the text down the Unicode path; it adds only its own word.
      const unicode = new Set<string>();
      addWords(`${text} é`, unicode);
      unicode.delete('e');
      ascii.delete('e');
      expect([...ascii].sort()).toEqual([...unicode].sort());
      expect([...ascii].sort()).toEqual([...refWords(text)].filter((w) => w !== 'e').sort());
    },
  );
});

describe('R3 filters', () => {
  test.prop([worldArb(), cutsArb, filtersArb, fc.constantFrom<InboxView>('all', 'unread', 'read', 'replied', 'archived'), fc.option(queryArb, { nil: undefined })], {
    numRuns: heavyRuns(80),
  })('R3 V9 filters, a view and a search combine as a conjunction; pinned rows are hidden under any of them', (world, cuts, filters, view, search) => {
    const state = foldSplit(emptyInbox, foldInbox, world.log, cuts);
    const individual = world.individual.get(B1) ?? false;
    const rows = rowsOf(state, { viewer: viewerOf(B1, S1), businessId: B1, filters, view, search });
    // A blank search (no word, too few digits) is no search.
    const searching = search !== undefined && (refQueryWords(search).length > 0 || refPhoneDigits(search).length >= 3);
    const filtering =
      (filters.clientTypes?.length ?? 0) > 0 ||
      (filters.groups?.length ?? 0) > 0 ||
      (filters.homeLocations?.length ?? 0) > 0 ||
      filters.lastActivityFrom !== undefined ||
      filters.lastActivityTo !== undefined;
    const restricted = view !== 'all' || searching || filtering;
    const expected = conversationsOf(world, B1).filter((c) => {
      const folder = referenceRow(c, S1, individual).folder;
      const inView = view === 'all' ? folder !== 'archived' : folder === view;
      return inView && refFilter(world, c, filters) && (!searching || search === undefined || refMatches(world, c, search)) && !(restricted && c.state.pinned);
    });
    expect(rows.map((r) => r.conversationId).sort()).toEqual(expected.map((c) => c.conversationId).sort());
    if (restricted) expect(rows.some((r) => r.pinned)).toBe(false);
  }, HEAVY_TIMEOUT);
});
