import * as t from 'io-ts';
import { SubscriptionChangeSource } from '../conversation/events.js';
import { BusinessId, MessageId } from '../values/ids.js';
import { E164 } from '../values/phone-number.js';
import { Timestamp } from '../values/timestamp.js';

/**
 * V3 (issue 12): carriers and Twilio keep opt-outs per phone number, not per client: when `mom` texts STOP,
 * a client `kid` recorded later with the same phone is opted out too. So the subscription of a phone to a
 * business is its own stream, `mc-subscription-{business}-{phone}`, consulted by every send decision and
 * again right before dispatch. Conversations still record their own opt-out events for contact history.
 */
const change = <T extends 'PhoneUnsubscribed' | 'PhoneResubscribed'>(type: T) =>
  t.readonly(
    t.type({
      type: t.literal(type),
      data: t.readonly(
        t.type({
          businessId: BusinessId,
          phone: E164,
          source: SubscriptionChangeSource,
          keyword: t.union([t.string, t.null]),
          /** The inbound message that said STOP/START, or the outbound that the provider refused (21610). */
          messageId: t.union([MessageId, t.null]),
          at: Timestamp,
        }),
      ),
    }),
    type,
  );

export const PhoneUnsubscribed = change('PhoneUnsubscribed');
export const PhoneResubscribed = change('PhoneResubscribed');
export const PhoneSubscriptionEvent = t.union([PhoneUnsubscribed, PhoneResubscribed], 'PhoneSubscriptionEvent');
export type PhoneSubscriptionEvent = t.TypeOf<typeof PhoneSubscriptionEvent>;
