import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { CountryCode } from '../../domain/values/country.js';
import type { E164 } from '../../domain/values/phone-number.js';

/**
 * Issue 13, seed 002: the numbers a business may text from. "You must select one of the numbers suggested
 * by the system. You can't use your business phone number or any personal number for this purpose. If you
 * previously set up a number for 2-way SMS, you don't have to set up a new number." The provider's account
 * is behind this port: Twilio in production (`@message-center/twilio`), `createInMemoryNumberProvisioning`
 * for the embedded default, examples and tests.
 */
export interface NumberProvisioning {
  /** Local numbers the account could take, for a business in `country`, near `areaCode` when given. */
  readonly suggest: (query: SuggestNumbersQuery) => TE.TaskEither<ProvisioningError, ReadonlyArray<SuggestedNumber>>;
  /** The account's own number, or null when the account does not hold it (looked up, nothing bought). */
  readonly lookUp: (number: E164) => TE.TaskEither<ProvisioningError, AccountNumber | null>;
  /**
   * Takes a number into the account (with Twilio: buys it and points its SMS webhook at the host). A number
   * the account already holds is answered as it is, so a retried enable does not buy twice.
   */
  readonly acquire: (number: E164) => TE.TaskEither<ProvisioningError, AccountNumber>;
}

export interface SuggestNumbersQuery {
  readonly country: CountryCode;
  /** A local area code (US/CA: three digits), or null for anywhere in the country. */
  readonly areaCode: string | null;
  /** At most this many (1–50). */
  readonly limit: number;
}

export interface SuggestedNumber {
  readonly number: E164;
  readonly locality: string | null;
  readonly region: string | null;
}

/** A number the account holds; `sms`: it can send and receive SMS (two-way). */
export interface AccountNumber {
  readonly number: E164;
  readonly sms: boolean;
}

/** Why the provider could not answer. Never carries credentials. */
export type ProvisioningError =
  /** The provider could not be reached or failed; trying again later may work. */
  | { readonly code: 'provisioning-unavailable'; readonly message: string }
  /** The provider refused: the number was taken meanwhile, the account may not buy it (address, bundle), … */
  | { readonly code: 'provisioning-refused'; readonly message: string };
