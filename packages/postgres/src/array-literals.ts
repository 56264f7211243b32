// A batch's statements send their rows as arrays (`unnest($1::text[], …)`). The driver turns a JavaScript
// array into PostgreSQL's array literal by quoting and escaping each element (two `replace` per string) and
// concatenating them one by one: a quarter of what a projection batch allocated, for text that needs no
// escaping at all. Stored text is hex digits (`stored-text.ts`) and the numbers are integers, so their literals
// are one `join`; anything else goes to the driver as it is.

/** A `text[]` parameter: its literal, or the array for the driver to write. */
export type TextArrayParam = string | ReadonlyArray<string | null>;

/** One element of a literal that needs no quotes: hex digits, or an integer. */
const PLAIN = /^(?:[0-9a-f]+|-?[0-9]+)$/;

/** The literal of stored texts (`storedText`'s output; '' is quoted, null is NULL), or the array itself when one is not. */
export const storedTextArray = (values: ReadonlyArray<string | null>): TextArrayParam => {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    if (value === null || value === undefined) parts[i] = 'NULL';
    else if (value === '') parts[i] = '""';
    else if (PLAIN.test(value)) parts[i] = value;
    else return values;
  }
  return `{${parts.join(',')}}`;
};

/** The literal of safe integers (smallint, integer, bigint columns), or the array itself when one is not. */
export const integerArray = (values: ReadonlyArray<number>): string | ReadonlyArray<number> =>
  values.every((n) => Number.isSafeInteger(n)) ? `{${values.join(',')}}` : values;

/** The literal of booleans. */
export const booleanArray = (values: ReadonlyArray<boolean>): string => `{${values.map((b) => (b ? 't' : 'f')).join(',')}}`;
