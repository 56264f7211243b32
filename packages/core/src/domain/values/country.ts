import * as t from 'io-ts';

/** ISO 3166-1 alpha-2 region code, upper case (the codes libphonenumber uses, e.g. `GB`, `JE`). */
export interface CountryCodeBrand {
  readonly CountryCode: unique symbol;
}
export const CountryCode = t.brand(
  t.string,
  (s): s is t.Branded<string, CountryCodeBrand> => /^[A-Z]{2}$/.test(s),
  'CountryCode',
);
export type CountryCode = t.TypeOf<typeof CountryCode>;
