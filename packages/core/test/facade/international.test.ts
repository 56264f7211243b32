/**
 * Issue 13, seed 002: sending to clients in other countries is allowed, but replies from a number of another
 * country than the business's may not arrive. Such a send succeeds and says so, on its result and on the
 * conversation view.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { mobileArb } from '@message-center/testing';
import { B1, newWorld, ok, staffOf } from './support.js';

const host = { kind: 'host' as const, businessId: B1 };
const staff = staffOf(B1, 'front-desk');
const allotment = { messagesPerPeriod: 1_000, overage: 'refuse' as const };
const COUNTRIES = ['US', 'CA', 'AU', 'GB'] as const;
const NUMBERS = { US: '+12015550123', CA: '+14165550123', AU: '+61491570006', GB: '+447400123456' } as const;

describe('issue 13: the international notice', () => {
  test.prop([fc.constantFrom(...COUNTRIES), fc.constantFrom(...COUNTRIES).chain((c) => fc.tuple(fc.constant(c), mobileArb(c).filter((p) => p !== NUMBERS[c])))], { numRuns: 40 })(
    'C2 a send to a client whose cell phone is from another country than the business succeeds and carries the notice; one from the same country carries none',
    async (businessCountry, [phoneCountry, phone]) => {
      const { mc } = newWorld();
      await ok(mc.enableMessageCenter({ businessId: B1, actor: host, country: businessCountry, number: NUMBERS[businessCountry], allotment }));
      await ok(mc.recordClient({ businessId: B1, actor: host, clientId: 'c1', uid: 'U1', name: 'Ana', cellPhone: phone }));
      const sent = await ok(mc.sendMessage({ businessId: B1, clientId: 'c1', actor: staff, body: 'See you on Friday.' }));
      const view = await ok(mc.conversation({ businessId: B1, conversationId: 'c1', viewer: staff }));
      for (const notice of [sent.international, view.international])
        if (phoneCountry === businessCountry) expect(notice).toBeNull();
        else {
          expect(notice).toMatchObject({ phoneCountry, businessCountry });
          expect(notice?.notice).toContain('may not reach the business');
        }
      expect(sent.status).toBe('queued');
    },
  );

  it('the notice names the reason in words staff can act on', async () => {
    const { mc } = newWorld();
    await ok(mc.enableMessageCenter({ businessId: B1, actor: host, country: 'US', number: NUMBERS.US, allotment }));
    await ok(mc.recordClient({ businessId: B1, actor: host, clientId: 'c1', uid: 'U1', name: 'Ana', cellPhone: '+44 7400 123457' }));
    const sent = await mc.sendMessage({ businessId: B1, clientId: 'c1', actor: staff, body: 'See you on Friday.' })();
    expect(E.isRight(sent) && sent.right.international?.notice).toBe(
      '+447400123457 is a number from GB: messages to it are sent, but replies from a number outside US may not reach the business',
    );
  });

  it('the conversation view\'s notice follows the phone messages go to now (the client moved abroad)', async () => {
    const { mc } = newWorld();
    await ok(mc.enableMessageCenter({ businessId: B1, actor: host, country: 'US', number: NUMBERS.US, allotment }));
    await ok(mc.recordClient({ businessId: B1, actor: host, clientId: 'c1', uid: 'U1', name: 'Ana', cellPhone: '+1 415 555 2671' }));
    await ok(mc.sendMessage({ businessId: B1, clientId: 'c1', actor: staff, body: 'Hi' }));
    expect((await ok(mc.conversation({ businessId: B1, conversationId: 'c1', viewer: staff }))).international).toBeNull();
    await ok(mc.recordClient({ businessId: B1, actor: host, clientId: 'c1', uid: 'U1', name: 'Ana', cellPhone: '+44 7400 123457' }));
    const view = await ok(mc.conversation({ businessId: B1, conversationId: 'c1', viewer: staff }));
    expect(view.international?.phoneCountry).toBe('GB');
  });
});
