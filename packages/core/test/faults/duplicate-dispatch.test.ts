/**
 * Issue 12, defect 2: duplicate SMS. A dispatcher must claim an outbox entry (in its stream, with an
 * expected revision) before it hands it to the transport, so a sweep that overlaps a send in flight, or
 * two dispatchers in one process or in two, never send one message twice (DESIGN §3).
 */
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { always, deliveriesByMessage, type TransportFaultPlan } from '@message-center/testing';
import { BUSINESS, PHONES, STAFF, at, ok, setUpBusiness } from './support/fixtures.js';
import { useRealTime, useVirtualTime } from './support/virtual-time.js';
import { createFaultWorld, driver, type FaultWorld } from './support/world.js';

beforeEach(useVirtualTime);
afterEach(useRealTime);

const CLIENTS = PHONES.slice(0, 5).map((phone, i) => ({ id: `client-${i + 1}`, name: `Client ${i + 1}`, phone }));

/** Message ids handed to the provider more than once, with how many times. */
const sentTwice = (world: FaultWorld): ReadonlyArray<readonly [string, number]> =>
  [...deliveriesByMessage(world.journal)].filter(([, calls]) => calls.length > 1).map(([id, calls]) => [id, calls.length] as const);

/** The provider answers after 0–50 ms. */
const provider50ms: TransportFaultPlan = { ...always('ok'), seed: 12, minLatencyMs: 0, maxLatencyMs: 50 };

describe('issue 12 defect 2: one message, one SMS', () => {
  it('a sweep every 200 ms while messages are being sent (50 ms provider latency) sends none of 100 messages twice', async () => {
    const world = createFaultWorld({ transportPlan: always('ok', 50) });
    const run = driver(world);
    const { mc } = world.facade('app');
    await run('set-up', () => setUpBusiness(mc, { clients: CLIENTS }));

    const sweeps: Array<Promise<unknown>> = [];
    // The host's scheduler, as docs/twilio.md recommends: dispatchPending on a timer.
    const timer = setInterval(() => sweeps.push(mc.dispatchPending()()), 200);
    await run(
      '100 sends with sweeps',
      async () => {
        for (let n = 0; n < 100; n += 1) {
          const client = at(CLIENTS, n % CLIENTS.length);
          await mc.sendMessage({ businessId: BUSINESS, clientId: client.id, actor: STAFF, body: `Reminder ${n + 1}: your appointment is on Friday.` })();
        }
        clearInterval(timer);
        await Promise.all(sweeps);
      },
      { maxVirtualMs: 120_000 },
    );

    expect(deliveriesByMessage(world.journal).size, 'messages that reached the provider').toBe(100);
    expect(sentTwice(world).length, `messages sent more than once (${world.transport.calls().length} hand-overs)`).toBe(0);
  });

  it.each<readonly [string, number, boolean]>([
    ['two processes (two facades on one store)', 2, true],
    ['four overlapping sweeps in one process', 4, false],
  ])('%s dispatching 20 pending messages send each exactly once', async (_label, dispatchers, processes) => {
    const world = createFaultWorld({ transportPlan: provider50ms });
    const run = driver(world);
    const recorder = world.facade('recorder', { transport: false });
    await run('set-up', () => setUpBusiness(recorder.mc, { clients: CLIENTS }));
    for (let n = 0; n < 20; n += 1) {
      const client = at(CLIENTS, n % CLIENTS.length);
      await run('send', () => ok('send', recorder.mc.sendMessage({ businessId: BUSINESS, clientId: client.id, actor: STAFF, body: `Your order #${1000 + n} is ready.` })));
    }

    const shared = world.facade('process-1').mc;
    const facades = Array.from({ length: dispatchers }, (_, i) => (processes ? world.facade(`process-${i + 1}`).mc : shared));
    const reports = await run('concurrent dispatchPending', () => Promise.all(facades.map((mc) => mc.dispatchPending()())));
    expect(reports.every(E.isRight)).toBe(true);

    expect(deliveriesByMessage(world.journal).size, 'messages that reached the provider').toBe(20);
    expect(sentTwice(world).length, `messages sent more than once (${world.transport.calls().length} hand-overs)`).toBe(0);
  });
});
