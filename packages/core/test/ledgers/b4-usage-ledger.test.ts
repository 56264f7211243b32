/** B4 (issue 12): one ledger per business and billing period decides every outbound reservation. */
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { expect } from 'vitest';
import { ClientId, MessageId } from '@message-center/core';
import { usageLedgerDecider, type UsageLedgerCommand } from '@message-center/core/internals';
import { FIXTURE, timestampArb } from '@message-center/testing';

const messageIdArb = fc.integer({ min: 1, max: 40 }).map((n) => {
  const id = `m${n}`;
  if (!MessageId.is(id)) throw new RangeError(id);
  return id;
});
const OTHER_CONVERSATION = ((id: string) => {
  if (!ClientId.is(id)) throw new RangeError(id);
  return id;
})('another-client');

/** One count per message: by direction, and for outbound by conversation too (ids are unique per conversation only). */
const keyOf = (c: UsageLedgerCommand): string => (c.type === 'CountInbound' ? `in ${c.messageId}` : `out ${c.conversationId} ${c.messageId}`);

const allotmentArb = fc.record({ messagesPerPeriod: fc.integer({ min: 0, max: 12 }), overage: fc.constantFrom('refuse' as const, 'allow' as const) });
const commandArb = (allotment: { readonly messagesPerPeriod: number; readonly overage: 'refuse' | 'allow' }): fc.Arbitrary<UsageLedgerCommand> =>
  fc.record({ outbound: fc.boolean(), conversationId: fc.constantFrom(FIXTURE.conversationId, OTHER_CONVERSATION), messageId: messageIdArb, at: timestampArb }).map(({ outbound, conversationId, messageId, at }) =>
    outbound
      ? { type: 'ReserveOutbound', businessId: FIXTURE.businessId, conversationId, period: '2026-11', messageId, at, allotment }
      : { type: 'CountInbound', businessId: FIXTURE.businessId, period: '2026-11', messageId, at },
  );

test.prop([allotmentArb.chain((allotment) => fc.tuple(fc.constant(allotment), fc.array(commandArb(allotment), { maxLength: 60 })))])(
  'B4 every message counts once (an id reused in another conversation or direction is another message); outbound beyond the allotment is refused (or flagged overage); inbound is never refused',
  ([allotment, commands]) => {
    let state = usageLedgerDecider.initialState;
    const seen = new Set<string>();
    for (const command of commands) {
      const used = state.outbound + state.inbound;
      const decided = usageLedgerDecider.decide(command, state);
      if (seen.has(keyOf(command))) expect(decided).toEqual(E.right([]));
      else if (command.type === 'CountInbound') expect(E.isRight(decided) && decided.right.map((e) => e.type)).toEqual(['InboundCounted']);
      else if (used < allotment.messagesPerPeriod) expect(E.isRight(decided) && decided.right).toMatchObject([{ type: 'OutboundReserved', data: { overage: false } }]);
      else if (allotment.overage === 'allow') expect(E.isRight(decided) && decided.right).toMatchObject([{ type: 'OutboundReserved', data: { overage: true } }]);
      else expect(E.isLeft(decided) && decided.left.code).toBe('allotment-exhausted');
      if (E.isRight(decided)) {
        state = usageLedgerDecider.fold(state, decided.right);
        if (decided.right.length > 0) seen.add(keyOf(command));
      }
    }
    expect(state.outbound + state.inbound).toBe(seen.size);
    // With overage refused, reservations never take the period past its allotment.
    if (allotment.overage === 'refuse') expect(state.outbound).toBeLessThanOrEqual(allotment.messagesPerPeriod);
  },
);
