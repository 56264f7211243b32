/**
 * Issue 12, defect 1: the outbox texts clients who opted out. A message left pending (no transport yet,
 * or a retryable failure) must not leave once the client has texted STOP: the dispatcher decides again
 * right before the hand-over (V3). Nor may a pending message leave from the business's old number after
 * `changeNumber` (B2), where the client's reply would be refused as `number-retired`.
 */
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inboundSid } from '@message-center/testing';
import { BUSINESS, BUSINESS_NUMBERS, HOST, PHONES, STAFF, at, ok, recordClient, setUpBusiness } from './support/fixtures.js';
import { useRealTime, useVirtualTime } from './support/virtual-time.js';
import { createFaultWorld, driver } from './support/world.js';

const NUMBER = at(BUSINESS_NUMBERS, 0);
const NEW_NUMBER = at(BUSINESS_NUMBERS, 1);
const ANA = at(PHONES, 0);
const ANA_NEW = at(PHONES, 1);
const REMINDER = 'Hi Ana, your cleaning is tomorrow at 10:00. Reply C to confirm.';

beforeEach(useVirtualTime);
afterEach(useRealTime);

describe('issue 12 defect 1: the outbox decides again before it sends', () => {
  it('V3 a message recorded while no transport was configured does not leave after the client texted STOP', async () => {
    const world = createFaultWorld();
    const run = driver(world);
    const before = world.facade('without-transport', { transport: false });
    await run('set-up', () => setUpBusiness(before.mc, { clients: [{ id: 'ana', name: 'Ana Ruiz', phone: ANA }] }));
    const sent = await run('send', () => ok('send', before.mc.sendMessage({ businessId: BUSINESS, clientId: 'ana', actor: STAFF, body: REMINDER })));
    expect(sent.status).toBe('pending');
    await run('STOP', () => ok('STOP', before.mc.receiveInbound({ to: NUMBER, from: ANA, body: 'STOP', providerMessageId: inboundSid(1) })));

    const after = world.facade('with-transport');
    const report = await run('dispatchPending', () => after.mc.dispatchPending()());
    expect(E.isRight(report)).toBe(true);
    const handedOver = world.transport.calls().filter((c) => c.sms.to === ANA);
    expect(handedOver.map((c) => c.sms.body), 'SMS handed to the transport after the client texted STOP').toEqual([]);

    // The refusal is recorded: the message is no longer pending, so no later sweep sends it either.
    await run('dispatchPending again', () => after.mc.dispatchPending()());
    expect(world.transport.calls()).toHaveLength(0);
    const view = await run('conversation', () => ok('conversation', world.checker.conversation({ businessId: BUSINESS, conversationId: 'ana', viewer: STAFF })));
    expect(view.deliveries.find((d) => d.messageId === sent.messageId)?.status, 'status of the refused message').not.toBe('pending');
  });

  it('V3 a message that failed retryably does not leave on the next sweep after the client texted STOP', async () => {
    const world = createFaultWorld({ decideTransport: (_sms, index) => (index === 0 ? 'retryable' : 'ok') });
    const run = driver(world);
    const mc = world.facade('app').mc;
    await run('set-up', () => setUpBusiness(mc, { clients: [{ id: 'ana', name: 'Ana Ruiz', phone: ANA }] }));
    const sent = await run('send', () => ok('send', mc.sendMessage({ businessId: BUSINESS, clientId: 'ana', actor: STAFF, body: REMINDER })));
    expect(sent.status).toBe('pending');
    await run('STOP', () => ok('STOP', mc.receiveInbound({ to: NUMBER, from: ANA, body: 'stop', providerMessageId: inboundSid(1) })));
    const stopped = world.journal.note('STOP acknowledged').seq;

    await run('dispatchPending', () => mc.dispatchPending()());
    const afterStop = world.transport.calls().filter((c) => c.seq > stopped && c.sms.to === ANA);
    expect(afterStop.map((c) => c.sms.body), 'SMS handed to the transport after the client texted STOP').toEqual([]);
  });

  it('B2 a message pending across a number change leaves from the new number, and the reply to it is delivered', async () => {
    const world = createFaultWorld();
    const run = driver(world);
    const before = world.facade('without-transport', { transport: false });
    await run('set-up', () => setUpBusiness(before.mc, { number: NUMBER, clients: [{ id: 'ana', name: 'Ana Ruiz', phone: ANA }] }));
    await run('send', () => ok('send', before.mc.sendMessage({ businessId: BUSINESS, clientId: 'ana', actor: STAFF, body: REMINDER })));
    await run('changeNumber', () => ok('changeNumber', before.mc.changeNumber({ businessId: BUSINESS, actor: HOST, number: NEW_NUMBER })));

    const after = world.facade('with-transport');
    await run('dispatchPending', () => after.mc.dispatchPending()());
    const senders = world.transport.calls().map((c) => c.sms.from);
    expect.soft(senders.filter((from) => from !== NEW_NUMBER), 'SMS sent from a number the business no longer has').toEqual([]);

    // Ana answers the number that texted her; that reply must reach the business.
    for (const [i, from] of senders.entries()) {
      const reply = await run('reply', () => after.mc.receiveInbound({ to: from, from: ANA, body: 'C', providerMessageId: inboundSid(10 + i) })());
      expect(E.isLeft(reply) ? reply.left.code : 'delivered', `reply to ${from}`).toBe('delivered');
    }
  });

  it('C2 a message pending across a change of the client\'s phone goes to the new phone, and contact history shows the numbers used', async () => {
    const world = createFaultWorld();
    const run = driver(world);
    const before = world.facade('without-transport', { transport: false });
    await run('set-up', () => setUpBusiness(before.mc, { number: NUMBER, clients: [{ id: 'ana', name: 'Ana Ruiz', phone: ANA }] }));
    const sent = await run('send', () => ok('send', before.mc.sendMessage({ businessId: BUSINESS, clientId: 'ana', actor: STAFF, body: REMINDER })));
    await run('ana moves', () => recordClient(before.mc, 'ana', 'Ana Ruiz', ANA_NEW));
    await run('changeNumber', () => ok('changeNumber', before.mc.changeNumber({ businessId: BUSINESS, actor: HOST, number: NEW_NUMBER })));

    const after = world.facade('with-transport');
    await run('dispatchPending', () => after.mc.dispatchPending()());
    expect(world.transport.calls().map((c) => [c.sms.from, c.sms.to])).toEqual([[NEW_NUMBER, ANA_NEW]]);
    const history = await run('history', () => ok('history', world.checker.contactHistory({ businessId: BUSINESS, viewer: STAFF, clientId: 'ana' })));
    const entry = history.entries.find((e) => e.kind === 'outbound' && e.messageId === sent.messageId);
    expect(entry?.kind === 'outbound' ? [entry.from, entry.to, entry.delivery.status] : null).toEqual([NEW_NUMBER, ANA_NEW, 'queued']);
  });

  it('C2 a message pending when the client is left with no cell phone is withdrawn, never handed over', async () => {
    const world = createFaultWorld();
    const run = driver(world);
    const before = world.facade('without-transport', { transport: false });
    await run('set-up', () => setUpBusiness(before.mc, { number: NUMBER, clients: [{ id: 'ana', name: 'Ana Ruiz', phone: ANA }] }));
    const sent = await run('send', () => ok('send', before.mc.sendMessage({ businessId: BUSINESS, clientId: 'ana', actor: STAFF, body: REMINDER })));
    await run('ana has no cell phone any more', () =>
      ok('recordClient', before.mc.recordClient({ businessId: BUSINESS, actor: HOST, clientId: 'ana', uid: 'U-ana', name: 'Ana Ruiz', cellPhone: null })),
    );

    const after = world.facade('with-transport');
    const report = await run('dispatchPending', () => ok('dispatchPending', after.mc.dispatchPending()));
    expect(report).toEqual({ dispatched: 0, failed: 1, retryLater: 0 });
    expect(world.transport.calls()).toHaveLength(0);
    const history = await run('history', () => ok('history', world.checker.contactHistory({ businessId: BUSINESS, viewer: STAFF, clientId: 'ana' })));
    const entry = history.entries.find((e) => e.kind === 'outbound' && e.messageId === sent.messageId);
    expect(entry?.kind === 'outbound' ? entry.delivery.failure?.reason : null).toBe('client-has-no-valid-cell-phone');
  });
});
