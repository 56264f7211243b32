import * as t from 'io-ts';
import { Actor, StaffActor } from '../actor.js';
import { AllotmentCodec } from '../business/events.js';
import { BusinessId, ClientId, MessageId, ProviderMessageId } from '../values/ids.js';
import { MediaList } from '../values/media.js';
import { E164 } from '../values/phone-number.js';
import { Timestamp } from '../values/timestamp.js';
import { ConversationId, DeliveryStatusCodec } from './events.js';

const command = <T extends string, D extends t.Props>(type: T, props: D) =>
  t.readonly(t.type({ type: t.literal(type), businessId: BusinessId, conversationId: ConversationId, ...props }), type);

/**
 * What the other aggregates say about a send, loaded by the application layer so that `decide` stays
 * pure: the business (null when the Message Center is not enabled), the usage of the current billing
 * period, and the recipient's number (null with the reason when the client cannot receive SMS).
 */
export const SendContext = t.readonly(
  t.type({
    business: t.union([
      t.readonly(t.type({ number: E164, allotment: AllotmentCodec, usedInPeriod: t.number })),
      t.null,
    ]),
    recipient: t.readonly(
      t.type({
        clientId: t.union([ClientId, t.null]),
        phone: t.union([E164, t.null]),
        problem: t.union([t.string, t.null]),
        /** V3 (issue 12): the opt-out of the phone, per business; null when its stream has said nothing (the conversation's own record decides). */
        phoneOptedOut: t.union([t.boolean, t.null]),
      }),
    ),
  }),
  'SendContext',
);
export type SendContext = t.TypeOf<typeof SendContext>;

/** The outbox (issue 12): a dispatcher's claim on one message, held until `expiresAt`. */
export const ClaimTerms = t.readonly(t.type({ claimId: MessageId, expiresAt: Timestamp }), 'ClaimTerms');

/**
 * V1 (C3: exactly one recipient — there is no group send). With `claim`, the sender also claims the new
 * message in the same append, to hand it over at once (no other dispatcher may take it meanwhile).
 */
export const SendMessage = command('SendMessage', {
  actor: Actor,
  messageId: MessageId,
  body: t.string,
  context: SendContext,
  claim: t.union([ClaimTerms, t.null]),
  at: Timestamp,
});

/**
 * The outbox (issue 12): a dispatcher claims a pending message before it hands it over, with the numbers
 * it decided again (`from`: the business's current number; `to`: the client's current phone). Nothing
 * happens if the message left the outbox or another dispatcher's claim has not expired.
 */
export const ClaimOutbound = command('ClaimOutbound', {
  messageId: MessageId,
  claimId: MessageId,
  from: E164,
  to: E164,
  expiresAt: Timestamp,
  at: Timestamp,
});

/**
 * The outbox decided again before a hand-over and found the message may not leave (the phone opted out,
 * the client has no cell phone, the Message Center was disabled): it is recorded as failed, never sent.
 * Nothing happens while another dispatcher's claim holds it: that one decided to send. `claimId` names the
 * withdrawer's own claim when it decided again after claiming (null: it holds none).
 */
export const WithdrawOutbound = command('WithdrawOutbound', {
  messageId: MessageId,
  claimId: t.union([MessageId, t.null]),
  reason: t.string,
  message: t.string,
  at: Timestamp,
});

/** The provider answered that it cannot take the message now: the dispatcher ends its own claim. */
export const ReleaseOutboundClaim = command('ReleaseOutboundClaim', {
  messageId: MessageId,
  claimId: MessageId,
  reason: t.string,
  at: Timestamp,
});

export const OptOutTypeCodec = t.keyof({ STOP: null, START: null, HELP: null }, 'OptOutType');

/**
 * V2/V3: a client's SMS or MMS, already routed to this conversation by the business number (B2). The
 * media are part of the message (V2); opt-out and opt-in keywords are read from the body alone (V3).
 */
export const ReceiveInbound = command('ReceiveInbound', {
  clientId: t.union([ClientId, t.null]),
  messageId: MessageId,
  providerMessageId: ProviderMessageId,
  from: E164,
  to: E164,
  body: t.string,
  media: MediaList,
  optOutType: t.union([OptOutTypeCodec, t.null]),
  at: Timestamp,
});

export const RecordDispatched = command('RecordDispatched', {
  messageId: MessageId,
  providerMessageId: ProviderMessageId,
  status: DeliveryStatusCodec,
  at: Timestamp,
});

/** `reason` is the transport's error code; `recipient-unsubscribed` (Twilio 21610) also opts the client out. */
export const RecordDispatchFailed = command('RecordDispatchFailed', {
  messageId: MessageId,
  reason: t.string,
  providerCode: t.union([t.number, t.null]),
  message: t.string,
  at: Timestamp,
});

/** V10 */
export const RecordDeliveryStatus = command('RecordDeliveryStatus', {
  providerMessageId: ProviderMessageId,
  status: DeliveryStatusCodec,
  errorCode: t.union([t.number, t.null]),
  at: Timestamp,
});

export const MarkRead = command('MarkRead', { actor: StaffActor, at: Timestamp });
export const MarkUnread = command('MarkUnread', { actor: StaffActor, at: Timestamp });
export const Archive = command('Archive', { actor: Actor, at: Timestamp });
export const Unarchive = command('Unarchive', { actor: Actor, at: Timestamp });
export const Mute = command('Mute', { actor: Actor, at: Timestamp });
export const Unmute = command('Unmute', { actor: Actor, at: Timestamp });
export const Pin = command('Pin', { actor: Actor, at: Timestamp });
export const Unpin = command('Unpin', { actor: Actor, at: Timestamp });

export const ConversationCommand = t.union([
  SendMessage,
  ReceiveInbound,
  ClaimOutbound,
  ReleaseOutboundClaim,
  WithdrawOutbound,
  RecordDispatched,
  RecordDispatchFailed,
  RecordDeliveryStatus,
  MarkRead,
  MarkUnread,
  Archive,
  Unarchive,
  Mute,
  Unmute,
  Pin,
  Unpin,
]);
export type ConversationCommand = t.TypeOf<typeof ConversationCommand>;
