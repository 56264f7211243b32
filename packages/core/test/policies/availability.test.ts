import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import {
  GB_NUMBER_COUNTRIES,
  MESSAGE_CENTER_COUNTRIES,
  allowedNumberCountries,
  checkAvailability,
  describeAvailabilityProblem,
} from '../../src/domain/policies/availability.js';

const MC = ['US', 'CA', 'AU', 'GB'];
const GB_ONLY = ['IE', 'IM', 'JE', 'GG'];
const LISTED = [...MC, ...GB_ONLY];

/** The B1 truth table written out directly: may a business in `business` use a number of `number`? */
const oracle = (business: string, number: string | null): 'ok' | 'country' | 'number' => {
  if (!MC.includes(business) && !GB_ONLY.includes(business)) return 'country';
  if (number === null) return 'number';
  if (MC.includes(business)) return MC.includes(number) ? 'ok' : 'number';
  return number === 'GB' ? 'ok' : 'number';
};

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALL_CODES = [...LETTERS].flatMap((a) => [...LETTERS].map((b) => a + b));

const letter = fc.constantFrom(...LETTERS, ...LETTERS.toLowerCase());
const twoLetterCode = fc.oneof(
  fc.constantFrom(...LISTED),
  fc.constantFrom(...LISTED).map((c) => c.toLowerCase()),
  fc.tuple(letter, letter).map(([a, b]) => a + b),
);
const numberCountry = fc.option(fc.oneof(twoLetterCode, fc.constantFrom('', 'GBR', '001', 'XK')), { nil: null });

const check = (business: string, number: string | null): void => {
  const problem = checkAvailability(business, number);
  switch (oracle(business, number)) {
    case 'ok':
      expect(problem).toBeNull();
      break;
    case 'country':
      expect(problem).toEqual({ kind: 'country-not-supported', country: business });
      break;
    case 'number':
      expect(problem).toEqual({
        kind: 'number-country-not-allowed',
        businessCountry: business,
        numberCountry: number,
        allowed: MC.includes(business) ? MC : ['GB'],
      });
      break;
  }
};

describe('availability', () => {
  test('B1 the country lists', () => {
    expect(MESSAGE_CENTER_COUNTRIES).toEqual(MC);
    expect(GB_NUMBER_COUNTRIES).toEqual(GB_ONLY);
  });

  // Exhaustive tables: disagreements are collected and asserted once, so ten thousand cases cost one expect.
  const agrees = (business: string, number: string | null): boolean => {
    const problem = checkAvailability(business, number);
    switch (oracle(business, number)) {
      case 'ok':
        return problem === null;
      case 'country':
        return problem?.kind === 'country-not-supported' && problem.country === business;
      case 'number':
        return problem?.kind === 'number-country-not-allowed' && problem.businessCountry === business && problem.numberCountry === number;
    }
  };
  const disagreements = (pairs: ReadonlyArray<readonly [string, string | null]>): ReadonlyArray<string> =>
    pairs.filter(([business, number]) => !agrees(business, number)).map(([b, n]) => `${b}/${n ?? 'null'}`);

  test('B1 every two-letter business country against every listed number country and null', () => {
    const pairs = ALL_CODES.flatMap((business) => [...LISTED, null, 'FR', 'NZ'].map((number) => [business, number] as const));
    expect(disagreements(pairs)).toEqual([]);
  });

  test('B1 every listed business country against every two-letter number country', () => {
    const pairs = LISTED.flatMap((business) => ALL_CODES.map((number) => [business, number] as const));
    expect(disagreements(pairs)).toEqual([]);
  });

  test.prop([twoLetterCode, numberCountry])('B1 follows the truth table for any business and number country', (business, number) => {
    check(business, number);
  });

  test.prop([twoLetterCode])('B1 allowedNumberCountries agrees with checkAvailability', (business) => {
    const allowed = allowedNumberCountries(business);
    if (allowed === null) expect(checkAvailability(business, 'GB')).toEqual({ kind: 'country-not-supported', country: business });
    else for (const number of LISTED) expect(checkAvailability(business, number) === null).toBe(allowed.some((c) => c === number));
  });

  test('B1 examples, with a clear message', () => {
    expect(checkAvailability('IE', 'GB')).toBeNull();
    expect(checkAvailability('JE', 'JE')).toMatchObject({ kind: 'number-country-not-allowed', allowed: ['GB'] });
    expect(checkAvailability('GB', 'IM')).toMatchObject({ kind: 'number-country-not-allowed', allowed: MC });
    expect(checkAvailability('AU', 'US')).toBeNull();
    expect(checkAvailability('us', 'US')).toEqual({ kind: 'country-not-supported', country: 'us' });
    expect(describeAvailabilityProblem({ kind: 'country-not-supported', country: 'FR' })).toBe(
      'Message Center is not available to businesses in FR; it is available in US, CA, AU, GB (and in IE, IM, JE, GG with a GB number)',
    );
    expect(describeAvailabilityProblem({ kind: 'number-country-not-allowed', businessCountry: 'IE', numberCountry: null, allowed: ['GB'] })).toBe(
      'a business in IE needs a number from GB, but this number is from an unknown region',
    );
  });
});
