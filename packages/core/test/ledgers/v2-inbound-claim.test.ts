/** V2 (issue 12): a provider message id is claimed once per business; every redelivery goes where the first went. */
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { expect } from 'vitest';
import { inboundClaimDecider, type ClaimInbound } from '@message-center/core/internals';
import { FIXTURE, adversarialConversationIdArb, messageIdArb, providerMessageIdArb, timestampArb } from '@message-center/testing';

const claimArb: fc.Arbitrary<ClaimInbound> = fc.record({
  type: fc.constant('ClaimInbound' as const),
  businessId: fc.constant(FIXTURE.businessId),
  providerMessageId: providerMessageIdArb,
  conversationId: adversarialConversationIdArb,
  messageId: messageIdArb,
  at: timestampArb,
});

test.prop([fc.array(claimArb, { minLength: 1, maxLength: 10 })])(
  'V2 the first delivery claims the provider id; later deliveries, however routed, decide nothing and find the first claim',
  (claims) => {
    let state = inboundClaimDecider.initialState;
    for (const [i, claim] of claims.entries()) {
      const decided = inboundClaimDecider.decide(claim, state);
      if (E.isLeft(decided)) throw new Error(decided.left.message);
      expect(decided.right).toHaveLength(i === 0 ? 1 : 0);
      state = inboundClaimDecider.fold(state, decided.right);
    }
    const first = claims[0];
    expect(state.claimed).toEqual(first === undefined ? null : { conversationId: first.conversationId, messageId: first.messageId });
  },
);
