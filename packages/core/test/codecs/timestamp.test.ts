/**
 * Issue 14: the stored-timestamp check is arithmetic, no longer a `Date` round trip. It must accept exactly
 * what the round trip accepted: compared on near-miss strings (every field out of range, leap days, other
 * separators and lengths) and on real instants.
 */
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { isIsoInstant } from '../../src/domain/values/timestamp.js';

/** The former definition: the fixed format, and `Date` writing back the very same string. */
const roundTrip = (s: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(s)) return false;
  const ms = Date.parse(s);
  return Number.isFinite(ms) && new Date(ms).toISOString() === s;
};

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

// Fields drawn around and beyond their ranges, with a separator now and then replaced.
const nearMissArb = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(1900, 2000, 2024, 2100, 2400)),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 61 }),
    millis: fc.integer({ min: 0, max: 999 }),
    separators: fc.constantFrom('-', '-', '-', '/', ' '),
    t: fc.constantFrom('T', 'T', 't', ' '),
    z: fc.constantFrom('Z', 'Z', 'z', '+', ''),
  })
  .map((f) => `${pad(f.year, 4)}${f.separators}${pad(f.month, 2)}-${pad(f.day, 2)}${f.t}${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}.${pad(f.millis, 3)}${f.z}`);

describe('Timestamp check (issue 14)', () => {
  test.prop([nearMissArb], { numRuns: 5000 })('accepts exactly what a Date round trip accepts, on near misses', (s) => {
    expect(isIsoInstant(s)).toBe(roundTrip(s));
  });

  test.prop([fc.date({ min: new Date('0000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true })])(
    'accepts every instant Date writes with a four-digit year',
    (d) => {
      const s = d.toISOString();
      expect(isIsoInstant(s)).toBe(roundTrip(s));
    },
  );

  test.prop([fc.string({ maxLength: 30 }), fc.nat({ max: 23 }), fc.string({ maxLength: 1 })])('agrees on any string and on one character changed', (s, at, c) => {
    expect(isIsoInstant(s)).toBe(roundTrip(s));
    const valid = '2024-02-29T23:59:59.999Z';
    const changed = `${valid.slice(0, at)}${c}${valid.slice(at + 1)}`;
    expect(isIsoInstant(changed)).toBe(roundTrip(changed));
  });
});
