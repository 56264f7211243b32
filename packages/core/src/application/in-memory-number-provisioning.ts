/**
 * The embedded number provisioning (issue 13): a provider account in memory, the facade's default. It
 * holds the numbers it is given (none by default), takes in the numbers it suggested when a business
 * chooses one, and suggests fictional-looking local numbers of the country (US/CA: 555-01xx in the area
 * code), never one it holds. `account: 'any'` stands for an account holding every valid number.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { CountryCode } from '../domain/values/country.js';
import { parsePhone, type E164 } from '../domain/values/phone-number.js';
import type { AccountNumber, NumberProvisioning, SuggestedNumber } from './ports/number-provisioning.js';

export interface InMemoryNumberProvisioningOptions {
  /**
   * The numbers the account holds for two-way SMS, in any formatting (national ones read in `country`);
   * none by default. `'any'`: an account that holds every valid number (tests that are not about numbers).
   */
  readonly account?: ReadonlyArray<string> | 'any';
  /** Where national numbers of `account` are read (e.g. `US` for `(415) 555-0100`). */
  readonly country?: string;
}

export interface InMemoryNumberProvisioning extends NumberProvisioning {
  /** The numbers taken into the account so far (`acquire`), in order. */
  readonly acquired: () => ReadonlyArray<E164>;
}

/** The local numbers of a country the in-memory account suggests from, by area code. */
const candidates = (country: CountryCode, areaCode: string | null): ReadonlyArray<string> => {
  const range = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
  switch (country) {
    case 'US':
      return range.map((n) => `+1${areaCode ?? '201'}55501${n}`);
    case 'CA':
      return range.map((n) => `+1${areaCode ?? '416'}55501${n}`);
    case 'AU':
      return range.map((n) => `+61491570${n.padStart(3, '1')}`);
    case 'GB':
      return range.map((n) => `+4474001234${n}`);
    default:
      return [];
  }
};

export const createInMemoryNumberProvisioning = (options: InMemoryNumberProvisioningOptions = {}): InMemoryNumberProvisioning => {
  const anyNumber = options.account === 'any';
  const held = new Set<E164>();
  if (options.account !== undefined && options.account !== 'any')
    for (const raw of options.account) {
      const parsed = parsePhone(raw, options.country !== undefined && CountryCode.is(options.country) ? options.country : undefined);
      if (E.isLeft(parsed)) throw new RangeError(`createInMemoryNumberProvisioning: ${JSON.stringify(raw)} is not a valid phone number`);
      held.add(parsed.right.e164);
    }
  const acquired: E164[] = [];
  const holds = (number: E164): boolean => anyNumber || held.has(number);
  return {
    suggest: ({ country, areaCode, limit }) => {
      const found: SuggestedNumber[] = [];
      for (const raw of candidates(country, areaCode)) {
        if (found.length >= limit) break;
        const parsed = parsePhone(raw);
        if (E.isRight(parsed) && parsed.right.country === country && !held.has(parsed.right.e164)) found.push({ number: parsed.right.e164, locality: null, region: null });
      }
      return TE.right(found);
    },
    lookUp: (number) => TE.right<never, AccountNumber | null>(holds(number) ? { number, sms: true } : null),
    acquire: (number) => {
      if (!holds(number)) {
        held.add(number);
        acquired.push(number);
      }
      return TE.right({ number, sms: true });
    },
    acquired: () => [...acquired],
  };
};
