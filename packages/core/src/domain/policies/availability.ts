/**
 * B1 — where Message Center is available, and with which business number.
 *
 * Country codes are ISO 3166-1 alpha-2 in upper case, as libphonenumber reports a number's region
 * (`CountryCode`); the number's country is that region, so the Crown Dependencies (IM, JE, GG) are distinct
 * from GB even though they share +44. Anything else, including lower case, is simply not on the lists.
 */

export type MessageCenterCountry = 'US' | 'CA' | 'AU' | 'GB';
export type GbNumberCountry = 'IE' | 'IM' | 'JE' | 'GG';

/** Business countries where Message Center is available; also the only countries a business number may be in. */
export const MESSAGE_CENTER_COUNTRIES: ReadonlyArray<MessageCenterCountry> = ['US', 'CA', 'AU', 'GB'];
/** Business countries that may enable Message Center with a GB number only. */
export const GB_NUMBER_COUNTRIES: ReadonlyArray<GbNumberCountry> = ['IE', 'IM', 'JE', 'GG'];

export type AvailabilityProblem =
  | { readonly kind: 'country-not-supported'; readonly country: string }
  | {
      readonly kind: 'number-country-not-allowed';
      readonly businessCountry: string;
      /** `null` when the number's region is unknown (libphonenumber could not tell). */
      readonly numberCountry: string | null;
      readonly allowed: ReadonlyArray<string>;
    };

const includes = <T extends string>(list: ReadonlyArray<T>, value: string): value is T =>
  list.some((item) => item === value);

/** The countries a business number may be in for a business in `businessCountry`; `null` where unavailable. */
export const allowedNumberCountries = (businessCountry: string): ReadonlyArray<MessageCenterCountry> | null => {
  if (includes(MESSAGE_CENTER_COUNTRIES, businessCountry)) return MESSAGE_CENTER_COUNTRIES;
  if (includes(GB_NUMBER_COUNTRIES, businessCountry)) return ['GB'];
  return null;
};

/** B1: `null` when the business may enable Message Center with a number of `numberCountry`, else why not. */
export const checkAvailability = (businessCountry: string, numberCountry: string | null): AvailabilityProblem | null => {
  const allowed = allowedNumberCountries(businessCountry);
  if (allowed === null) return { kind: 'country-not-supported', country: businessCountry };
  if (numberCountry === null || !includes(allowed, numberCountry))
    return { kind: 'number-country-not-allowed', businessCountry, numberCountry, allowed };
  return null;
};

/** The clear error B1 asks for, in words a business owner understands. */
export const describeAvailabilityProblem = (problem: AvailabilityProblem): string => {
  switch (problem.kind) {
    case 'country-not-supported':
      return `Message Center is not available to businesses in ${problem.country}; it is available in ${MESSAGE_CENTER_COUNTRIES.join(', ')} (and in ${GB_NUMBER_COUNTRIES.join(', ')} with a GB number)`;
    case 'number-country-not-allowed':
      return `a business in ${problem.businessCountry} needs a number from ${problem.allowed.join(' or ')}, but this number is ${problem.numberCountry === null ? 'from an unknown region' : `from ${problem.numberCountry}`}`;
  }
};
