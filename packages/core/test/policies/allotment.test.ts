import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { billingPeriodOf, checkOutboundAllotment, type Allotment } from '../../src/domain/policies/allotment.js';

const limit = fc.nat({ max: 10_000 });
const used = fc.nat({ max: 20_000 });
const allotment = (overage: Allotment['overage']): fc.Arbitrary<Allotment> =>
  limit.map((messagesPerPeriod) => ({ messagesPerPeriod, overage }));
const anyAllotment = fc.oneof(allotment('refuse'), allotment('allow'));

const instant = fc.date({
  min: new Date('0000-01-01T00:00:00.000Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});

describe('allotment', () => {
  test.prop([allotment('refuse'), used])('B4 with overage refused, outbound is allowed exactly while used < limit', (a, n) => {
    const decision = checkOutboundAllotment(a, n);
    if (n < a.messagesPerPeriod) expect(decision).toEqual({ allowed: true, overage: false });
    else expect(decision).toEqual({ allowed: false, limit: a.messagesPerPeriod, used: n });
  });

  test.prop([allotment('allow'), used])('B4 with overage allowed, outbound is always allowed', (a, n) => {
    expect(checkOutboundAllotment(a, n).allowed).toBe(true);
  });

  test.prop([anyAllotment, used])('B4 the overage flag is set iff used >= limit', (a, n) => {
    const decision = checkOutboundAllotment(a, n);
    if (decision.allowed) expect(decision.overage).toBe(n >= a.messagesPerPeriod);
  });

  test.prop([allotment('refuse'), fc.array(fc.constantFrom('outbound', 'inbound'), { maxLength: 300 })])(
    'B4 over a period, refused overage never lets outbound go beyond the limit; inbound is always counted',
    (a, messages) => {
      let counted = 0;
      let inbound = 0;
      let outbound = 0;
      for (const direction of messages) {
        if (direction === 'inbound') {
          // Inbound is never checked, only counted.
          counted += 1;
          inbound += 1;
        } else if (checkOutboundAllotment(a, counted).allowed) {
          counted += 1;
          outbound += 1;
          expect(counted).toBeLessThanOrEqual(a.messagesPerPeriod);
        }
      }
      expect(inbound).toBe(messages.filter((d) => d === 'inbound').length);
      expect(outbound).toBeLessThanOrEqual(a.messagesPerPeriod);
      expect(counted).toBe(inbound + outbound);
    },
  );

  test('B4 examples', () => {
    expect(checkOutboundAllotment({ messagesPerPeriod: 500, overage: 'refuse' }, 499)).toEqual({ allowed: true, overage: false });
    expect(checkOutboundAllotment({ messagesPerPeriod: 500, overage: 'refuse' }, 500)).toEqual({ allowed: false, limit: 500, used: 500 });
    expect(checkOutboundAllotment({ messagesPerPeriod: 500, overage: 'allow' }, 500)).toEqual({ allowed: true, overage: true });
    expect(checkOutboundAllotment({ messagesPerPeriod: 0, overage: 'refuse' }, 0)).toEqual({ allowed: false, limit: 0, used: 0 });
  });

  test.prop([instant])('B4 the billing period is the calendar month in UTC', (d) => {
    const month = `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    expect(billingPeriodOf(d.toISOString())).toBe(month);
  });

  test.prop([instant, instant])('B4 billing periods are ordered like the instants', (a, b) => {
    const [early, late] = a <= b ? [a, b] : [b, a];
    expect(billingPeriodOf(early.toISOString()) <= billingPeriodOf(late.toISOString())).toBe(true);
  });

  test('B4 billing period boundaries are UTC midnights at the start of a month', () => {
    expect(billingPeriodOf('2026-11-23T17:06:00.000Z')).toBe('2026-11');
    expect(billingPeriodOf('2026-11-30T23:59:59.999Z')).toBe('2026-11');
    expect(billingPeriodOf('2026-12-01T00:00:00.000Z')).toBe('2026-12');
    expect(billingPeriodOf('2026-12-31T23:59:59.999Z')).toBe('2026-12');
    expect(billingPeriodOf('2027-01-01T00:00:00.000Z')).toBe('2027-01');
  });

  test.each(['2026-11-30T23:30:00-05:00', '2026-11-30T23:30:00', '2026-11', '', '2026-13-01T00:00:00.000Z', '2026-02-30T00:00:00.000Z'])(
    'B4 billingPeriodOf refuses %j, which is not the domain timestamp format',
    (at) => {
      expect(() => billingPeriodOf(at)).toThrow(RangeError);
    },
  );
});
