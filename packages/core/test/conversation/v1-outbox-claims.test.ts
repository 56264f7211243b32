/**
 * V1/V3 and the outbox (DESIGN §3, issue 12): a dispatcher claims a message before it hands it over, so
 * one claim holds at a time; a claim ends with the outcome, by its holder's release, or by expiring; a
 * withdrawal (the second decision refused the message) never overtakes a live claim.
 */
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import type { MessageId } from '@message-center/core';
import type { ConversationState } from '@message-center/core/internals';
import type { ConversationEvent } from '@message-center/core/internals';
import { historyArb } from '@message-center/testing';
import { HEAVY_TIMEOUT } from '../heavy-property.js';

const claimOf = (state: ConversationState, id: MessageId) => state.outbound.get(id)?.claim ?? null;
const eventsOf = <T extends ConversationEvent['type']>(events: ReadonlyArray<ConversationEvent>, type: T) =>
  events.filter((e): e is Extract<ConversationEvent, { readonly type: T }> => e.type === type);

describe('V1 the outbox claims a message before its hand-over', () => {
  test.prop([historyArb(80)], { numRuns: 300 })(
    'V1 a claim is made only on a pending message that no other live claim holds',
    ({ steps }) => {
      for (const { command, before, result } of steps) {
        if (E.isLeft(result)) continue;
        for (const claimed of eventsOf(result.right, 'OutboundClaimed')) {
          const delivery = before.outbound.get(claimed.data.messageId);
          // A send claims the message it records in the same append.
          if (command.type === 'SendMessage') {
            expect(delivery).toBeUndefined();
            continue;
          }
          expect(delivery?.status).toBe('pending');
          expect(delivery?.providerMessageId).toBeNull();
          const held = delivery?.claim ?? null;
          expect(held === null || held.expiresAt <= command.at, `claim ${claimed.data.claimId} made while ${held?.claimId ?? ''} held until ${held?.expiresAt ?? ''}`).toBe(true);
        }
      }
    },
    HEAVY_TIMEOUT,
  );

  test.prop([historyArb(80)], { numRuns: 300 })(
    'V1 a claim ends only by its holder, an outcome or expiry; a withdrawal never overtakes another\'s live claim',
    ({ steps }) => {
      for (const { command, before, result } of steps) {
        if (E.isLeft(result)) continue;
        for (const released of eventsOf(result.right, 'OutboundClaimReleased')) expect(claimOf(before, released.data.messageId)?.claimId).toBe(released.data.claimId);
        if (command.type === 'WithdrawOutbound')
          for (const failed of eventsOf(result.right, 'OutboundDispatchFailed')) {
            // Only the claim's own holder withdraws a message while its claim holds (it decided once more after claiming).
            const held = claimOf(before, failed.data.messageId);
            expect(held === null || held.expiresAt <= command.at || held.claimId === command.claimId).toBe(true);
          }
      }
    },
    HEAVY_TIMEOUT,
  );

  test.prop([historyArb(80)], { numRuns: 300 })('V1 a message that left the outbox holds no claim and is never claimed again', ({ events, state }) => {
    for (const [id, delivery] of state.outbound) if (delivery.status !== 'pending' || delivery.providerMessageId !== null) expect(claimOf(state, id)).toBeNull();
    // After a message's outcome, no later OutboundClaimed names it.
    const ended = new Set<string>();
    for (const e of events) {
      if (e.type === 'OutboundDispatched' || e.type === 'OutboundDispatchFailed') ended.add(e.data.messageId);
      if (e.type === 'OutboundClaimed') expect(ended.has(e.data.messageId), `${e.data.messageId} claimed after its outcome`).toBe(false);
    }
  }, HEAVY_TIMEOUT);
});
