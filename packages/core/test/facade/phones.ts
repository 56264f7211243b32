/**
 * Phone numbers for B1/B2/C2 properties: valid numbers labelled with the region they belong to (checked
 * against libphonenumber when generated), landlines, garbage, and the formattings people write them in.
 */
import { fc } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { type CountryCode, type E164 } from '@message-center/core';
import { parsePhone } from '@message-center/core/internals';
import { country, formattingsOf, mobileArb } from '@message-center/testing';

export const MC_COUNTRIES = ['US', 'CA', 'AU', 'GB'] as const;
export const GB_NUMBER_COUNTRIES = ['IE', 'IM', 'JE', 'GG'] as const;
export const OTHER_COUNTRIES = ['FR', 'DE', 'NZ', 'IN', 'MX', 'ES', 'ZA', 'XX'] as const;

export type McCountry = (typeof MC_COUNTRIES)[number];

export interface LabelledNumber {
  readonly e164: E164;
  /** The region the number was built in (and that libphonenumber assigns to it). */
  readonly region: string;
  readonly type: string | null;
}

const digits = (n: number): fc.Arbitrary<string> =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));

/** Keeps the candidates libphonenumber accepts as numbers of exactly that region. */
const labelled = (region: string, candidate: fc.Arbitrary<string>, type?: string): fc.Arbitrary<LabelledNumber> =>
  candidate
    .map((raw): LabelledNumber | null => {
      const parsed = parsePhone(raw);
      if (E.isLeft(parsed) || parsed.right.country !== region) return null;
      if (type !== undefined && parsed.right.type !== type) return null;
      return { e164: parsed.right.e164, region, type: parsed.right.type };
    })
    .filter((n): n is LabelledNumber => n !== null);

/**
 * A cell phone of one Message Center country, labelled with the region libphonenumber gives it. The kit's
 * `mobileArb('GB')` also yields Crown Dependency numbers (+44 7509… is Jersey, +44 7911… Guernsey), which are
 * not GB numbers for B1, so the region is checked here rather than assumed.
 */
export const mcMobileArb = (region: McCountry): fc.Arbitrary<LabelledNumber> =>
  mobileArb(region)
    .map((e164): LabelledNumber | null => {
      const parsed = parsePhone(e164);
      return E.isRight(parsed) && parsed.right.country === region ? { e164, region, type: parsed.right.type } : null;
    })
    .filter((n): n is LabelledNumber => n !== null);

/** Valid numbers of countries whose numbers no business may use (the Crown Dependencies are not GB). */
export const foreignNumberArb: fc.Arbitrary<LabelledNumber> = fc.oneof(
  labelled('JE', digits(6).map((d) => `+447797${d}`)),
  labelled('IM', digits(6).map((d) => `+447624${d}`)),
  labelled('GG', digits(6).map((d) => `+447781${d}`)),
  labelled('IE', digits(7).map((d) => `+35385${d}`)),
  labelled('FR', digits(8).map((d) => `+336${d}`)),
  labelled('NZ', digits(7).map((d) => `+6421${d}`)),
  labelled('IN', digits(9).map((d) => `+919${d}`)),
  labelled('DE', digits(8).map((d) => `+49151${d}`)),
);

/** Fixed lines (FIXED_LINE, not FIXED_LINE_OR_MOBILE) of GB and AU: valid numbers that are no cell phone. */
export const landlineArb: fc.Arbitrary<LabelledNumber> = fc.oneof(
  labelled('GB', digits(4).map((d) => `+44207946${d}`), 'FIXED_LINE'),
  labelled('AU', digits(8).map((d) => `+612${d}`), 'FIXED_LINE'),
);

/** Text that is no valid phone number in any country. */
export const garbagePhoneArb: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom('', '   ', 'abc', '12', '+1 201 555', '+999 1234 5678', 'call me', '+44 20', '0000000000000000000'),
    fc.stringMatching(/^[a-z ]{1,12}$/),
  )
  .filter((raw) => E.isLeft(parsePhone(raw, country('US'))) && E.isLeft(parsePhone(raw, country('GB'))) && E.isLeft(parsePhone(raw, country('AU'))));

const CALLING_CODE: Readonly<Record<string, string>> = {
  US: '1', CA: '1', GB: '44', IM: '44', JE: '44', GG: '44', AU: '61', IE: '353', FR: '33', NZ: '64', IN: '91', DE: '49', MX: '52', ES: '34', ZA: '27',
};

export const callingCodeOf = (region: string): string | undefined => CALLING_CODE[region];

/**
 * The number as someone in `readIn` would write it: any formatting (`formattingsOf`) when `readIn` shares the
 * number's calling code, so a national format means the same number there; otherwise only the
 * international ones (a national format would rightly be read as a number of `readIn`).
 */
export const writtenIn = (n: LabelledNumber, readIn: string): fc.Arbitrary<string> => {
  const shared = callingCodeOf(readIn) !== undefined && callingCodeOf(readIn) === callingCodeOf(n.region);
  return formattingsOf(n.e164).filter((s) => shared || s.trim().startsWith('+'));
};

export const countryCode = (code: string): CountryCode => country(code);
