import * as E from 'fp-ts/lib/Either.js';
import { makeDecider } from '../decider.js';
import type { DomainError } from '../errors.js';
import type { BusinessId, MessageId } from '../values/ids.js';
import type { E164 } from '../values/phone-number.js';
import type { Timestamp } from '../values/timestamp.js';
import type { PhoneSubscriptionEvent } from './events.js';

/** Which way a phone's subscription should go, and what said so. */
export interface PhoneSubscriptionCommand {
  readonly type: 'OptOut' | 'OptIn';
  readonly businessId: BusinessId;
  readonly phone: E164;
  readonly source: 'keyword' | 'opt-out-type' | 'provider-error';
  readonly keyword: string | null;
  readonly messageId: MessageId | null;
  readonly at: Timestamp;
}

export interface PhoneSubscriptionState {
  /** Subscribed until the phone says otherwise: a phone the business never heard from may be texted. */
  readonly status: 'subscribed' | 'unsubscribed';
  readonly changedAt: Timestamp | null;
  /** The messages that changed it: a redelivered STOP or START (webhooks are at-least-once) changes it no more. */
  readonly changedBy: ReadonlySet<MessageId>;
}

export const initialPhoneSubscription: PhoneSubscriptionState = { status: 'subscribed', changedAt: null, changedBy: new Set() };

/**
 * V3: STOP unsubscribes, START resubscribes; asking for the state the phone is already in records nothing,
 * and neither does a message that changed it before (a START redelivered after a later STOP).
 */
const decide = (c: PhoneSubscriptionCommand, s: PhoneSubscriptionState): E.Either<DomainError, ReadonlyArray<PhoneSubscriptionEvent>> => {
  if (c.messageId !== null && s.changedBy.has(c.messageId)) return E.right([]);
  const data = { businessId: c.businessId, phone: c.phone, source: c.source, keyword: c.keyword, messageId: c.messageId, at: c.at };
  if (c.type === 'OptOut') return E.right(s.status === 'unsubscribed' ? [] : [{ type: 'PhoneUnsubscribed', data }]);
  return E.right(s.status === 'subscribed' ? [] : [{ type: 'PhoneResubscribed', data }]);
};

export const phoneSubscriptionDecider = makeDecider<PhoneSubscriptionCommand, PhoneSubscriptionState, PhoneSubscriptionEvent>({
  initialState: initialPhoneSubscription,
  decide,
  apply: (draft, event) => {
    draft.status = event.type === 'PhoneUnsubscribed' ? 'unsubscribed' : 'subscribed';
    draft.changedAt = event.data.at;
    if (event.data.messageId !== null) draft.changedBy.add(event.data.messageId);
  },
});

/**
 * V3 for one send: the phone's own stream decides once it has said anything; a phone with no stream yet
 * (a log written before per-phone opt-outs) falls back to the conversation's own record for the phone it was
 * about, so an opt-out recorded only there is never forgotten.
 */
export const phoneOptedOut = (
  phone: PhoneSubscriptionState,
  conversation: { readonly subscription: { readonly status: 'subscribed' | 'unsubscribed' }; readonly identity: { readonly phone: E164 } | null },
  to: E164,
): boolean =>
  phone.changedAt !== null
    ? phone.status === 'unsubscribed'
    : conversation.subscription.status === 'unsubscribed' && (conversation.identity === null || conversation.identity.phone === to);
