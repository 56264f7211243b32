/**
 * Issue 13, seed 002: "You must select one of the numbers suggested by the system. You can't use your
 * business phone number or any personal number for this purpose. If you previously set up a number for
 * 2-way SMS, you don't have to set up a new number." Through the facade, on an in-memory account.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import {
  createInMemoryEventStore,
  createInMemoryNumberProvisioning,
  createMessageCenter,
  E164,
  type MessageCenter,
  type NumberProvisioning,
} from '@message-center/core';
import { formattingsOf } from '@message-center/testing';
import { B1, B2, counterIds, must, ok, refusedAppendingNothing, staffOf, tickingClock } from './support.js';

const host = { kind: 'host' as const, businessId: B1 };
const allotment = { messagesPerPeriod: 100, overage: 'refuse' as const };
const BUSINESS_PHONE = '(201) 555-0188';
const ACCOUNT_NUMBER = must(E164.is, '+12015550123');

const world = (account: ReadonlyArray<string> = []) => {
  const store = createInMemoryEventStore();
  const numbers = createInMemoryNumberProvisioning({ account });
  const make = (): MessageCenter => createMessageCenter({ store, numbers, clock: tickingClock(), ids: counterIds() });
  return { store, numbers, mc: make(), make };
};

const enable = (mc: MessageCenter, number: string) => mc.enableMessageCenter({ businessId: B1, actor: host, country: 'US', number, allotment });

describe('issue 13: numbers from suggestions', () => {
  it('B1 the business phone (a number neither suggested nor the account\'s) is refused with number-not-offered, nothing appended', async () => {
    const { store, mc } = world();
    const error = await refusedAppendingNothing(store, enable(mc, BUSINESS_PHONE));
    expect(error.code).toBe('number-not-offered');
    expect(error.message).toContain('suggestNumbers');
  });

  it('B1 a suggested number is accepted (and taken into the account); the suggestions are local to the area asked for', async () => {
    const { numbers, mc } = world();
    const suggested = await ok(mc.suggestNumbers({ businessId: B1, actor: host, country: 'US', areaCode: '415', limit: 5 }));
    expect(suggested).toHaveLength(5);
    expect(suggested.every((s) => s.number.startsWith('+1415'))).toBe(true);
    const chosen = suggested[2]?.number ?? '';
    expect(await ok(enable(mc, chosen))).toEqual({ number: chosen });
    expect(numbers.acquired()).toEqual([chosen]);
  });

  test.prop([fc.nat({ max: 4 })], { numRuns: 5 })('B1 the rule is decided from events: a new facade on the same store accepts a number suggested to the old one', async (i) => {
    const w = world();
    const suggested = await ok(w.mc.suggestNumbers({ businessId: B1, actor: host, country: 'US' }));
    const chosen = suggested[i]?.number;
    if (chosen === undefined) throw new Error('no suggestion');
    const restarted = w.make();
    expect(await ok(enable(restarted, chosen))).toEqual({ number: chosen });
  });

  it('B1 a number the account already holds for two-way SMS needs no suggestion and is not bought again', async () => {
    const { numbers, mc } = world([ACCOUNT_NUMBER]);
    await fc.assert(
      fc.asyncProperty(formattingsOf(ACCOUNT_NUMBER), async (formatted) => {
        const w = world([ACCOUNT_NUMBER]);
        expect(await ok(enable(w.mc, formatted))).toEqual({ number: ACCOUNT_NUMBER });
      }),
      { numRuns: 10 },
    );
    expect(await ok(enable(mc, ACCOUNT_NUMBER))).toEqual({ number: ACCOUNT_NUMBER });
    expect(numbers.acquired()).toEqual([]);
  });

  it('B2 changing the number follows the same rule; keeping the number it has needs no offer', async () => {
    const { mc } = world([ACCOUNT_NUMBER]);
    await ok(enable(mc, ACCOUNT_NUMBER));
    const refused = await mc.changeNumber({ businessId: B1, actor: host, number: BUSINESS_PHONE })();
    expect(E.isLeft(refused) && refused.left.code).toBe('number-not-offered');
    const suggested = await ok(mc.suggestNumbers({ businessId: B1, actor: host }));
    const next = suggested[0]?.number ?? '';
    expect(await ok(mc.changeNumber({ businessId: B1, actor: host, number: next }))).toEqual({ number: next });
    expect(await ok(mc.changeNumber({ businessId: B1, actor: host, number: next }))).toEqual({ number: next });
  });

  it('B0 suggestions are for the host or staff who manage the Message Center; the country is needed before it is enabled', async () => {
    const { mc } = world();
    const noPermission = await mc.suggestNumbers({ businessId: B1, actor: staffOf(B1, 'dana', ['send-email-sms']), country: 'US' })();
    expect(E.isLeft(noPermission) && noPermission.left.code).toBe('forbidden');
    const noCountry = await mc.suggestNumbers({ businessId: B1, actor: host })();
    expect(E.isLeft(noCountry) && noCountry.left).toMatchObject({ code: 'invalid-input', problems: ['country'] });
    for (const bad of [{ areaCode: '4a5' }, { limit: 0 }, { limit: 51 }]) {
      const answer = await mc.suggestNumbers({ businessId: B1, actor: host, country: 'US', ...bad })();
      expect(E.isLeft(answer) && answer.left.code, JSON.stringify(bad)).toBe('invalid-input');
    }
  });

  it('a provider that cannot answer is provisioning-unavailable, and nothing is appended', async () => {
    const store = createInMemoryEventStore();
    const down: NumberProvisioning = {
      suggest: () => TE.left({ code: 'provisioning-unavailable', message: 'the provider did not answer' }),
      lookUp: () => TE.left({ code: 'provisioning-unavailable', message: 'the provider did not answer' }),
      acquire: () => TE.left({ code: 'provisioning-unavailable', message: 'the provider did not answer' }),
    };
    const mc = createMessageCenter({ store, numbers: down, clock: tickingClock(), ids: counterIds() });
    expect((await refusedAppendingNothing(store, enable(mc, ACCOUNT_NUMBER))).code).toBe('provisioning-unavailable');
    expect((await refusedAppendingNothing(store, mc.suggestNumbers({ businessId: B1, actor: host, country: 'US' }))).code).toBe('provisioning-unavailable');
  });

  it('B1 the embedded default (no provider given) holds no number: a business phone is refused, a suggested number is taken', async () => {
    const store = createInMemoryEventStore();
    const mc = createMessageCenter({ store, clock: tickingClock(), ids: counterIds() });
    expect((await refusedAppendingNothing(store, enable(mc, BUSINESS_PHONE))).code).toBe('number-not-offered');
    const suggested = await ok(mc.suggestNumbers({ businessId: B1, actor: host, country: 'US' }));
    const chosen = suggested[0]?.number ?? '';
    expect(await ok(enable(mc, chosen))).toEqual({ number: chosen });
  });

  it('B1 two enables at once with two suggested numbers: one wins, and the loser\'s number is not left claimed for the business', async () => {
    const { numbers, mc } = world();
    const [a, b] = (await ok(mc.suggestNumbers({ businessId: B1, actor: host, country: 'US', limit: 2 }))).map((s) => s.number);
    const results = await Promise.all([a, b].map((n) => mc.enableMessageCenter({ businessId: B1, actor: host, country: 'US', number: n ?? '', allotment })()));
    const used = results.flatMap((r) => (E.isRight(r) ? [r.right.number] : []));
    expect(used).toHaveLength(1);
    // Both were bought before either business command ran.
    expect(numbers.acquired()).toHaveLength(2);
    const stray = numbers.acquired().find((n) => !used.includes(n)) ?? '';
    // The account keeps it (a later change of number may use it), but the registry gave it back: another
    // business of the account can take it.
    expect(await ok(mc.enableMessageCenter({ businessId: B2, actor: { kind: 'host', businessId: B2 }, country: 'US', number: stray, allotment }))).toEqual({ number: stray });
  });

  it('B1 only the latest suggestions stand: after many asks, a number offered at the first one is no offer any more', async () => {
    let n = 0;
    const fresh: NumberProvisioning = {
      // Twilio answers AvailablePhoneNumbers with other numbers on each call.
      suggest: () => TE.right(Array.from({ length: 10 }, () => ({ number: must(E164.is, `+1201555${String(1000 + (n++ % 9000)).padStart(4, '0')}`), locality: null, region: null }))),
      lookUp: () => TE.right(null),
      acquire: (number) => TE.right({ number, sms: true }),
    };
    const mc = createMessageCenter({ store: createInMemoryEventStore(), numbers: fresh, clock: tickingClock(), ids: counterIds() });
    const first = (await ok(mc.suggestNumbers({ businessId: B1, actor: host, country: 'US' })))[0]?.number ?? '';
    let last = '';
    for (let i = 0; i < 30; i += 1) last = (await ok(mc.suggestNumbers({ businessId: B1, actor: host, country: 'US' })))[0]?.number ?? '';
    const stale = await enable(mc, first)();
    expect(E.isLeft(stale) && stale.left.code).toBe('number-not-offered');
    expect(await ok(enable(mc, last))).toEqual({ number: last });
  });
});
