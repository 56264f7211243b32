/**
 * R2's tests: histories whose clients and messages have words worth searching (accents, letters core folds by
 * hand, full-width and superscript characters, e-mail addresses, long tokens cut at MAX_WORD, NUL, lone
 * surrogates, SQL's pattern characters), numbers of several countries, and search texts drawn from them as a
 * user types them: prefixes in any case and with accents, phone numbers in any format, junk and hostile text.
 */
import { fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import type { MessageCenterError } from '@message-center/core';
import { BUSINESSES, type World } from './histories.js';

/** The business numbers of histories.ts (b1, b-2). */
const BUSINESS_NUMBERS = ['+12015550123', '+12015550124'];

/** Client ids with what an id may hold: accents, a lone surrogate, an astral letter, a quote. */
export const SEARCH_CLIENTS = ['Zoë', 'x\uD800y', '𠀀id', "o'brien-7"];

/** Profiles a client of the search histories is recorded with (again and again: the old words must go). */
export const SEARCH_PROFILES: ReadonlyArray<{ readonly name: string; readonly email: string | null; readonly uid: string; readonly phone: number | null }> = [
  { name: 'Zoë Ørsted', email: 'zoe.orsted@example.com', uid: 'ZO-100234', phone: 0 },
  { name: "Seán O'Brien-Smith", email: 'sean+news@exämple.ie', uid: 'UID_42', phone: 1 },
  { name: 'Straße Łukasz Þór ıkıl Œuvre', email: null, uid: '', phone: 3 },
  { name: 'Ｆｕｌｌ Ｗｉｄｔｈ ² ① ﬁne İstanbul', email: 'FULL@WIDTH.example', uid: 'Ⅻ-12', phone: null },
  { name: `nul\u0000name lone\uD800surrogate ${'a'.repeat(31)}𠀀tail`, email: `%_\\'"@x.y`, uid: '100%_done', phone: 4 },
  { name: 'Jane Doe', email: 'jane.doe@example.com', uid: 'jd', phone: 2 },
];

/** Numbers by country code and national number, so a search can write them nationally. */
export const SEARCH_PHONES: ReadonlyArray<{ readonly cc: string; readonly national: string }> = [
  { cc: '44', national: '7400123456' },
  { cc: '33', national: '612345678' },
  { cc: '1', national: '4155552671' },
  { cc: '49', national: '15112345678' },
  { cc: '1', national: '3125550147' },
  // histories.ts's numbers.
  { cc: '1', national: '6465550142' },
  { cc: '1', national: '2125551234' },
  { cc: '1', national: '4155550212' },
];

const e164 = (p: { readonly cc: string; readonly national: string }): string => `+${p.cc}${p.national}`;

export const SEARCH_BODIES = [
  'Merci beaucoup, à bientôt',
  "L'été est là: café CAFÉ Café",
  'https://example.com/a/very/long/path?token=abcdefghijklmnopqrstuvwxyz0123456789ABCDEF',
  `100% sure_thing \\ "quoted" 'single'`,
  `nul \u0000 and a lone \uD83D surrogate ${'b'.repeat(31)}𠀀x`,
  'Call me at (415) 555-2671 or 07400 123456',
  'ǲemal ﬁnally ² ① Ｗｉｄｅ',
  'See you at 10',
];

/** Provider message ids never repeat within the test run (a repeated one is a duplicate delivery). */
let received = 0;

export type SearchStep =
  | { readonly kind: 'profile'; readonly business: number; readonly client: number; readonly profile: number }
  | { readonly kind: 'inbound'; readonly business: number; readonly phone: number; readonly body: number }
  | { readonly kind: 'send'; readonly business: number; readonly client: number; readonly body: number };

const business = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(1) });

export const searchStepArb: fc.Arbitrary<SearchStep> = fc.oneof(
  fc.record({ kind: fc.constant('profile' as const), business, client: fc.nat({ max: SEARCH_CLIENTS.length - 1 }), profile: fc.nat({ max: SEARCH_PROFILES.length - 1 }) }),
  fc.record({ kind: fc.constant('inbound' as const), business, phone: fc.nat({ max: SEARCH_PHONES.length - 1 }), body: fc.nat({ max: SEARCH_BODIES.length - 1 }) }),
  fc.record({ kind: fc.constant('send' as const), business, client: fc.nat({ max: SEARCH_CLIENTS.length - 1 }), body: fc.nat({ max: SEARCH_BODIES.length - 1 }) }),
);

/** Every search client recorded in b1 (so each history has them), then the generated steps. */
export const searchStepsArb: fc.Arbitrary<ReadonlyArray<SearchStep>> = fc
  .array(searchStepArb, { minLength: 4, maxLength: 14 })
  .map((steps) => [...SEARCH_CLIENTS.map((_, client): SearchStep => ({ kind: 'profile', business: 0, client, profile: client })), ...steps]);

/** Plays search steps on a world of histories.ts (refusals are part of the history; a defect throws). */
export const playSearch = async (world: World, steps: ReadonlyArray<SearchStep>): Promise<void> => {
  const run = async (task: () => Promise<E.Either<MessageCenterError, unknown>>): Promise<void> => {
    const outcome = await task();
    if (E.isLeft(outcome) && (outcome.left.code === 'internal-error' || outcome.left.code === 'store-unavailable')) throw new Error(`search step failed: ${outcome.left.message}`);
  };
  for (const s of steps) {
    const businessId = BUSINESSES[s.business];
    if (businessId === undefined) throw new Error(`no business ${s.business}`);
    const clientId = 'client' in s ? (SEARCH_CLIENTS[s.client] ?? 'Zoë') : 'Zoë';
    switch (s.kind) {
      case 'profile': {
        const profile = SEARCH_PROFILES[s.profile] ?? SEARCH_PROFILES[0];
        const phone = profile?.phone == null ? undefined : SEARCH_PHONES[profile.phone];
        await run(
          world.mc.recordClient({
            businessId,
            actor: { kind: 'host', businessId },
            clientId,
            uid: profile?.uid ?? '',
            name: profile?.name ?? '',
            email: profile?.email ?? null,
            cellPhone: phone === undefined ? null : e164(phone),
          }),
        );
        break;
      }
      case 'inbound':
        received += 1;
        await run(
          world.mc.receiveInbound({
            to: BUSINESS_NUMBERS[s.business] ?? '',
            from: e164(SEARCH_PHONES[s.phone] ?? { cc: '1', national: '4155552671' }),
            body: SEARCH_BODIES[s.body] ?? 'Hi',
            providerMessageId: `SMsearch${received}`,
          }),
        );
        break;
      case 'send':
        await run(world.mc.sendMessage({ businessId, actor: { kind: 'automation', businessId, name: 'reminders' }, clientId, body: SEARCH_BODIES[s.body] ?? 'Hi' }));
        break;
    }
  }
};

// ------------------------------------------------------------------------------------------------ search texts

/** Where a search text came from, so that a test can count what its searches found. */
export type SearchKind = 'profile' | 'words' | 'message' | 'phone' | 'last-four' | 'junk' | 'hostile';

export interface SearchText {
  readonly kind: SearchKind;
  readonly text: string;
}

/** What a person types when they search for someone: names, e-mails, UIDs, ids (these and histories.ts's). */
const PROFILE_TEXTS = [...SEARCH_PROFILES.flatMap((p) => [p.name, p.email ?? '', p.uid]), ...SEARCH_CLIENTS, 'Client 0', 'Client 2', 'U-1', 'c1', 'c-3'].filter((t) => t !== '');
const MESSAGE_TEXTS = [...SEARCH_BODIES, 'Hi', 'Merci beaucoup', 'STOP', 'start'];

/** Letters written another way that core folds to the same: case, accents, a letter core folds by hand. */
const VARIANTS: Readonly<Record<string, ReadonlyArray<string>>> = {
  a: ['A', 'á', 'À', 'a\u0301'],
  e: ['E', 'é', 'Ê', 'e\u0308'],
  o: ['O', 'ö', 'Ø', 'ø'],
  u: ['U', 'ü', 'Ú'],
  i: ['I', 'ı', 'Í'],
  c: ['C', 'ç'],
  n: ['N', 'ñ'],
  l: ['L', 'ł'],
  s: ['S', 'ś'],
};

const decorate = (text: string, choices: ReadonlyArray<number>): string =>
  [...text]
    .map((ch, i) => {
      const choice = choices[i % Math.max(1, choices.length)] ?? 0;
      const variants = VARIANTS[ch.toLowerCase()];
      if (choice === 0 || variants === undefined) return choice === 1 ? ch.toUpperCase() : ch;
      return variants[choice % variants.length] ?? ch;
    })
    .join('');

const WHITE = /\s+/u;

/** A prefix of the text's `word`-th white-space word, after the whole words before it from `from` (a multi-word search). */
const typedFrom = (text: string, word: number, from: number, length: number, choices: ReadonlyArray<number>): string => {
  const words = text.split(WHITE).filter((w) => w !== '');
  if (words.length === 0) return text;
  const last = word % words.length;
  const first = Math.min(last, from % (last + 1));
  const typed = words[last] ?? '';
  return decorate([...words.slice(first, last), typed.slice(0, 1 + (length % typed.length))].join(' '), choices);
};

const typedArb = (texts: ReadonlyArray<string>, kind: SearchKind): fc.Arbitrary<SearchText> =>
  fc
    .tuple(fc.constantFrom(...texts), fc.nat(), fc.nat(), fc.nat(), fc.array(fc.nat({ max: 4 }), { maxLength: 12 }), fc.constantFrom('', ' ', '  ', '\t'))
    .map(([text, word, from, length, choices, pad]) => ({ kind, text: `${pad}${typedFrom(text, word, from, length, choices)}${pad}` }));

/** Several words of a name (the last one partly typed), in their order or not, or words of a name and of a message. */
const wordsArb: fc.Arbitrary<SearchText> = fc
  .tuple(
    fc.constantFrom(...PROFILE_TEXTS.filter((t) => WHITE.test(t.trim()))),
    // Half the time no message word: a name and a message word of the same conversation are rare, and the
    // test counts what the words found (one run in a few found nothing at all).
    fc.oneof(fc.constant(''), fc.constantFrom(...MESSAGE_TEXTS)),
    fc.nat(),
    fc.nat(),
    fc.array(fc.nat({ max: 4 }), { maxLength: 12 }),
    fc.boolean(),
  )
  .map(([name, message, word, length, choices, reversed]) => {
    const words = name.split(WHITE).filter((w) => w !== '');
    const typed = typedFrom(name, Math.max(1, word % words.length), 0, length, choices).split(' ');
    const extra = message.split(WHITE)[word % 3] ?? '';
    return { kind: 'words', text: [...(reversed ? typed.reverse() : typed), extra].join(' ') };
  });

/** A number as people write it: E.164, spaced, national with its trunk 0, international 00, parentheses, a run of its digits. */
const phoneArb: fc.Arbitrary<SearchText> = fc
  .tuple(fc.constantFrom(...SEARCH_PHONES), fc.nat({ max: 7 }), fc.nat(), fc.integer({ min: 3, max: 9 }))
  .map(([{ cc, national: n }, format, start, length]) => {
    const all = `${cc}${n}`;
    const from = start % Math.max(1, all.length - 2);
    const texts = [
      `+${cc}${n}`,
      `+${cc} ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`,
      `0${n}`,
      `0${n.slice(0, 4)} ${n.slice(4)}`,
      `00${cc}${n}`,
      `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`,
      `${n.slice(-7, -4)}-${n.slice(-4)}`,
      all.slice(from, from + length),
    ];
    return { kind: 'phone', text: texts[format] ?? all };
  });

/** The last four digits (and with a leading 0, a fragment whose zero is a digit, not a trunk prefix). */
const lastFourArb: fc.Arbitrary<SearchText> = fc
  .tuple(fc.constantFrom(...SEARCH_PHONES), fc.boolean())
  .map(([{ national }, zero]) => ({ kind: 'last-four', text: zero ? `0${national.slice(-3)}` : national.slice(-4) }));

/** Text SQL might read as something else, and what PostgreSQL's `text` cannot hold. */
export const HOSTILE_SEARCHES: ReadonlyArray<string> = [
  '\u0000',
  'zo\u0000e',
  'nul\u0000name',
  '\uD800',
  'x\uD800',
  'x\uD800y',
  'lone\uD800',
  '\uD83D',
  '𠀀',
  `${'a'.repeat(31)}𠀀`,
  // Cut at MAX_WORD inside another astral letter: a lone surrogate other than the name's.
  `${'a'.repeat(31)}𤭢`,
  `${'b'.repeat(31)}𠀀x`,
  'b'.repeat(40),
  '%',
  '_',
  '\\',
  "'",
  '"',
  '%%',
  'a%',
  '%e',
  '_o',
  'o_b',
  '100%',
  '100%_',
  '%2671',
  '2_71',
  '26%1',
  "o'b",
  "o''b",
  '"quoted',
  '\\\\',
  'sure_',
  '*',
  '.*',
  '[a-z]',
  '0000',
  '+',
  '()',
  '-',
  '   ',
  '',
  '²',
  '①',
  'ﬁ',
  'ǳ',
  'ss',
  'istanbul',
  'oeuvre',
];

const junkArb: fc.Arbitrary<SearchText> = fc.oneof(
  fc.string({ maxLength: 6 }).map((text) => ({ kind: 'junk' as const, text })),
  fc.string({ unit: 'binary', maxLength: 5 }).map((text) => ({ kind: 'junk' as const, text })),
  fc.stringMatching(/^[\d\s().+\-/]{0,12}$/).map((text) => ({ kind: 'junk' as const, text })),
);

const hostileArb: fc.Arbitrary<SearchText> = fc
  .tuple(fc.constantFrom(...HOSTILE_SEARCHES), fc.constantFrom('', 'zo', 'Jane ', '415', 'b'))
  .map(([hostile, before]) => ({ kind: 'hostile', text: `${before}${hostile}` }));

/** A search text as the tests draw them (at most 200 characters, the facade's limit). */
export const searchTextArb: fc.Arbitrary<SearchText> = fc.oneof(
  { weight: 3, arbitrary: typedArb(PROFILE_TEXTS, 'profile') },
  { weight: 2, arbitrary: wordsArb },
  { weight: 2, arbitrary: typedArb(MESSAGE_TEXTS, 'message') },
  { weight: 3, arbitrary: phoneArb },
  { weight: 2, arbitrary: lastFourArb },
  { weight: 1, arbitrary: junkArb },
  { weight: 2, arbitrary: hostileArb },
);
