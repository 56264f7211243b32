import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import {
  BusinessId,
  ClientId,
  ConversationId,
  CountryCode,
  MAX_MEDIA_PER_MESSAGE,
  Media,
  MessageId,
  ProviderMessageId,
  StaffId,
  timestampFromMillis,
  type E164,
  type Timestamp,
} from '@message-center/core';
import { parseCellPhone } from '@message-center/core/internals';

/** Keeps only values the codec accepts, so generators never hand out something the domain would refuse as malformed. */
const branded = <A extends string>(arb: fc.Arbitrary<string>, is: (s: string) => s is A): fc.Arbitrary<A> =>
  arb.filter(is);

/** Ids come from small pools so that generated histories revisit the same clients, staff and messages. */
export const businessIdArb: fc.Arbitrary<BusinessId> = branded(fc.constantFrom('b1', 'b2', 'b3'), BusinessId.is);
export const clientIdArb: fc.Arbitrary<ClientId> = branded(fc.constantFrom('c1', 'c2', 'c3', 'c4'), ClientId.is);
export const staffIdArb: fc.Arbitrary<StaffId> = branded(fc.constantFrom('s1', 's2', 's3'), StaffId.is);
export const messageIdArb: fc.Arbitrary<MessageId> = branded(fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5', 'm6'), MessageId.is);
export const providerMessageIdArb: fc.Arbitrary<ProviderMessageId> = branded(
  fc.constantFrom('SM01', 'SM02', 'SM03', 'SM04', 'SM05', 'SM06'),
  ProviderMessageId.is,
);

/**
 * Adversarial ids (issue 11): ids every codec accepts that break naive stream-name grammars or look like
 * one another. The pools above make histories revisit the same ids; these make the ids themselves hostile.
 * Pieces: the stream separator and percent escapes ("-", "%", "%2D", "%25", "%uD800"), ":", the reserved
 * `tel:` prefix, words of stream names ("mc-", "conversation-"), unicode that normalises, folds or hides
 * (combining marks, final sigma, zero-width and right-to-left marks, U+FFFD, emoji, lone surrogate halves).
 */
const ID_PIECES: ReadonlyArray<string> = [
  '-', '--', '%', ':', '%2D', '%25', '%2d', '%uD800', 'tel:', 'tel:+1', 'mc-', 'conversation-', 'client-',
  'acme', 'eu', '7', 'b1', 'c1', 'é', 'e\u0301', 'ς', 'Σ', '\u200B', '\u202E', '\uFFFD', '😀', '\uD83D', '\uDE00',
];
const MAX_ID_LENGTH = 128;

const isIdLike = (s: string): boolean => BusinessId.is(s);

/** `n` UTF-16 units of the pieces, repeated: long ids, cut anywhere (even inside a surrogate pair). */
const longIdArb: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.constantFrom(...ID_PIECES), { minLength: 1, maxLength: 8 }), fc.integer({ min: MAX_ID_LENGTH - 8, max: MAX_ID_LENGTH }))
  .map(([pieces, n]) => {
    const unit = pieces.join('');
    return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
  });

/** Any id the codecs accept, drawn to be hostile: separators, escapes, `tel:`, unicode, up to 128 characters. */
export const adversarialIdArb: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 5, arbitrary: fc.array(fc.constantFrom(...ID_PIECES), { minLength: 1, maxLength: 8 }).map((pieces) => pieces.join('')) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }) },
    { weight: 1, arbitrary: longIdArb },
  )
  .filter(isIdLike);

/**
 * A few ids of which some are prefixes, extensions or re-splits of others: `a`, `a-b`, `a%b`, `a:b`, a
 * prefix of `a`, … (so `acme` with `eu-7` next to `acme-eu` with `7`).
 */
export const lookAlikeIdsArb: fc.Arbitrary<ReadonlyArray<string>> = fc
  .array(adversarialIdArb, { minLength: 1, maxLength: 3 })
  .chain((bases) =>
    fc
      .array(fc.tuple(fc.constantFrom(...bases), fc.constantFrom('-', '%', ':', '%2D', '-%2D', ''), fc.constantFrom(...bases), fc.nat()), { maxLength: 6 })
      .map((derived) => [
        ...bases,
        ...derived.flatMap(([a, sep, b, k]) => [`${a}${sep}${b}`.slice(0, MAX_ID_LENGTH), a.slice(0, 1 + (k % a.length)), b.slice(k % b.length)]),
      ]),
  )
  .map((ids) => [...new Set(ids.filter(isIdLike))]);

export const adversarialBusinessIdArb: fc.Arbitrary<BusinessId> = branded(adversarialIdArb, BusinessId.is);
/** ClientId refuses ids that start with `tel:` (reserved, V2); look-alikes such as `xtel:`, `tel` or `a-tel:+1` stay. */
export const adversarialClientIdArb: fc.Arbitrary<ClientId> = branded(adversarialIdArb, ClientId.is);
/** A client id, or `tel:+E164` for a number that matches no client (V2). */
export const adversarialConversationIdArb: fc.Arbitrary<ConversationId> = fc.oneof(
  { weight: 4, arbitrary: adversarialClientIdArb },
  { weight: 1, arbitrary: fc.constantFrom('US', 'GB').chain((c) => mobileOf(c)).map((p) => `tel:${p}`).filter(ConversationId.is) },
);

/** Any id the codecs accept (for codec round trips): 1–40 visible characters. */
export const anyIdArb = fc.stringMatching(/^[A-Za-z0-9_.:@-]{1,40}$/);

const START = Date.UTC(2026, 0, 1);
const END = Date.UTC(2027, 11, 31);
export const timestampArb: fc.Arbitrary<Timestamp> = fc.integer({ min: START, max: END }).map(timestampFromMillis);

/** Non-decreasing timestamps, as a clock gives them. */
export const timestampsArb = (n: number): fc.Arbitrary<ReadonlyArray<Timestamp>> =>
  fc
    .array(fc.integer({ min: 0, max: 3 * 86_400_000 }), { minLength: n, maxLength: n })
    .chain((steps) =>
      fc.integer({ min: START, max: END - n * 3 * 86_400_000 }).map((start) => {
        let t = start;
        return steps.map((s) => {
          t += s;
          return timestampFromMillis(t);
        });
      }),
    );

export const country = (code: string): CountryCode => {
  if (!CountryCode.is(code)) throw new RangeError(`not a country code: ${code}`);
  return code;
};

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));

const mobileCandidates: Record<'US' | 'CA' | 'AU' | 'GB', fc.Arbitrary<string>> = {
  US: fc.tuple(fc.constantFrom('201', '212', '310', '415', '646', '718'), fc.integer({ min: 2, max: 9 }), digits(6)).map(([a, x, r]) => `+1${a}${x}${r}`),
  CA: fc.tuple(fc.constantFrom('416', '514', '604', '613'), fc.integer({ min: 2, max: 9 }), digits(6)).map(([a, x, r]) => `+1${a}${x}${r}`),
  AU: fc.tuple(fc.constantFrom('40', '41', '42', '43', '45'), digits(7)).map(([p, r]) => `+61${p}${r}`),
  GB: fc.tuple(fc.constantFrom('740', '750', '770', '780', '790'), digits(7)).map(([p, r]) => `+44${p}${r}`),
};

/** A valid cell phone (C2) of one of the Message Center countries, in E.164. */
export const mobileArb = (c?: 'US' | 'CA' | 'AU' | 'GB'): fc.Arbitrary<E164> =>
  (c === undefined ? fc.oneof(...(['US', 'CA', 'AU', 'GB'] as const).map(mobileOf)) : mobileOf(c));

// Some +44 7… ranges belong to Jersey, Guernsey or the Isle of Man: keep only numbers of the asked region.
const mobileOf = (c: 'US' | 'CA' | 'AU' | 'GB'): fc.Arbitrary<E164> =>
  mobileCandidates[c]
    .map((raw) => {
      const parsed = parseCellPhone(raw);
      return E.isRight(parsed) && parsed.right.country === c ? parsed.right.e164 : null;
    })
    .filter((p): p is E164 => p !== null);

/** The same number as people write it: national or international, spaces, dots, dashes, brackets. */
export const formattingsOf = (e164: E164): fc.Arbitrary<string> => {
  const national = e164.startsWith('+1') ? e164.slice(2) : e164.startsWith('+44') ? `0${e164.slice(3)}` : e164.startsWith('+61') ? `0${e164.slice(3)}` : e164;
  const groups = (s: string, sep: string) => s.replace(/(\d{3})(?=\d)/g, `$1${sep}`);
  return fc.constantFrom(
    e164,
    national,
    groups(national, ' '),
    groups(national, '-'),
    groups(national, '.'),
    e164.startsWith('+1') ? `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}` : groups(e164, ' '),
    ` ${e164} `,
  );
};

const hexArb = (n: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });

/** V2 (issue 13): an MMS file as Twilio describes it (its media URL), or any absolute http(s) URL, with a MIME type. */
export const mediaArb: fc.Arbitrary<Media> = fc
  .record({
    url: fc.oneof(
      fc
        .tuple(hexArb(32), hexArb(32), hexArb(32))
        .map(([account, message, media]) => `https://api.twilio.com/2010-04-01/Accounts/AC${account}/Messages/MM${message}/Media/ME${media}`),
      fc.webUrl({ validSchemes: ['https', 'http'], withQueryParameters: true }),
    ),
    contentType: fc.constantFrom<string>('image/jpeg', 'image/png', 'image/gif', 'IMAGE/HEIC', 'image/svg+xml', 'video/mp4', 'audio/amr', 'text/vcard', 'application/pdf'),
  })
  .filter(Media.is);

/** The media of one message: 0 to 10 files (Twilio's limit), by default. */
export const mediaListArb = (maxLength: number = MAX_MEDIA_PER_MESSAGE): fc.Arbitrary<ReadonlyArray<Media>> => fc.array(mediaArb, { maxLength });
