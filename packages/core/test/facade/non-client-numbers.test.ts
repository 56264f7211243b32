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

  it.each([
    ['its current number', (n: E164, _old: E164) => n],
    ['a number it gave up', (_n: E164, old: E164) => old],
  ])('V2 an SMS from the business\'s own number (%s) is refused (invalid-input), nothing appended', async (_, sender) => {
    const world = newWorld();
    const old = must(E164.is, '+12015550124');
    await enableUs(world, B1, old);
    await ok(world.mc.changeNumber({ businessId: B1, actor: { kind: 'host', businessId: B1 }, number: N1 }));
    const error = await refusedAppendingNothing(
      world.store,
      world.mc.receiveInbound({ to: N1, from: sender(N1, old), body: 'loop', providerMessageId: 'SM00000000000000000000000000000042' }),
    );
    expect([error.code, error.code === 'invalid-input' ? error.problems : []]).toEqual(['invalid-input', ['from']]);
  });

  it('V1 C2 a client recorded with the business\'s own number as cell phone is not texted', async () => {
    const world = newWorld();
    await enableUs(world, B1, N1);
    await ok(world.mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: 'front-desk-test', uid: 'U-0', name: 'Test', cellPhone: N1 }));
    const error = await refusedAppendingNothing(world.store, world.mc.sendMessage({ businessId: B1, clientId: 'front-desk-test', actor: dana, body: 'Hello' }));
    expect(error.code).toBe('client-has-no-valid-cell-phone');
    expect(world.transport.sent).toHaveLength(0);
  });
});
