/**
 * Issue 12, defect 3: STOP belongs to the phone number, not to a conversation (V3: "unsubscribes the
 * client's PHONE NUMBER from the business: every client sharing it, any later client recorded with it").
 * Carriers and Twilio treat opt-out per phone number; so must every send decision.
 */
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { E164, MessageCenter } from '@message-center/core';
import { inboundSid } from '@message-center/testing';
import { BUSINESS, BUSINESS_NUMBERS, HOST, PHONES, STAFF, at, ok, recordClient, setUpBusiness } from './support/fixtures.js';
import { useRealTime, useVirtualTime } from './support/virtual-time.js';
import { createFaultWorld, driver, type FaultWorld, type FaultWorldOptions } from './support/world.js';

const NUMBER = at(BUSINESS_NUMBERS, 0);
const FAMILY_PHONE = at(PHONES, 0);
const OTHER_PHONE = at(PHONES, 1);

beforeEach(useVirtualTime);
afterEach(useRealTime);

interface Family {
  readonly world: FaultWorld;
  readonly mc: MessageCenter;
  readonly run: ReturnType<typeof driver>;
}

/** Mom is a client with the family phone; the business texts from NUMBER. */
const family = async (options: FaultWorldOptions = {}): Promise<Family> => {
  const world = createFaultWorld(options);
  const run = driver(world);
  const { mc } = world.facade('app');
  await run('set-up', () => setUpBusiness(mc, { number: NUMBER, clients: [{ id: 'mom', name: 'Maria Lopez', phone: FAMILY_PHONE }] }));
  return { world, mc, run };
};

const text = (f: Family, from: E164, body: string, n: number) =>
  f.run(body, () => ok(body, f.mc.receiveInbound({ to: NUMBER, from, body, providerMessageId: inboundSid(n) })));

/** The outcome of a send as a word: the refusal code, or `sent`. */
const send = async (f: Family, clientId: string, body: string): Promise<string> => {
  const result = await f.run(`send to ${clientId}`, () => f.mc.sendMessage({ businessId: BUSINESS, clientId, actor: STAFF, body })());
  return E.isLeft(result) ? result.left.code : 'sent';
};

const handedTo = (f: Family, phone: E164): number => f.world.transport.calls().filter((c) => c.sms.to === phone).length;

describe('issue 12 defect 3: opt-out is per phone number of the business', () => {
  it('V3 STOP from mom; the host records kid with the same phone: a send to kid is refused and nothing reaches the transport', async () => {
    const f = await family();
    await text(f, FAMILY_PHONE, 'STOP', 1);
    await f.run('record kid', () => recordClient(f.mc, 'kid', 'Leo Lopez', FAMILY_PHONE));
    expect(await send(f, 'kid', 'Leo, your braces check-up is on Monday.')).toBe('client-unsubscribed');
    expect(handedTo(f, FAMILY_PHONE), 'SMS handed to the transport for the opted-out phone').toBe(0);

    // Contact history still shows mom's opt-out.
    const history = await f.run('history', () => ok('history', f.world.checker.contactHistory({ businessId: BUSINESS, viewer: STAFF, clientId: 'mom' })));
    expect(history.entries.filter((e) => e.kind === 'unsubscribed')).toHaveLength(1);
  });

  it('V3 STOP from a number that is no client (a tel: conversation); a client later recorded with it cannot be texted', async () => {
    const f = await family();
    await text(f, OTHER_PHONE, 'UNSUBSCRIBE', 1);
    await f.run('record client', () => recordClient(f.mc, 'walk-in', 'Sam Walker', OTHER_PHONE));
    expect(await send(f, 'walk-in', 'Welcome to Acme Dental, Sam!')).toBe('client-unsubscribed');
    expect(handedTo(f, OTHER_PHONE), 'SMS handed to the transport for the opted-out phone').toBe(0);
  });

  it('V3 Twilio answers 21610 for mom: the phone is unsubscribed, so kid (same phone) is not texted either', async () => {
    const f = await family({ decideTransport: (sms) => (sms.to === FAMILY_PHONE ? 'unsubscribed' : 'ok') });
    await f.run('record kid', () => recordClient(f.mc, 'kid', 'Leo Lopez', FAMILY_PHONE));
    await send(f, 'mom', 'Maria, your invoice is ready.');
    expect(handedTo(f, FAMILY_PHONE)).toBe(1);
    expect(await send(f, 'kid', 'Leo, your braces check-up is on Monday.')).toBe('client-unsubscribed');
    expect(handedTo(f, FAMILY_PHONE), 'SMS handed to the transport after the provider answered 21610').toBe(1);
  });

  it('V3 a status callback with 21610 opts out the phone the message went to (mom has moved since): kid on that phone is not texted, mom on her new one is', async () => {
    const f = await family();
    await f.run('record kid', () => recordClient(f.mc, 'kid', 'Leo Lopez', FAMILY_PHONE));
    expect(await send(f, 'mom', 'Maria, your invoice is ready.')).toBe('sent');
    const call = f.world.transport.calls().find((c) => c.sms.to === FAMILY_PHONE);
    const providerMessageId = call?.outcome.kind === 'accepted' ? call.outcome.providerMessageId : null;
    if (providerMessageId === null) throw new Error('the message to mom was not accepted');
    await f.run('mom moves', () => recordClient(f.mc, 'mom', 'Maria Lopez', OTHER_PHONE));
    await f.run('callback', () => ok('callback', f.mc.recordDeliveryStatus({ providerMessageId, status: 'undelivered', errorCode: 21610 })));
    expect(await send(f, 'kid', 'Leo, your braces check-up is on Monday.')).toBe('client-unsubscribed');
    expect(await send(f, 'mom', 'Maria, we have your new number.')).toBe('sent');
    expect(handedTo(f, FAMILY_PHONE), 'SMS handed to the transport after the callback said 21610').toBe(1);
  });

  it('V3 the opt-out stays with the phone when a client moves: texting the new phone works, the old one stays opted out', async () => {
    const f = await family();
    await text(f, FAMILY_PHONE, 'STOP', 1);
    await f.run('mom moves', () => recordClient(f.mc, 'mom', 'Maria Lopez', OTHER_PHONE));
    expect(await send(f, 'mom', 'Maria, we have your new number.'), 'a send to the new, subscribed phone').toBe('sent');
    await f.run('mom moves back', () => recordClient(f.mc, 'mom', 'Maria Lopez', FAMILY_PHONE));
    expect(await send(f, 'mom', 'Maria, are you back on your old number?'), 'a send to the opted-out phone').toBe('client-unsubscribed');
    expect(handedTo(f, FAMILY_PHONE), 'SMS handed to the transport for the opted-out phone').toBe(0);
  });

  it.each<readonly [string, ReadonlyArray<readonly [string, number]>]>([
    ['a START that opted the phone in, redelivered after a later STOP', [['STOP', 1], ['START', 2], ['STOP', 3], ['START', 2]]],
    ['a START that changed nothing, redelivered after a later STOP', [['START', 1], ['STOP', 2], ['START', 1]]],
  ])('V2 V3 %s does not opt the phone back in', async (_label, webhooks) => {
    const f = await family();
    for (const [body, n] of webhooks) await text(f, FAMILY_PHONE, body, n);
    expect(await send(f, 'mom', 'Maria, your invoice is ready.')).toBe('client-unsubscribed');
    expect(handedTo(f, FAMILY_PHONE)).toBe(0);
  });

  it('V3 START from the shared phone opts it in again for everyone sharing it', async () => {
    const f = await family();
    await text(f, FAMILY_PHONE, 'STOP', 1);
    await f.run('record kid', () => recordClient(f.mc, 'kid', 'Leo Lopez', FAMILY_PHONE));
    await text(f, FAMILY_PHONE, 'START', 2);
    expect(await send(f, 'mom', 'Maria, welcome back.'), 'mom after START from her phone').toBe('sent');
    expect(await send(f, 'kid', 'Leo, welcome back.'), 'kid after START from his phone').toBe('sent');
  });

  it('V3 B2 the opt-out survives a change of the business number', async () => {
    const f = await family();
    await text(f, FAMILY_PHONE, 'STOP', 1);
    await f.run('changeNumber', () => ok('changeNumber', f.mc.changeNumber({ businessId: BUSINESS, actor: HOST, number: at(BUSINESS_NUMBERS, 1) })));
    await f.run('record kid', () => recordClient(f.mc, 'kid', 'Leo Lopez', FAMILY_PHONE));
    expect(await send(f, 'mom', 'Maria, we have a new number.')).toBe('client-unsubscribed');
    expect(await send(f, 'kid', 'Leo, we have a new number.')).toBe('client-unsubscribed');
    expect(handedTo(f, FAMILY_PHONE)).toBe(0);
  });
});
