/**
 * Issue 12, defect 7: transport failures escape or block. DESIGN §3: "A transport that throws or hangs is
 * a typed failure under a timeout; one bad message never blocks the rest." The facade never throws: every
 * call answers with an Either.
 */
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deliveriesByMessage, type TransportBehaviour } from '@message-center/testing';
import { BUSINESS, PHONES, STAFF, ok, setUpBusiness } from './support/fixtures.js';
import { settle, useRealTime, useVirtualTime } from './support/virtual-time.js';
import { createFaultWorld, driver } from './support/world.js';

beforeEach(useVirtualTime);
afterEach(useRealTime);

const CLIENTS = PHONES.slice(0, 5).map((phone, i) => ({ id: `client-${i + 1}`, name: `Client ${i + 1}`, phone }));
const BAD: ReadonlyArray<TransportBehaviour> = ['throw', 'reject', 'hang'];

describe('issue 12 defect 7: a bad transport call is a typed failure and blocks nothing', () => {
  it.each(BAD)('sendMessage with a transport that does "%s" answers (no throw, no hang, no internal-error) and keeps the message', async (behaviour) => {
    const world = createFaultWorld({ decideTransport: () => behaviour });
    const { mc } = world.facade('app');
    await driver(world)('set-up', () => setUpBusiness(mc, { clients: CLIENTS }));

    const sent = await settle(mc.sendMessage({ businessId: BUSINESS, clientId: 'client-1', actor: STAFF, messageId: 'visit-reminder', body: 'See you at 3pm.' })(), {
      progress: world.progress,
    });
    expect(sent.kind, 'how sendMessage ended').toBe('resolved');
    if (sent.kind !== 'resolved') return;
    expect(E.isLeft(sent.value) ? sent.value.left.code : 'recorded', 'sendMessage answer').not.toBe('internal-error');
    const view = await driver(world)('conversation', () => ok('conversation', world.checker.conversation({ businessId: BUSINESS, conversationId: 'client-1', viewer: STAFF })));
    expect(view.deliveries.map((d) => d.messageId), 'the message is recorded (not lost)').toContain('visit-reminder');
  });

  it.each(BAD)('dispatchPending with one message whose hand-over does "%s" answers and sends the 4 others', async (behaviour) => {
    const world = createFaultWorld({ decideTransport: (sms) => (sms.messageId === 'bad-1' ? behaviour : 'ok') });
    const run = driver(world);
    const recorder = world.facade('recorder', { transport: false });
    await run('set-up', () => setUpBusiness(recorder.mc, { clients: CLIENTS }));
    // The bad message is the oldest entry of the outbox, the first the dispatcher meets.
    for (const [i, client] of CLIENTS.entries())
      await run('send', () => ok('send', recorder.mc.sendMessage({ businessId: BUSINESS, clientId: client.id, actor: STAFF, messageId: i === 0 ? 'bad-1' : `good-${i}`, body: 'Your results are in.' })));

    const { mc } = world.facade('dispatcher');
    const report = await settle(mc.dispatchPending()(), { progress: world.progress });
    const healthy = [...deliveriesByMessage(world.journal).keys()].filter((id) => id !== 'bad-1');
    expect.soft(healthy.length, 'healthy messages (of 4) that reached the provider').toBe(4);
    expect(report.kind, 'how dispatchPending ended').toBe('resolved');
    if (report.kind === 'resolved') expect(E.isRight(report.value) ? 'report' : report.value.left.code).toBe('report');
  });
});
