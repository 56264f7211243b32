/**
 * R2 (issue 13), the To: picker: `findClients` against a naive reference — every final profile of the
 * business in a plain list, filtered by the matching rules and sorted by rank, name and id — over generated
 * logs with hostile ids (separators, escapes, `tel:` look-alikes, unicode), accented names, shared phones,
 * re-recorded profiles and opt-outs, folded in arbitrary batches. The reference reuses the R2 text rules of
 * `search-text.ts` (folding, words, phone digits; tested in r2-r3-search-filters) and nothing of the index.
 */
import { describe, expect, it } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { BusinessId, ClientId, E164, timestampFromMillis } from '@message-center/core';
import {
  clientStream,
  conversationStream,
  emptyClientFinder,
  findClients,
  foldClientFinder,
  MAX_FINDER_QUERY,
  phoneSubscriptionAddress,
  streamName,
  type ClientFinderState,
  type DomainEvent,
  type EventEnvelope,
  type FindClientsQuery,
  type FoundClient,
} from '@message-center/core/internals';
import { adversarialClientIdArb, formattingsOf, lookAlikeIdsArb, mobileArb } from '@message-center/testing';
import { foldText, isFormattedPhoneQuery, phoneQueryDigits, queryWords, wordsOf } from '../../src/read-models/search-text.js';
import { HEAVY_TIMEOUT, heavyRuns } from '../heavy-property.js';
import { foldSplit } from './support.js';
import { cutsArb, must } from './world.js';

// ---------------------------------------------------------------------------------------------- worlds

const NAMES = [
  'Zoë Ørsted', 'José García', 'MARÍA GARCÍA', 'maria garcia', "Anne-Marie O'Brien", 'Łukasz Nowak', 'Renée Zoe', '  Jean   ', 'Straße Æsir', '', 'Σίσυφος', 'José',
];
const UIDS = ['UID-1', 'uid-1', 'A1B2', 'Ümlaut', '', '12345', '  ', 'tel:+1'];
const EMAILS = ['maria.garcia@example.com', 'MARIA.G@Example.com', 'zoe@ørsted.dk', null, 'jose@x.org', ' Jose@X.org '];
const PROBLEMS = ['no phone number was given', 'the number is not a mobile number (FIXED_LINE)'];

type Step =
  | { readonly kind: 'profile'; readonly b: number; readonly c: number; readonly name: string; readonly uid: string; readonly email: string | null; readonly phone: number | null }
  | { readonly kind: 'start'; readonly b: number; readonly c: number }
  | { readonly kind: 'client-opt'; readonly b: number; readonly c: number; readonly out: boolean }
  | { readonly kind: 'phone-opt'; readonly b: number; readonly phone: number; readonly out: boolean };

interface World {
  readonly businesses: ReadonlyArray<BusinessId>;
  readonly clients: ReadonlyArray<ClientId>;
  readonly phones: ReadonlyArray<E164>;
  readonly steps: ReadonlyArray<Step>;
}

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('profile' as const),
      b: fc.nat(),
      c: fc.nat(),
      name: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }),
      uid: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...UIDS) }, { weight: 1, arbitrary: fc.string({ maxLength: 6 }) }),
      email: fc.constantFrom(...EMAILS),
      phone: fc.option(fc.nat(), { freq: 4 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('start' as const), b: fc.nat(), c: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('client-opt' as const), b: fc.nat(), c: fc.nat(), out: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('phone-opt' as const), b: fc.nat(), phone: fc.nat(), out: fc.boolean() }) },
);

const PLAIN_BUSINESSES = ['b1', 'b-1', 'b%2D1'].map((b) => must(BusinessId.is, b));
const PLAIN_CLIENTS = ['c1', 'c-1', 'C1', '1', 'tel-c1'].map((c) => must(ClientId.is, c));

/** Two or three businesses whose ids look alike (`a`, `a-b`, `a%b`…), sharing client ids and phones. */
const worldArb: fc.Arbitrary<World> = fc.record({
  businesses: fc
    .oneof(lookAlikeIdsArb, fc.constant(PLAIN_BUSINESSES))
    .map((ids: ReadonlyArray<string>) => [...ids.filter((id): id is BusinessId => BusinessId.is(id)), ...PLAIN_BUSINESSES].slice(0, 3)),
  clients: fc.uniqueArray(fc.oneof(adversarialClientIdArb, fc.constantFrom(...PLAIN_CLIENTS)), { minLength: 1, maxLength: 6 }),
  phones: fc.uniqueArray(mobileArb(), { minLength: 1, maxLength: 4 }),
  steps: fc.array(stepArb, { maxLength: 40 }),
});

const at = (n: number) => timestampFromMillis(Date.UTC(2026, 0, 1) + n * 60_000);
const pickOf = <A>(xs: ReadonlyArray<A>, i: number): A => {
  const x = xs[i % xs.length];
  if (x === undefined) throw new RangeError('pick from an empty list');
  return x;
};

interface Profile {
  readonly clientId: ClientId;
  readonly uid: string;
  readonly name: string;
  readonly email: string | null;
  readonly cellPhone: E164 | null;
  readonly problem: string | null;
}

interface Facts {
  readonly profiles: Map<ClientId, Profile>;
  readonly conversations: Map<ClientId, { readonly phone: E164; unsubscribed: boolean }>;
  readonly phoneOptOuts: Map<E164, boolean>;
}

interface Built {
  readonly log: ReadonlyArray<EventEnvelope>;
  /** Per business, in plain maps keyed by whole ids: the reference's view of the world. */
  readonly facts: ReadonlyMap<BusinessId, Facts>;
}

/** The log a world writes, and the facts the reference reads, side by side. */
const build = (w: World): Built => {
  const log: EventEnvelope[] = [];
  const facts = new Map<BusinessId, Facts>(w.businesses.map((b) => [b, { profiles: new Map(), conversations: new Map(), phoneOptOuts: new Map() }]));
  const append = (streamId: string, event: DomainEvent): void => {
    const n = BigInt(log.length);
    log.push({ streamId, revision: BigInt(log.filter((e) => e.streamId === streamId).length), position: { commit: n, prepare: n }, event });
  };
  w.steps.forEach((s, i) => {
    const businessId = pickOf(w.businesses, s.b);
    const f = facts.get(businessId);
    if (f === undefined) return;
    const subscription = (out: boolean) => ({ keyword: out ? 'STOP' : 'START', source: 'keyword' as const, messageId: null, at: at(i) });
    switch (s.kind) {
      case 'profile': {
        const clientId = pickOf(w.clients, s.c);
        const cellPhone = s.phone === null ? null : pickOf(w.phones, s.phone);
        const problem = cellPhone === null ? pickOf(PROBLEMS, s.c) : null;
        f.profiles.set(clientId, { clientId, uid: s.uid, name: s.name, email: s.email, cellPhone, problem });
        append(clientStream(businessId, clientId), {
          type: 'ClientProfileRecorded',
          data: {
            businessId,
            clientId,
            uid: s.uid,
            name: s.name,
            email: s.email,
            cellPhone: { raw: cellPhone, e164: cellPhone, problem },
            clientType: 'member',
            groups: [],
            homeLocation: null,
            at: at(i),
          },
        });
        return;
      }
      case 'start': {
        const clientId = pickOf(w.clients, s.c);
        const phone = f.profiles.get(clientId)?.cellPhone;
        if (phone == null || f.conversations.has(clientId)) return;
        f.conversations.set(clientId, { phone, unsubscribed: false });
        append(conversationStream(businessId, clientId), { type: 'ConversationStarted', data: { businessId, conversationId: clientId, clientId, phone, at: at(i) } });
        return;
      }
      case 'client-opt': {
        const clientId = pickOf(w.clients, s.c);
        const conversation = f.conversations.get(clientId);
        if (conversation === undefined) return;
        conversation.unsubscribed = s.out;
        append(conversationStream(businessId, clientId), { type: s.out ? 'ClientUnsubscribed' : 'ClientResubscribed', data: subscription(s.out) });
        return;
      }
      case 'phone-opt': {
        const phone = pickOf(w.phones, s.phone);
        f.phoneOptOuts.set(phone, s.out);
        append(streamName(phoneSubscriptionAddress(businessId, phone)), {
          type: s.out ? 'PhoneUnsubscribed' : 'PhoneResubscribed',
          data: { ...subscription(s.out), businessId, phone },
        });
        return;
      }
    }
  });
  return { log, facts };
};

// ---------------------------------------------------------------------------------------------- reference

type Kind = FoundClient['match'];
const RANK: Record<Kind, number> = { exact: 0, name: 1, partial: 2 };

const wholeKey = (s: string | null): string | null => {
  const k = s === null ? '' : foldText(s.trim());
  return k === '' ? null : k;
};

/** Digits after the country calling code, as libphonenumber reads the number. */
const nationalLength = (e164: E164): number => parsePhoneNumberFromString(e164)?.nationalNumber.length ?? Infinity;

/** R2 of the picker, rule by rule: the best way a client matches, or null. */
const refMatch = (p: Profile, query: string): Kind | null => {
  const q = query.trim();
  if (q === '') return 'name';
  const key = wholeKey(q);
  const digits = phoneQueryDigits(q);
  const phone = p.cellPhone;
  const bySuffix = digits !== null && phone !== null && phone.slice(1).endsWith(digits);
  const fullPhone = bySuffix && phone !== null && digits !== null && digits.length >= nationalLength(phone);
  if (p.clientId === q || (key !== null && (wholeKey(p.uid) === key || wholeKey(p.email) === key)) || fullPhone) return 'exact';
  const words = isFormattedPhoneQuery(q) ? [] : queryWords(q);
  const nameWords = [...wordsOf(p.name)];
  if (words.length > 0 && words.every((w) => nameWords.some((n) => n.startsWith(w)))) return 'name';
  const email = wholeKey(p.email);
  if ((key !== null && email !== null && email.startsWith(key)) || bySuffix) return 'partial';
  return null;
};

const compareStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** What the picker must list, in order: the reference's rows in the shape the query returns. */
const reference = (facts: Facts | undefined, query: string): ReadonlyArray<FoundClient> => {
  if (facts === undefined) return [];
  const rows: Array<{ readonly p: Profile; readonly kind: Kind }> = [];
  for (const p of facts.profiles.values()) {
    const kind = refMatch(p, query);
    if (kind !== null) rows.push({ p, kind });
  }
  rows.sort(
    (x, y) => RANK[x.kind] - RANK[y.kind] || compareStr(foldText(x.p.name).trim(), foldText(y.p.name).trim()) || compareStr(x.p.clientId, y.p.clientId),
  );
  return rows.map(({ p, kind }): FoundClient => {
    const conversation = facts.conversations.get(p.clientId);
    // V3: the phone's own record once it said anything, else the conversation's for the same number.
    const optedOut =
      p.cellPhone !== null && (facts.phoneOptOuts.get(p.cellPhone) ?? (conversation?.unsubscribed === true && conversation.phone === p.cellPhone));
    const reason =
      p.cellPhone === null
        ? { code: 'client-has-no-valid-cell-phone' as const, message: `the client cannot receive SMS: ${p.problem ?? 'no valid cell phone'}` }
        : optedOut
          ? { code: 'client-unsubscribed' as const, message: 'the client has opted out of SMS (replied STOP); they must text START to opt in again' }
          : null;
    return {
      clientId: p.clientId,
      uid: p.uid,
      name: p.name,
      cellPhone: p.cellPhone,
      email: p.email,
      canText: reason === null,
      reason,
      conversationId: conversation === undefined ? null : p.clientId,
      match: kind,
    };
  });
};

// ---------------------------------------------------------------------------------------------- helpers

/** Every page of a search, concatenated; fails on a refusal or a page over the limit. */
const allPages = (state: ClientFinderState, query: Omit<FindClientsQuery, 'cursor'>): ReadonlyArray<FoundClient> => {
  const out: FoundClient[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 10_000; pages += 1) {
    const page = findClients(state, { ...query, cursor });
    if (E.isLeft(page)) return expect.fail(`${page.left.code}: ${page.left.message}`);
    expect(page.right.clients.length).toBeLessThanOrEqual(query.limit ?? 20);
    out.push(...page.right.clients);
    if (page.right.nextCursor === null) return out;
    // A page that announces another is full.
    expect(page.right.clients.length).toBe(query.limit ?? 20);
    cursor = page.right.nextCursor;
  }
  return expect.fail('the pages never end');
};

const dress = fc.constantFrom(
  (s: string) => s,
  (s: string) => s.toUpperCase(),
  (s: string) => foldText(s),
  (s: string) => s.replace(/e/g, 'é'),
  (s: string) => ` ${s}  `,
);

/** Queries worth asking of a world: pieces of its profiles (of any business) in other dress, and noise. */
const queryArb = (w: World): fc.Arbitrary<string> => {
  const profiles = w.steps.flatMap((s) => (s.kind === 'profile' ? [s] : []));
  const noise = fc.oneof(fc.constantFrom('', '   ', 'a', 'zo', 'garcia m', '+1', '555', 'tel:'), fc.string({ maxLength: 8 }));
  if (profiles.length === 0) return noise;
  const pieces = fc.constantFrom(...profiles).chain((p) => {
    const clientId = pickOf(w.clients, p.c);
    const phone = p.phone === null ? pickOf(w.phones, 0) : pickOf(w.phones, p.phone);
    return fc.oneof(
      fc.tuple(fc.constantFrom(p.name, ...p.name.split(/\s+/)), fc.nat({ max: 12 }), dress).map(([text, n, d]) => d(text.slice(0, n))),
      fc.constantFrom(clientId, ` ${clientId} `, clientId.toUpperCase()),
      dress.map((d) => d(p.uid)),
      fc.tuple(fc.nat({ max: 30 }), dress).map(([n, d]) => d((p.email ?? '').slice(0, n))),
      formattingsOf(phone),
      fc.tuple(fc.integer({ min: 1, max: 15 }), fc.constantFrom('', '-', ' ')).map(([n, sep]) => phone.slice(-n).replace(/(\d{3})(?=\d)/g, `$1${sep}`)),
    );
  });
  return fc.oneof({ weight: 4, arbitrary: pieces }, { weight: 1, arbitrary: noise });
};

const foldAll = (log: ReadonlyArray<EventEnvelope>): ClientFinderState => foldClientFinder(emptyClientFinder, log);
const ids = (rows: ReadonlyArray<FoundClient>): ReadonlyArray<string> => rows.map((r) => r.clientId);

// ---------------------------------------------------------------------------------------------- properties

const scenarioArb = worldArb.chain((w) => fc.record({ w: fc.constant(w), query: queryArb(w), limit: fc.integer({ min: 1, max: 5 }), cuts: cutsArb, b: fc.nat() }));

describe('R2 findClients (the To: picker) against the reference', () => {
  test.prop([scenarioArb], { numRuns: heavyRuns(200) })(
    'R2: the pages, folded in any batches, concatenate to the reference ranking without repeats',
    ({ w, query, limit, cuts, b }) => {
      const { log, facts } = build(w);
      const state = foldSplit(emptyClientFinder, foldClientFinder, log, cuts);
      const businessId = pickOf(w.businesses, b);
      const rows = allPages(state, { businessId, query, limit });
      expect(new Set(ids(rows)).size).toBe(rows.length);
      expect(rows).toEqual(reference(facts.get(businessId), query));
    },
    HEAVY_TIMEOUT,
  );

  test.prop([worldArb.chain((w) => fc.record({ w: fc.constant(w), b: fc.nat(), c: fc.nat(), format: fc.nat() }))], { numRuns: heavyRuns(100) })(
    'R2: any client is found, ranked exact, by its id, its UID and its cell phone in any formatting',
    ({ w, b, c, format }) => {
      const { log, facts } = build(w);
      const state = foldAll(log);
      const businessId = pickOf(w.businesses, b);
      const profiles = [...(facts.get(businessId)?.profiles.values() ?? [])];
      fc.pre(profiles.length > 0);
      const p = pickOf(profiles, c);
      const exactly = (query: string): ReadonlyArray<string> => ids(allPages(state, { businessId, query, limit: 200 }).filter((r) => r.match === 'exact'));
      expect(exactly(p.clientId)).toContain(p.clientId);
      if (wholeKey(p.uid) !== null) expect(exactly(p.uid.toUpperCase())).toContain(p.clientId);
      if (p.cellPhone !== null) {
        const formattings = fc.sample(formattingsOf(p.cellPhone), { numRuns: 7, seed: format });
        for (const f of formattings) expect(exactly(f), f).toContain(p.clientId);
      }
    },
    HEAVY_TIMEOUT,
  );

  test.prop([worldArb.chain((w) => fc.record({ w: fc.constant(w), query: queryArb(w) }))], { numRuns: heavyRuns(100) })(
    'R1/B0: a business never sees another\'s clients, whatever separators, escapes or look-alikes its ids hold',
    ({ w, query }) => {
      const { log, facts } = build(w);
      const state = foldAll(log);
      for (const businessId of new Set(w.businesses)) {
        const own = facts.get(businessId)?.profiles ?? new Map<ClientId, Profile>();
        for (const row of allPages(state, { businessId, query, limit: 50 })) {
          const p = own.get(row.clientId);
          expect(p, `${row.clientId} listed for ${businessId}`).toBeDefined();
          expect([row.name, row.uid, row.email, row.cellPhone]).toEqual([p?.name, p?.uid, p?.email, p?.cellPhone]);
        }
      }
    },
    HEAVY_TIMEOUT,
  );

  test.prop([worldArb.chain((w) => fc.record({ w: fc.constant(w), query: queryArb(w), cut: fc.nat() }))], { numRuns: heavyRuns(50) })(
    'R2: folding more never changes a state already returned (the fold is pure)',
    ({ w, query, cut }) => {
      const { log } = build(w);
      const k = cut % (log.length + 1);
      const before = foldAll(log.slice(0, k));
      const businessId = pickOf(w.businesses, cut);
      const seen = allPages(before, { businessId, query, limit: 3 });
      foldClientFinder(before, log.slice(k));
      expect(allPages(before, { businessId, query, limit: 3 })).toEqual(seen);
    },
    HEAVY_TIMEOUT,
  );
});

// ---------------------------------------------------------------------------------------------- examples

const B = must(BusinessId.is, 'acme');
const OTHER = must(BusinessId.is, 'acme-eu');
const ZOE = must(ClientId.is, 'zoe');
const ZOE_PHONE = must(E164.is, '+14155552671');
const SHARED = must(E164.is, '+447400123456');

const profileEvent = (businessId: BusinessId, id: string, name: string, phone: E164 | null, extra: { uid?: string; email?: string | null } = {}): EventEnvelope => {
  const clientId = must(ClientId.is, id);
  return {
    streamId: clientStream(businessId, clientId),
    revision: 0n,
    position: { commit: 0n, prepare: 0n },
    event: {
      type: 'ClientProfileRecorded',
      data: {
        businessId,
        clientId,
        uid: extra.uid ?? `UID-${id}`,
        name,
        email: extra.email ?? null,
        cellPhone: { raw: phone ?? '555', e164: phone, problem: phone === null ? 'the number is not a valid phone number' : null },
        clientType: 'member',
        groups: [],
        homeLocation: null,
        at: at(0),
      },
    },
  };
};

const envelope = (streamId: string, event: DomainEvent): EventEnvelope => ({ streamId, revision: 0n, position: { commit: 0n, prepare: 0n }, event });
const started = (businessId: BusinessId, clientId: ClientId, phone: E164): EventEnvelope =>
  envelope(conversationStream(businessId, clientId), { type: 'ConversationStarted', data: { businessId, conversationId: clientId, clientId, phone, at: at(1) } });
const optOut = (businessId: BusinessId, phone: E164, out: boolean): EventEnvelope =>
  envelope(streamName(phoneSubscriptionAddress(businessId, phone)), {
    type: out ? 'PhoneUnsubscribed' : 'PhoneResubscribed',
    data: { businessId, phone, source: 'keyword', keyword: out ? 'STOP' : 'START', messageId: null, at: at(2) },
  });

const EXAMPLE = foldAll([
  profileEvent(B, 'zoe', 'Zoë Ørsted', ZOE_PHONE, { email: 'Zoe.Orsted@Example.com' }),
  profileEvent(B, 'mom', 'Maria García', SHARED, { uid: '2671' }),
  profileEvent(B, 'kid', 'Mario García', SHARED),
  profileEvent(B, 'nophone', 'Zora Landline', null),
  profileEvent(OTHER, 'zoe', 'Zoe Elsewhere', ZOE_PHONE),
  started(B, ZOE, ZOE_PHONE),
]);

const find = (state: ClientFinderState, query: string, businessId: BusinessId = B): ReadonlyArray<FoundClient> => allPages(state, { businessId, query, limit: 2 });
const summary = (rows: ReadonlyArray<FoundClient>): ReadonlyArray<string> => rows.map((r) => `${r.clientId}:${r.match}`);

describe('R2 findClients: examples', () => {
  it('R2: names match by word prefixes, accents and case ignored', () => {
    expect(summary(find(EXAMPLE, 'zoe ors'))).toEqual(['zoe:name']);
    expect(summary(find(EXAMPLE, 'GARC'))).toEqual(['mom:name', 'kid:name']);
    expect(summary(find(EXAMPLE, 'z'))).toEqual(['zoe:name', 'nophone:name']);
  });

  it('R2: a phone in any formatting, in full or by its last digits (at least 3)', () => {
    for (const q of ['(415) 555-2671', '415.555.2671', '+1 415 555 2671', '14155552671']) expect(summary(find(EXAMPLE, q))).toEqual(['zoe:exact']);
    expect(summary(find(EXAMPLE, '07400 123456'))).toEqual(['mom:exact', 'kid:exact']);
    expect(summary(find(EXAMPLE, '555-2671'))).toEqual(['zoe:partial']);
    expect(summary(find(EXAMPLE, '56'))).toEqual([]);
  });

  it('R2: exact id, UID, e-mail and full number rank first; then names; then e-mail beginnings and last digits', () => {
    // "2671" is mom's UID (exact) and the last digits of Zoë's number (partial).
    expect(summary(find(EXAMPLE, '2671'))).toEqual(['mom:exact', 'zoe:partial']);
    expect(summary(find(EXAMPLE, 'zoe.orsted@example.COM'))).toEqual(['zoe:exact']);
    expect(summary(find(EXAMPLE, 'ZOE.O'))).toEqual(['zoe:partial']);
    expect(summary(find(EXAMPLE, 'zoe'))).toEqual(['zoe:exact']);
    expect(summary(find(EXAMPLE, 'uid-kid'))).toEqual(['kid:exact']);
  });

  it('R2: a blank query lists every client of the business by name', () => {
    expect(summary(find(EXAMPLE, '  '))).toEqual(['mom:name', 'kid:name', 'zoe:name', 'nophone:name']);
  });

  it('R2: a client with a conversation names it; one without has none', () => {
    const [zoe] = find(EXAMPLE, 'zoe ørsted');
    const [kid] = find(EXAMPLE, 'mario');
    expect(zoe?.conversationId).toBe('zoe');
    expect(kid?.conversationId).toBeNull();
  });

  it('C2: a client without a valid cell phone cannot be texted, and says why', () => {
    const [client] = find(EXAMPLE, 'zora');
    expect(client).toMatchObject({ canText: false, cellPhone: null, reason: { code: 'client-has-no-valid-cell-phone' } });
    expect(client?.reason?.message).toContain('not a valid phone number');
  });

  it('V3: a phone that opted out (whichever client said STOP) cannot be texted until START', () => {
    const stopped = foldClientFinder(EXAMPLE, [optOut(B, SHARED, true)]);
    expect(find(stopped, 'garcia').map((r) => [r.clientId, r.canText, r.reason?.code])).toEqual([
      ['mom', false, 'client-unsubscribed'],
      ['kid', false, 'client-unsubscribed'],
    ]);
    // The other business's subscriptions are its own.
    expect(find(foldClientFinder(EXAMPLE, [optOut(OTHER, ZOE_PHONE, true)]), 'zoe').map((r) => r.canText)).toEqual([true]);
    const restarted = foldClientFinder(stopped, [optOut(B, SHARED, false)]);
    expect(find(restarted, 'garcia').every((r) => r.canText)).toBe(true);
  });

  it('V3: a phone whose stream is silent falls back to the conversation\'s record, for the number it was about', () => {
    const unsubscribed = foldClientFinder(EXAMPLE, [
      envelope(conversationStream(B, ZOE), { type: 'ClientUnsubscribed', data: { source: 'keyword', keyword: 'STOP', messageId: null, at: at(3) } }),
    ]);
    expect(find(unsubscribed, 'zoe').map((r) => r.reason?.code)).toEqual(['client-unsubscribed']);
    const newNumber = foldClientFinder(unsubscribed, [profileEvent(B, 'zoe', 'Zoë Ørsted', SHARED)]);
    expect(find(newNumber, 'zoe').map((r) => r.canText)).toEqual([true]);
  });

  it('R1/B0: the same client id in a look-alike business is another client', () => {
    expect(find(EXAMPLE, 'zoe', OTHER).map((r) => r.name)).toEqual(['Zoe Elsewhere']);
    expect(find(EXAMPLE, 'zoe', must(BusinessId.is, 'acme-eu-x'))).toEqual([]);
  });

  it('R2: a limit outside 1–200, a cursor this search did not give out, or an overlong query is invalid input', () => {
    for (const query of [
      { businessId: B, query: 'z', limit: 0 },
      { businessId: B, query: 'z', limit: 201 },
      { businessId: B, query: 'z', limit: 1.5 },
      { businessId: B, query: 'z', cursor: 'not-a-cursor' },
      { businessId: B, query: 'z', cursor: Buffer.from('[3,"a","b"]').toString('base64url') },
      { businessId: B, query: 'z'.repeat(MAX_FINDER_QUERY + 1) },
    ])
      expect(findClients(EXAMPLE, query)).toMatchObject({ _tag: 'Left', left: { code: 'invalid-input' } });
  });
});

// ---------------------------------------------------------------------------------------------- scale

/**
 * Thousands of clients, so posting lists become bitsets, a rank holds more than the 2048 clients that are
 * sorted (the name order is walked instead), and chunks of the name order split and merge as clients are
 * renamed. One seeded population; the queries are generated.
 */
describe('R2 findClients at scale', () => {
  const N = 6000;
  const FIRST = ['Maria', 'Mario', 'Marie', 'José', 'Zoë', 'Ann', 'Anne-Marie', 'Łukasz', 'Mohammed', 'Wei', 'Sofía', 'Søren'];
  const LAST = ['García', 'Garcia', 'Smith', "O'Brien", 'Nowak', 'Müller', 'Nguyễn', 'Martin', 'Lee', 'Ørsted'];
  const phones = fc.sample(fc.uniqueArray(mobileArb(), { minLength: N / 2, maxLength: N / 2 }), { numRuns: 1, seed: 13 })[0] ?? [];
  let seed = 11;
  const next = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed % n;
  };
  const steps: Step[] = [];
  for (let c = 0; c < N; c += 1) {
    const name = `${pickOf(FIRST, next(FIRST.length))} ${pickOf(LAST, next(LAST.length))}`;
    steps.push({ kind: 'profile', b: 0, c, name, uid: `U${c}`, email: next(3) === 0 ? null : `${foldText(name).replace(/\W/g, '.')}${c}@example.com`, phone: next(8) === 0 ? null : next(phones.length) });
  }
  for (let i = 0; i < N / 2; i += 1) {
    const c = next(N);
    const roll = next(10);
    if (roll < 4) steps.push({ kind: 'profile', b: 0, c, name: `${pickOf(FIRST, next(FIRST.length))} Renamed`, uid: `U${c}`, email: null, phone: next(phones.length) });
    else if (roll < 7) steps.push({ kind: 'start', b: 0, c });
    else if (roll < 9) steps.push({ kind: 'phone-opt', b: 0, phone: next(phones.length), out: next(2) === 0 });
    else steps.push({ kind: 'client-opt', b: 0, c, out: true });
  }
  const w: World = { businesses: [B], clients: Array.from({ length: N }, (_, c) => must(ClientId.is, `client-${c}`)), phones, steps };
  const { log, facts } = build(w);
  const state = foldSplit(emptyClientFinder, foldClientFinder, log, [1000, 2500, 6100, 7000, 8000]);

  it.each(['', 'm', 'ma', 'mari', 'maria', 'garcia', 'g m', 'renamed', 'maria.', 'a', '12', '123', '4155'])(
    'R2: %j pages through the reference ranking',
    (query) => {
      expect(allPages(state, { businessId: B, query, limit: 200 })).toEqual(reference(facts.get(B), query));
    },
    HEAVY_TIMEOUT,
  );

  test.prop([queryArb(w), fc.integer({ min: 1, max: 120 })], { numRuns: heavyRuns(20) })(
    'R2: generated queries page through the reference ranking',
    (query, limit) => {
      expect(allPages(state, { businessId: B, query, limit })).toEqual(reference(facts.get(B), query));
    },
    HEAVY_TIMEOUT,
  );
});
