/**
 * R2 (issue 13), the To: picker through the facade: every client of the business, with or without a
 * conversation, found by what staff type under To:, with whether it can be texted now; the same
 * authorization as the inbox, and nothing of another business.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { MessageCenter } from '@message-center/core';
import { fc, test } from '@fast-check/vitest';
import { adversarialClientIdArb, formattingsOf, mobileArb } from '@message-center/testing';
import { B1, B2, newWorld, ok, staffOf } from './support.js';

const host = (businessId: typeof B1) => ({ kind: 'host' as const, businessId });
const staff = staffOf(B1, 'front-desk');
const allotment = { messagesPerPeriod: 100, overage: 'refuse' as const };

const setUp = async (mc: MessageCenter): Promise<void> => {
  await ok(mc.enableMessageCenter({ businessId: B1, actor: host(B1), country: 'US', number: '+12015550123', allotment }));
  await ok(mc.recordClient({ businessId: B1, actor: host(B1), clientId: 'c-ana', uid: 'U-1001', name: 'Ana Ruiz', email: 'ana.ruiz@example.com', cellPhone: '(415) 555-2671' }));
  await ok(mc.recordClient({ businessId: B1, actor: host(B1), clientId: 'c-zoe', uid: 'U-1002', name: 'Zoë Ørsted', cellPhone: '+1 415 555 2672' }));
  await ok(mc.recordClient({ businessId: B1, actor: host(B1), clientId: 'c-max', uid: 'U-1003', name: 'Max Ruiz', cellPhone: null }));
  // Another business with a client of the same name and phone: never found from B1.
  await ok(mc.enableMessageCenter({ businessId: B2, actor: host(B2), country: 'US', number: '+12015550124', allotment }));
  await ok(mc.recordClient({ businessId: B2, actor: host(B2), clientId: 'c-ana', uid: 'U-1001', name: 'Ana Ruiz', cellPhone: '(415) 555-2671' }));
};

const find = async (mc: MessageCenter, query: string) => (await ok(mc.findClients({ businessId: B1, viewer: staff, query }))).clients;

describe('R2 findClients, the To: picker', () => {
  it('R2 finds clients who have no conversation yet, by name, phone in any formatting, e-mail, UID and client id', async () => {
    const { mc } = newWorld();
    await setUp(mc);
    expect((await find(mc, 'ruiz')).map((c) => c.clientId)).toEqual(['c-ana', 'c-max']);
    expect((await find(mc, 'zoe ors')).map((c) => c.clientId)).toEqual(['c-zoe']);
    expect((await find(mc, '415-555-2671')).map((c) => [c.clientId, c.match])).toEqual([['c-ana', 'exact']]);
    expect((await find(mc, '2672')).map((c) => [c.clientId, c.match])).toEqual([['c-zoe', 'partial']]);
    expect((await find(mc, 'ANA.RUIZ@example.com')).map((c) => c.clientId)).toEqual(['c-ana']);
    expect((await find(mc, 'u-1003')).map((c) => c.clientId)).toEqual(['c-max']);
    expect((await find(mc, 'c-zoe')).map((c) => c.clientId)).toEqual(['c-zoe']);
    expect((await find(mc, 'ana')).every((c) => c.conversationId === null)).toBe(true);
  });

  it('C2 V3 each result says whether it can be texted now, and names its conversation once there is one', async () => {
    const { mc } = newWorld();
    await setUp(mc);
    const max = (await find(mc, 'max'))[0];
    expect([max?.canText, max?.reason?.code]).toEqual([false, 'client-has-no-valid-cell-phone']);

    await ok(mc.sendMessage({ businessId: B1, clientId: 'c-ana', actor: staff, body: 'Hi Ana, see you Friday.' }));
    await ok(mc.receiveInbound({ to: '+12015550123', from: '+14155552671', body: 'STOP', providerMessageId: 'SM-stop-1' }));
    const ana = (await find(mc, 'ana ruiz'))[0];
    expect([ana?.canText, ana?.reason?.code, ana?.conversationId]).toEqual([false, 'client-unsubscribed', 'c-ana']);
    // The picker agrees with the send decision.
    const refused = await mc.sendMessage({ businessId: B1, clientId: 'c-ana', actor: staff, body: 'Still there?' })();
    expect(E.isLeft(refused) && refused.left.code).toBe('client-unsubscribed');
  });

  it('R2 pages follow the ranking through the cursor', async () => {
    const { mc } = newWorld();
    await setUp(mc);
    const first = await ok(mc.findClients({ businessId: B1, viewer: staff, limit: 2 }));
    expect(first.clients.map((c) => c.name)).toEqual(['Ana Ruiz', 'Max Ruiz']);
    const second = await ok(mc.findClients({ businessId: B1, viewer: staff, limit: 2, cursor: first.nextCursor ?? '' }));
    expect([second.clients.map((c) => c.name), second.nextCursor]).toEqual([['Zoë Ørsted'], null]);
  });

  it('B0 the same authorization as the inbox: another business\'s staff, staff without the permission and the host are refused', async () => {
    const { mc } = newWorld();
    await setUp(mc);
    const refusals = await Promise.all(
      [staffOf(B2, 'intruder'), staffOf(B1, 'no-permission', [])].map(async (viewer) => {
        const r = await mc.findClients({ businessId: B1, viewer, query: 'ana' })();
        return E.isLeft(r) ? r.left.code : 'answered';
      }),
    );
    expect(refusals).toEqual(['forbidden', 'forbidden']);
    // @ts-expect-error the host is no viewer of clients' details (types and runtime agree)
    const byHost = await mc.findClients({ businessId: B1, viewer: host(B1), query: 'ana' })();
    expect(E.isLeft(byHost) && byHost.left.code).toBe('invalid-input');
  });

  it('B1 a business without the Message Center enabled gets message-center-not-enabled; bad input is invalid-input', async () => {
    const { mc } = newWorld();
    const r = await mc.findClients({ businessId: B1, viewer: staff, query: 'ana' })();
    expect(E.isLeft(r) && r.left.code).toBe('message-center-not-enabled');
    await setUp(mc);
    for (const bad of [{ limit: 0 }, { limit: 201 }, { query: 'x'.repeat(257) }, { cursor: 'not-a-cursor' }, { extra: true }]) {
      const answer = await mc.findClients({ businessId: B1, viewer: staff, ...bad })();
      expect(E.isLeft(answer) && answer.left.code, JSON.stringify(bad).slice(0, 40)).toBe('invalid-input');
    }
  });

  it('V1 C2 the picker agrees with the send for a client recorded with the business\'s own number: it cannot be texted', async () => {
    const { mc } = newWorld();
    await setUp(mc);
    await ok(mc.recordClient({ businessId: B1, actor: host(B1), clientId: 'c-desk', uid: 'U-9', name: 'Front Desk', cellPhone: '(201) 555-0123' }));
    const sent = await mc.sendMessage({ businessId: B1, clientId: 'c-desk', actor: staff, body: 'hi' })();
    expect(E.isLeft(sent) && sent.left.code).toBe('client-has-no-valid-cell-phone');
    const desk = (await find(mc, 'front desk'))[0];
    expect([desk?.canText, desk?.reason?.code]).toEqual([false, 'client-has-no-valid-cell-phone']);
  });

  test.prop(
    [
      // Distinct ids and phones, and no id that reads as another client's UID: each query has one right answer.
      fc
        .uniqueArray(fc.record({ id: adversarialClientIdArb.filter((id) => !/^uid-/i.test(id)), phone: mobileArb('US') }), { minLength: 1, maxLength: 6, selector: (c) => c.id })
        .filter((cs) => new Set(cs.map((c) => c.phone)).size === cs.length),
      fc.nat(),
      fc.nat(),
    ],
    { numRuns: 25 },
  )('R2 through the facade: any client is found first, as an exact match, by its id, its UID and any formatting of its phone', async (clients, pick, formatting) => {
    const { mc } = newWorld();
    await ok(mc.enableMessageCenter({ businessId: B1, actor: host(B1), country: 'US', number: '+12015550123', allotment }));
    for (const [i, c] of clients.entries()) await ok(mc.recordClient({ businessId: B1, actor: host(B1), clientId: c.id, uid: `UID-${i}`, name: `Client ${i}`, cellPhone: c.phone }));
    const i = pick % clients.length;
    const target = clients[i];
    if (target === undefined) return;
    const formatted = fc.sample(formattingsOf(target.phone), { numRuns: 1, seed: formatting })[0] ?? target.phone;
    for (const query of [target.id, `uid-${i}`, formatted]) {
      const first = (await find(mc, query))[0];
      expect([first?.clientId, first?.match], `query ${JSON.stringify(query)}`).toEqual([target.id, 'exact']);
    }
  });
});

