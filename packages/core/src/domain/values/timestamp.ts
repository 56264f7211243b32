import * as t from 'io-ts';

/**
 * An instant in UTC, written exactly as `Date.prototype.toISOString` writes it
 * (`2026-11-23T17:06:00.000Z`). That one fixed format makes timestamps compare correctly as strings,
 * which keeps folds free of date parsing.
 */
export interface TimestampBrand {
  readonly Timestamp: unique symbol;
}

/** The number written by `count` decimal digits from `from`, or -1 if any of them is not a digit. */
const digitsAt = (s: string, from: number, count: number): number => {
  let n = 0;
  for (let i = from; i < from + count; i += 1) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
};

const daysIn = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;

/**
 * Exactly the strings `toISOString` writes for years 0000–9999 (every stored event holds several, so this
 * is read often: issue 14). The same answer as parsing with `Date` and writing back, without either; a
 * test compares the two on generated strings.
 */
export const isIsoInstant = (s: string): boolean => {
  if (s.length !== 24 || s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':' || s[19] !== '.' || s[23] !== 'Z') return false;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 2);
  const day = digitsAt(s, 8, 2);
  const hour = digitsAt(s, 11, 2);
  const minute = digitsAt(s, 14, 2);
  const second = digitsAt(s, 17, 2);
  const millis = digitsAt(s, 20, 3);
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && millis >= 0;
};

export const Timestamp = t.brand(t.string, (s): s is t.Branded<string, TimestampBrand> => isIsoInstant(s), 'Timestamp');
export type Timestamp = t.TypeOf<typeof Timestamp>;

export const timestampFromDate = (d: Date): Timestamp => {
  const iso = d.toISOString();
  if (!Timestamp.is(iso)) throw new RangeError(`not a valid instant: ${iso}`);
  return iso;
};

export const timestampFromMillis = (ms: number): Timestamp => timestampFromDate(new Date(ms));
