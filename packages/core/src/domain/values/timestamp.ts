import * as t from 'io-ts';

/**
 * An instant in UTC, written exactly as `Date.prototype.toISOString` writes it
 * (`2026-11-23T17:06:00.000Z`). That one fixed format makes timestamps compare correctly as strings,
 * which keeps folds free of date parsing.
 */
export interface TimestampBrand {
  readonly Timestamp: unique symbol;
}
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const Timestamp = t.brand(
  t.string,
  (s): s is t.Branded<string, TimestampBrand> => {
    if (!ISO.test(s)) return false;
    const ms = Date.parse(s);
    return Number.isFinite(ms) && new Date(ms).toISOString() === s;
  },
  'Timestamp',
);
export type Timestamp = t.TypeOf<typeof Timestamp>;

export const timestampFromDate = (d: Date): Timestamp => {
  const iso = d.toISOString();
  if (!Timestamp.is(iso)) throw new RangeError(`not a valid instant: ${iso}`);
  return iso;
};

export const timestampFromMillis = (ms: number): Timestamp => timestampFromDate(new Date(ms));
