/**
 * V2 / issue 11: staff may text a number that is not a client only in reply to a conversation that number
 * started, and only a valid mobile number of a region the phone library knows: never a premium-rate,
 * toll-free or landline number, never a `tel:` conversation that does not exist.
 */
import { describe, expect, it } from 'vitest';
import { E164 } from '@message-center/core';
import { B1, enableUs, must, newWorld, ok, refusedAppendingNothing, staffOf } from './support.js';

const N1 = must(E164.is, '+12015550123');
const dana = staffOf(B1, 'dana');
const send = (conversationId: string) => ({ businessId: B1, conversationId, actor: dana, body: 'Hello' });

describe('V2 texting numbers that are not clients', () => {
  it('V2 a mobile number that never wrote is refused (conversation-not-found), nothing appended', async () => {
    const world = newWorld();
    await enableUs(world, B1, N1);
    const error = await refusedAppendingNothing(world.store, world.mc.sendMessage(send('tel:+14155552671')));
    expect(error.code).toBe('conversation-not-found');
    expect(world.transport.sent).toHaveLength(0);
  });

  it.each([
    ['a premium-rate number', '+19005550123'],
    ['a toll-free number', '+18005550123'],
    ['a GB landline', '+442079460123'],
  ])('V2 a reply to %s that wrote in is refused (client-has-no-valid-cell-phone), nothing appended', async (_, from) => {
    const world = newWorld();
    await enableUs(world, B1, N1);
    const received = await ok(world.mc.receiveInbound({ to: N1, from, body: 'Info', providerMessageId: 'SMfedcba9876543210fedcba9876543210' }));
    const error = await refusedAppendingNothing(world.store, world.mc.sendMessage(send(received.conversationId)));
    expect(error.code).toBe('client-has-no-valid-cell-phone');
    expect(world.transport.sent).toHaveLength(0);
  });

  it('V2 a reply to a conversation the number started goes out', async () => {
    const world = newWorld();
    await enableUs(world, B1, N1);
    const received = await ok(world.mc.receiveInbound({ to: N1, from: '+14155552671', body: 'Who is this?', providerMessageId: 'SM0123456789abcdef0123456789abcdef' }));
    expect(received.conversationId).toBe('tel:+14155552671');
    const sent = await ok(world.mc.sendMessage(send(received.conversationId)));
    expect(sent.conversationId).toBe('tel:+14155552671');
    expect(world.transport.sent).toHaveLength(1);
  });
});
