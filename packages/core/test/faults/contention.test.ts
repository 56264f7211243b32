/**
 * Issue 12, defect 5: contention loses work. Eight writers on one conversation, on a store that answers
 * in 0–2 ms and never fails: contention alone must not lose anything (item 4: retries with backoff and
 * jitter; `receiveInbound` records what it acknowledges; `sendMessage` never reports failure once the
 * provider took the message, because a host would then send it again).
 */
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageCenterError, MessageId, ProviderMessageId } from '@message-center/core';
import { always, deliveriesByMessage, inboundSid, reachedProvider } from '@message-center/testing';
import { BUSINESS, BUSINESS_NUMBERS, PHONES, STAFF, at, messageId, ok, setUpBusiness } from './support/fixtures.js';
import { useRealTime, useVirtualTime } from './support/virtual-time.js';
import { createFaultWorld, driver } from './support/world.js';

const WRITERS = 8;
const COMMANDS_PER_WRITER = 100;
const NUMBER = at(BUSINESS_NUMBERS, 0);
const ANA = at(PHONES, 0);

beforeEach(useVirtualTime);
afterEach(useRealTime);

type Outcome =
  | { readonly kind: 'inbound'; readonly sid: ProviderMessageId; readonly error: MessageCenterError | null }
  | { readonly kind: 'send'; readonly messageId: MessageId; readonly error: MessageCenterError | null };

describe('issue 12 defect 5: contention without loss', () => {
  it(`${WRITERS} writers × ${COMMANDS_PER_WRITER} commands on one conversation (store latency 0–2 ms, no failures) lose nothing`, async () => {
    const world = createFaultWorld({
      storePlan: { seed: 2, maxLatencyMs: 2, conflictRate: 0, unavailableBeforeRate: 0, unavailableAfterRate: 0, readUnavailableRate: 0 },
      transportPlan: { ...always('ok'), seed: 2, maxLatencyMs: 2 },
    });
    const run = driver(world);
    const { mc } = world.facade('app');
    await run('set-up', () => setUpBusiness(mc, { number: NUMBER, clients: [{ id: 'ana', name: 'Ana Ruiz', phone: ANA }] }));

    const writer = async (w: number): Promise<ReadonlyArray<Outcome>> => {
      const outcomes: Outcome[] = [];
      for (let i = 0; i < COMMANDS_PER_WRITER; i += 1) {
        if ((w + i) % 2 === 0) {
          const sid = inboundSid(w * 1000 + i);
          const r = await mc.receiveInbound({ to: NUMBER, from: ANA, body: `On my way (${w}.${i})`, providerMessageId: sid })();
          outcomes.push({ kind: 'inbound', sid, error: E.isLeft(r) ? r.left : null });
        } else {
          const id = messageId(`reply-${w}-${i}`);
          const r = await mc.sendMessage({ businessId: BUSINESS, clientId: 'ana', actor: STAFF, messageId: id, body: `See you soon (${w}.${i})` })();
          outcomes.push({ kind: 'send', messageId: id, error: E.isLeft(r) ? r.left : null });
        }
      }
      return outcomes;
    };
    const outcomes = (await run('writers', () => Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w))))).flat();

    const history = await run('history', () => ok('history', world.checker.contactHistory({ businessId: BUSINESS, viewer: STAFF, clientId: 'ana' })));
    const recorded = new Set(history.entries.flatMap((e) => (e.kind === 'inbound' ? [e.providerMessageId] : [])));
    const handedOver = new Set(world.journal.sends().filter(reachedProvider).map((c) => c.sms.messageId));

    const conflicts = outcomes.filter((o) => o.error?.code === 'concurrency-conflict');
    const inbound = outcomes.flatMap((o) => (o.kind === 'inbound' ? [o] : []));
    const lostInbound = inbound.filter((o) => !recorded.has(o.sid));
    const acknowledgedButLost = lostInbound.filter((o) => o.error === null);
    const failedAfterHandOver = outcomes.filter((o) => o.kind === 'send' && o.error !== null && handedOver.has(o.messageId));
    const twice = [...deliveriesByMessage(world.journal).values()].filter((calls) => calls.length > 1);

    expect.soft(conflicts.length, `commands (of ${outcomes.length}) that ended in concurrency-conflict: ${conflicts.map((c) => `${c.kind} (${c.error?.message ?? ""})`).join(", ")}`).toBe(0);
    expect.soft(lostInbound.length, `inbound messages (of ${inbound.length}) never recorded`).toBe(0);
    expect.soft(acknowledgedButLost.length, 'inbound messages acknowledged and not recorded').toBe(0);
    expect.soft(failedAfterHandOver.length, 'sends reported as failed after the provider took the SMS').toBe(0);
    expect.soft(twice.length, 'messages the provider got twice').toBe(0);
  });
});
