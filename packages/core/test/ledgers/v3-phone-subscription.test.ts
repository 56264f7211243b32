/** V3 per phone (issue 12): the subscription of one phone to one business, whatever client or conversation said it. */
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { expect } from 'vitest';
import { phoneSubscriptionDecider, type PhoneSubscriptionCommand } from '@message-center/core/internals';
import { FIXTURE, timestampArb } from '@message-center/testing';

const commandArb: fc.Arbitrary<PhoneSubscriptionCommand> = fc.record({
  type: fc.constantFrom('OptOut' as const, 'OptIn' as const),
  businessId: fc.constant(FIXTURE.businessId),
  phone: fc.constant(FIXTURE.clientPhone),
  source: fc.constantFrom('keyword' as const, 'opt-out-type' as const, 'provider-error' as const),
  keyword: fc.constantFrom('STOP', 'START', null),
  messageId: fc.constant(null),
  at: timestampArb,
});

test.prop([fc.array(commandArb, { maxLength: 30 })])(
  'V3 a phone is subscribed until it opts out; changes alternate, repeats record nothing, and the state follows the last change',
  (commands) => {
    let state = phoneSubscriptionDecider.initialState;
    expect(state.status).toBe('subscribed');
    for (const command of commands) {
      const decided = phoneSubscriptionDecider.decide(command, state);
      if (E.isLeft(decided)) throw new Error(decided.left.message);
      const wanted = command.type === 'OptOut' ? 'unsubscribed' : 'subscribed';
      expect(decided.right.map((e) => e.type)).toEqual(state.status === wanted ? [] : [command.type === 'OptOut' ? 'PhoneUnsubscribed' : 'PhoneResubscribed']);
      state = phoneSubscriptionDecider.fold(state, decided.right);
      expect(state.status).toBe(wanted);
    }
  },
);
