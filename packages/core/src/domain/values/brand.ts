import * as t from 'io-ts';

/** A non-empty string of at most `max` characters with no surrounding whitespace (ids, names, keys). */
export interface NonEmptyStringBrand {
  readonly NonEmptyString: unique symbol;
}
export const NonEmptyString = t.brand(
  t.string,
  (s): s is t.Branded<string, NonEmptyStringBrand> => s.length > 0 && s.length <= 200 && s.trim() === s,
  'NonEmptyString',
);
export type NonEmptyString = t.TypeOf<typeof NonEmptyString>;
