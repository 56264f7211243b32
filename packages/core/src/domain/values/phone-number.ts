import * as t from 'io-ts';
import * as E from 'fp-ts/lib/Either.js';
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { CountryCode } from './country.js';
import { boundedMemo } from '../collections/bounded-memo.js';

/**
 * A phone number in E.164 form (`+14155552671`) that libphonenumber (full metadata) accepts as a valid
 * number. Only canonical E.164 passes the codec, so two equal numbers are always equal strings.
 */
export interface E164Brand {
  readonly E164: unique symbol;
}
const isValidE164 = (s: string): boolean => {
  if (!/^\+[1-9]\d{6,14}$/.test(s)) return false;
  const parsed = parsePhoneNumberFromString(s);
  return parsed !== undefined && parsed.isValid() && parsed.number === s;
};

// Every stored event's numbers are checked again when it is decoded, and libphonenumber's check is the
// costliest step of decoding; a business sees few distinct numbers, so the (pure) answer is remembered.
const memoizedIsValidE164 = boundedMemo(50_000, isValidE164);

export const E164 = t.brand(t.string, (s): s is t.Branded<string, E164Brand> => memoizedIsValidE164(s), 'E164');
export type E164 = t.TypeOf<typeof E164>;

export type PhoneProblem =
  | { readonly kind: 'missing' }
  | { readonly kind: 'unparseable' }
  | { readonly kind: 'invalid-number' }
  | { readonly kind: 'not-a-mobile-number'; readonly numberType: string };

export interface ParsedPhone {
  readonly e164: E164;
  /** The region libphonenumber assigns (`GB`, `IM`, `JE`… are distinct even though they share +44). */
  readonly country: CountryCode | null;
  readonly type: string | null;
}

const toCountry = (c: string | undefined): CountryCode | null => (c !== undefined && CountryCode.is(c) ? c : null);

/**
 * Parses a number in any human formatting (`(415) 555-2671`, `0412 345 678`, `+44 7400 123456`),
 * reading national formats in `defaultCountry`.
 */
export const parsePhone = (raw: string, defaultCountry?: CountryCode): E.Either<PhoneProblem, ParsedPhone> =>
  // Every inbound message parses its two numbers (issue 14: ~10 µs each), and a business hears from the same
  // numbers again and again; the answer is a pure function of the text and the region, so it is remembered.
  rememberedParse(`${defaultCountry ?? ''} ${raw}`);

const rememberedParse = boundedMemo(50_000, (key: string): E.Either<PhoneProblem, ParsedPhone> => {
  const space = key.indexOf(' ');
  const region = key.slice(0, space);
  // Shared by every caller asking the same: frozen, Left payloads included.
  const answer = parseNow(key.slice(space + 1), CountryCode.is(region) ? region : undefined);
  return Object.freeze(E.isLeft(answer) ? E.left(Object.freeze(answer.left)) : answer);
});

const parseNow = (raw: string, defaultCountry: CountryCode | undefined): E.Either<PhoneProblem, ParsedPhone> => {
  const input = raw.trim();
  if (input === '') return E.left({ kind: 'missing' });
  const region = defaultCountry !== undefined && isSupportedCountry(defaultCountry) ? defaultCountry : undefined;
  const parsed = parsePhoneNumberFromString(input, region);
  if (parsed === undefined) return E.left({ kind: 'unparseable' });
  if (!parsed.isValid()) return E.left({ kind: 'invalid-number' });
  const e164 = parsed.number;
  if (!E164.is(e164)) return E.left({ kind: 'invalid-number' });
  return E.right(Object.freeze({ e164, country: toCountry(parsed.country), type: parsed.getType() ?? null }));
};

// A US/CA number cannot be told apart as mobile or landline from its digits alone
// (FIXED_LINE_OR_MOBILE); it is accepted, and a landline is caught by Twilio's 21614 on send.
const CELL_TYPES = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/** C2: a client's cell phone — a valid number whose type can be a mobile. */
export const parseCellPhone = (raw: string, defaultCountry?: CountryCode): E.Either<PhoneProblem, ParsedPhone> =>
  E.chain((p: ParsedPhone): E.Either<PhoneProblem, ParsedPhone> =>
    p.type !== null && CELL_TYPES.has(p.type) ? E.right(p) : E.left({ kind: 'not-a-mobile-number', numberType: p.type ?? 'UNKNOWN' }),
  )(parsePhone(raw, defaultCountry));

export const describePhoneProblem = (p: PhoneProblem): string => {
  switch (p.kind) {
    case 'missing':
      return 'no phone number was given';
    case 'unparseable':
      return 'the text is not a phone number';
    case 'invalid-number':
      return 'the number is not a valid phone number';
    case 'not-a-mobile-number':
      return `the number is not a mobile number (${p.numberType})`;
  }
};
