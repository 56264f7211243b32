/**
 * Issue 12, defect 6: allotment overrun. B4: "outbound beyond the allotment is refused ... The limit holds
 * under concurrent senders." Eight senders, each texting its own client (eight conversation streams), on
 * a store that answers in 0–2 ms: no more than the allotment may reach the provider.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { always, deliveriesByMessage } from '@message-center/testing';
import { BUSINESS, HOST, PHONES, STAFF, ok, setUpBusiness } from './support/fixtures.js';
import { useRealTime, useVirtualTime } from './support/virtual-time.js';
import { createFaultWorld, driver } from './support/world.js';

const ALLOTMENT = 100;
const SENDERS = 8;
const SENDS_EACH = 20;

beforeEach(useVirtualTime);
afterEach(useRealTime);

describe('issue 12 defect 6: the allotment holds under concurrency', () => {
  it(`${SENDERS} concurrent senders × ${SENDS_EACH} messages against an allotment of ${ALLOTMENT}`, async () => {
    const world = createFaultWorld({
      storePlan: { seed: 6, maxLatencyMs: 2, conflictRate: 0, unavailableBeforeRate: 0, unavailableAfterRate: 0, readUnavailableRate: 0 },
      transportPlan: { ...always('ok'), seed: 6, maxLatencyMs: 2 },
    });
    const run = driver(world);
    const { mc } = world.facade('app');
    const clients = PHONES.slice(0, SENDERS).map((phone, i) => ({ id: `patient-${i + 1}`, name: `Patient ${i + 1}`, phone }));
    await run('set-up', () => setUpBusiness(mc, { messagesPerPeriod: ALLOTMENT, clients }));

    await run('senders', () =>
      Promise.all(
        clients.map(async (client) => {
          for (let n = 0; n < SENDS_EACH; n += 1)
            await mc.sendMessage({ businessId: BUSINESS, clientId: client.id, actor: STAFF, body: `Flu shots are available this week (${n + 1}).` })();
        }),
      ),
    );

    const usage = await run('usage', () => ok('usage', world.checker.usage({ businessId: BUSINESS, viewer: HOST })));
    expect.soft(usage.outbound, 'outbound messages counted in the period').toBeLessThanOrEqual(ALLOTMENT);
    expect(deliveriesByMessage(world.journal).size, 'messages that reached the provider').toBeLessThanOrEqual(ALLOTMENT);
  });
});
