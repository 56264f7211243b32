/**
 * Issue 12, defect 4: a redelivered webhook is recorded twice when routing changed between the two
 * deliveries. V2: "The same provider message id delivered twice appends nothing the second time, whatever
 * routing changed in between (dedup per business, not per conversation)."
 */
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReceiveInboundInput } from '@message-center/core';
import { inboundSid } from '@message-center/testing';
import { BUSINESS, BUSINESS_NUMBERS, PHONES, STAFF, at, ok, recordClient, setUpBusiness } from './support/fixtures.js';
import { useRealTime, useVirtualTime } from './support/virtual-time.js';
import { createFaultWorld, driver, type FaultWorld } from './support/world.js';

const NUMBER = at(BUSINESS_NUMBERS, 0);
const OLD_PHONE = at(PHONES, 0);
const NEW_PHONE = at(PHONES, 1);
const WEBHOOK: ReceiveInboundInput = { to: NUMBER, from: OLD_PHONE, body: 'Can I move my appointment to Thursday?', providerMessageId: inboundSid(7) };

beforeEach(useVirtualTime);
afterEach(useRealTime);

/** How many times the business recorded the webhook's message, over every conversation the inbox shows. */
const copiesOf = async (world: FaultWorld, run: ReturnType<typeof driver>): Promise<number> => {
  const page = await run('inbox', () => ok('inbox', world.checker.inbox({ businessId: BUSINESS, viewer: STAFF, search: 'Thursday', limit: 200 })));
  let copies = 0;
  for (const row of page.rows) {
    const clientId = row.client?.clientId;
    if (clientId === undefined) {
      copies += row.messageCount;
      continue;
    }
    const history = await run('history', () => ok('history', world.checker.contactHistory({ businessId: BUSINESS, viewer: STAFF, clientId })));
    copies += history.entries.filter((e) => e.kind === 'inbound' && e.providerMessageId === WEBHOOK.providerMessageId).length;
  }
  return copies;
};

describe('issue 12 defect 4: inbound is deduplicated per business by provider message id', () => {
  it("V2 the client's phone changed between two deliveries of one webhook: the second appends nothing", async () => {
    const world = createFaultWorld();
    const run = driver(world);
    const { mc } = world.facade('app');
    await run('set-up', () => setUpBusiness(mc, { number: NUMBER, clients: [{ id: 'ana', name: 'Ana Ruiz', phone: OLD_PHONE }] }));
    const first = await run('first delivery', () => ok('first delivery', mc.receiveInbound(WEBHOOK)));
    expect(first).toMatchObject({ conversationId: 'ana', duplicate: false });

    await run('new phone', () => recordClient(mc, 'ana', 'Ana Ruiz', NEW_PHONE));
    const second = await run('redelivery', () => mc.receiveInbound(WEBHOOK)());
    expect.soft(E.isRight(second) ? second.right.duplicate : second.left.code, 'the redelivery is reported as a duplicate').toBe(true);
    expect(await copiesOf(world, run), 'copies of the message recorded').toBe(1);
  });

  it('V2 another client with the same phone was texted in between (the reply now routes to them): the redelivery appends nothing', async () => {
    const world = createFaultWorld();
    const run = driver(world);
    const { mc } = world.facade('app');
    await run('set-up', () => setUpBusiness(mc, { number: NUMBER, clients: [{ id: 'mom', name: 'Maria Lopez', phone: OLD_PHONE }] }));
    await run('first delivery', () => ok('first delivery', mc.receiveInbound(WEBHOOK)));
    await run('record kid', () => recordClient(mc, 'kid', 'Leo Lopez', OLD_PHONE));
    await run('text kid', () => ok('text kid', mc.sendMessage({ businessId: BUSINESS, clientId: 'kid', actor: STAFF, body: 'Leo, see you Friday.' })));

    const second = await run('redelivery', () => mc.receiveInbound(WEBHOOK)());
    expect.soft(E.isRight(second) ? second.right.duplicate : second.left.code, 'the redelivery is reported as a duplicate').toBe(true);
    expect(await copiesOf(world, run), 'copies of the message recorded').toBe(1);
  });
});
