/**
 * Issue 13, seed 002: texting clients in other countries is allowed, "however, you may not receive incoming
 * SMS messages from clients if they use a number from a different country than where your business is
 * located". A send to such a number succeeds and says so, so staff know a reply may never arrive.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { CountryCode } from '../values/country.js';
import { parsePhone, type E164 } from '../values/phone-number.js';

export interface InternationalNotice {
  /** The region of the client's number (null when the phone library names none). */
  readonly phoneCountry: CountryCode | null;
  /** Where the business is located (B1). */
  readonly businessCountry: CountryCode;
  readonly notice: string;
}

/** The notice for a number outside the business's country, or null for a number of that country. */
export const internationalNotice = (phone: E164, businessCountry: CountryCode): InternationalNotice | null => {
  const parsed = parsePhone(phone);
  const phoneCountry = E.isRight(parsed) ? parsed.right.country : null;
  if (phoneCountry === businessCountry) return null;
  return {
    phoneCountry,
    businessCountry,
    notice: `${phone} is a number from ${phoneCountry ?? 'another country'}: messages to it are sent, but replies from a number outside ${businessCountry} may not reach the business`,
  };
};
