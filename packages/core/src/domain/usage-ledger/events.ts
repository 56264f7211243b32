import * as t from 'io-ts';
import { ConversationId } from '../conversation/events.js';
import { BusinessId, MessageId } from '../values/ids.js';
import { Timestamp } from '../values/timestamp.js';

/**
 * B4 (issue 12): the messages of one business in one billing period, as one consistency boundary,
 * `mc-usage-{business}-{period}`. An outbound message reserves its place here (appended with the expected
 * revision) before it is recorded in its conversation, so concurrent senders can never exceed the allotment;
 * an inbound message is counted here too, and never refused.
 */
const counted = <T extends string, D extends t.Props>(type: T, extra: D) =>
  t.readonly(
    t.type({
      type: t.literal(type),
      data: t.readonly(t.type({ businessId: BusinessId, period: t.string, messageId: MessageId, at: Timestamp, ...extra })),
    }),
    type,
  );

/**
 * An outbound message took its place in the period; `overage` when it is beyond the allotment (billed).
 * `conversationId` (absent in events written before it was added) says whose message it is: a host may
 * give messages of different conversations one id, and each counts.
 */
export const OutboundReserved = t.intersection(
  [counted('OutboundReserved', { overage: t.boolean }), t.type({ data: t.readonly(t.partial({ conversationId: ConversationId })) })],
  'OutboundReserved',
);
/** An inbound message counted in the period (B4: inbound counts too, and is always recorded). */
export const InboundCounted = counted('InboundCounted', {});
export const UsageLedgerEvent = t.union([OutboundReserved, InboundCounted], 'UsageLedgerEvent');
export type UsageLedgerEvent = t.TypeOf<typeof UsageLedgerEvent>;
