import * as E from 'fp-ts/lib/Either.js';
import { makePersistentDecider, type Working } from '../decider.js';
import { authorOf } from '../actor.js';
import { authorize, COMMAND_OPERATION } from '../authorization.js';
import { notEnabled, type DomainError } from '../errors.js';
import { checkOutboundAllotment } from '../policies/allotment.js';
import { nextDeliveryStatus } from '../policies/delivery-status.js';
import { PROVIDER_UNSUBSCRIBED_CODE, subscriptionIntent } from '../policies/opt-out-keywords.js';
import { answered, markedUnread, readUpTo } from '../policies/read-marks.js';
import { segmentCount } from '../policies/segments.js';
import { checkOutboundBody } from '../values/message-body.js';
import type { ConversationCommand } from './commands.js';
import type { ConversationEvent } from './events.js';
import { initialConversationState, UNREAD_MARK, type ConversationState, type OutboundClaim, type OutboundDelivery } from './state.js';
import type { Timestamp } from '../values/timestamp.js';
import type { MessageId, StaffId } from '../values/ids.js';
import type { Edit } from '../collections/edit.js';

type Decision = E.Either<DomainError, ReadonlyArray<ConversationEvent>>;
type Command<T extends ConversationCommand['type']> = Extract<ConversationCommand, { readonly type: T }>;

const none: Decision = E.right([]);

const notFound: DomainError = { code: 'conversation-not-found', message: 'there is no such conversation' };

const sendMessage = (c: Command<'SendMessage'>, s: ConversationState): Decision => {
  const authorized = authorize('sendMessage', c.actor, c.businessId);
  if (E.isLeft(authorized)) return authorized;
  // A retried command (same message id) was already decided: nothing new happens.
  if (s.outbound.has(c.messageId)) return none;
  const business = c.context.business;
  if (business === null)
    return E.left(notEnabled);
  // V2: a number that is no client's may be texted only in reply to a conversation it started.
  if (c.context.recipient.clientId === null && s.identity === null)
    return E.left({ code: 'conversation-not-found', message: 'a number that is not a client can be texted only in reply to a conversation it started' });
  const phone = c.context.recipient.phone;
  if (phone === null)
    return E.left({
      code: 'client-has-no-valid-cell-phone',
      message: `the client cannot receive SMS: ${c.context.recipient.problem ?? 'no valid cell phone'}`,
    });
  // The business texting its own number would loop through the provider (a client recorded with it by mistake).
  if (phone === business.number)
    return E.left({ code: 'client-has-no-valid-cell-phone', message: "the client cannot receive SMS: the cell phone is the business's own number" });
  const body = checkOutboundBody(c.body);
  if (E.isLeft(body)) return body;
  // V3: whatever the notification settings, nothing goes to a client who opted out.
  // V3 (issue 12): the phone's own opt-out decides once it has said anything, whichever client said it. A
  // phone whose stream is silent falls back to the conversation's record, for the phone it was about.
  if (c.context.recipient.phoneOptedOut ?? (s.subscription.status === 'unsubscribed' && (s.identity === null || s.identity.phone === phone)))
    return E.left({ code: 'client-unsubscribed', message: 'the client has opted out of SMS (replied STOP); they must text START to opt in again' });
  const allotment = checkOutboundAllotment(business.allotment, business.usedInPeriod);
  if (!allotment.allowed)
    return E.left({
      code: 'allotment-exhausted',
      message: `the plan allows ${allotment.limit} messages in this billing period and ${allotment.used} are used`,
      limit: allotment.limit,
      used: allotment.used,
    });
  return E.right([
    ...(s.identity === null
      ? [
          {
            type: 'ConversationStarted' as const,
            data: { businessId: c.businessId, conversationId: c.conversationId, clientId: c.context.recipient.clientId, phone, at: c.at },
          },
        ]
      : []),
    {
      type: 'OutboundSent',
      data: {
        messageId: c.messageId,
        seq: s.lastSeq + 1,
        author: authorOf(c.actor),
        from: business.number,
        to: phone,
        body: c.body,
        segments: segmentCount(c.body),
        overage: allotment.overage,
        at: c.at,
      },
    },
    ...(c.claim === null
      ? []
      : [{ type: 'OutboundClaimed' as const, data: { messageId: c.messageId, claimId: c.claim.claimId, from: business.number, to: phone, expiresAt: c.claim.expiresAt, at: c.at } }]),
  ]);
};

/** The outbox: a claim by someone else that has not expired at `at` holds the message. */
const heldByAnother = (claim: OutboundClaim | null, claimId: OutboundClaim['claimId'], at: Timestamp): boolean =>
  claim !== null && claim.claimId !== claimId && claim.expiresAt > at;

/** Issue 12: one dispatcher at a time hands a message over; a message that left the outbox is not claimed. */
const claimOutbound = (c: Command<'ClaimOutbound'>, s: ConversationState): Decision => {
  const delivery = s.outbound.get(c.messageId);
  if (delivery === undefined) return E.left(messageNotFound(c.messageId));
  if (delivery.status !== 'pending' || delivery.providerMessageId !== null) return none;
  if (delivery.claim?.claimId === c.claimId || heldByAnother(delivery.claim, c.claimId, c.at)) return none;
  return E.right([{ type: 'OutboundClaimed', data: { messageId: c.messageId, claimId: c.claimId, from: c.from, to: c.to, expiresAt: c.expiresAt, at: c.at } }]);
};

/** Issue 12: a message the outbox decided not to send fails without a hand-over, unless another's live claim holds it. */
const withdrawOutbound = (c: Command<'WithdrawOutbound'>, s: ConversationState): Decision => {
  const delivery = s.outbound.get(c.messageId);
  if (delivery === undefined) return E.left(messageNotFound(c.messageId));
  if (delivery.status !== 'pending' || delivery.providerMessageId !== null) return none;
  if (c.claimId === null ? delivery.claim !== null && delivery.claim.expiresAt > c.at : heldByAnother(delivery.claim, c.claimId, c.at)) return none;
  return E.right([{ type: 'OutboundDispatchFailed', data: { messageId: c.messageId, reason: c.reason, providerCode: null, message: c.message, at: c.at } }]);
};

/** Only the claim's holder ends it, and only while it holds it. */
const releaseOutboundClaim = (c: Command<'ReleaseOutboundClaim'>, s: ConversationState): Decision => {
  const delivery = s.outbound.get(c.messageId);
  if (delivery === undefined) return E.left(messageNotFound(c.messageId));
  return delivery.claim?.claimId === c.claimId
    ? E.right([{ type: 'OutboundClaimReleased', data: { messageId: c.messageId, claimId: c.claimId, reason: c.reason, at: c.at } }])
    : none;
};

/** V2 (idempotent by provider id; media are part of the message) and V3 (opt-out / opt-in keywords in the body, OptOutType authoritative). */
const receiveInbound = (c: Command<'ReceiveInbound'>, s: ConversationState): Decision => {
  if (s.seenInbound.has(c.providerMessageId)) return none;
  const intent = subscriptionIntent(c.body, c.optOutType);
  const subscribed = s.subscription.status === 'subscribed';
  const change: ReadonlyArray<ConversationEvent> =
    intent.intent === 'opt-out' && subscribed && intent.source !== null
      ? [{ type: 'ClientUnsubscribed', data: { source: intent.source, keyword: intent.keyword, messageId: c.messageId, at: c.at } }]
      : intent.intent === 'opt-in' && !subscribed && intent.source !== null
        ? [{ type: 'ClientResubscribed', data: { source: intent.source, keyword: intent.keyword, messageId: c.messageId, at: c.at } }]
        : [];
  return E.right([
    ...(s.identity === null
      ? [
          {
            type: 'ConversationStarted' as const,
            data: { businessId: c.businessId, conversationId: c.conversationId, clientId: c.clientId, phone: c.from, at: c.at },
          },
        ]
      : []),
    {
      type: 'InboundReceived',
      data: {
        messageId: c.messageId,
        seq: s.lastSeq + 1,
        providerMessageId: c.providerMessageId,
        from: c.from,
        to: c.to,
        body: c.body,
        media: c.media,
        // Twilio bills a media-only MMS as one message, as `segmentCount('')` is.
        segments: segmentCount(c.body),
        at: c.at,
      },
    },
    ...change,
  ]);
};

const messageNotFound = (id: string): DomainError => ({ code: 'message-not-found', message: `no outbound message ${id} in this conversation` });

const recordDispatched = (c: Command<'RecordDispatched'>, s: ConversationState): Decision => {
  const delivery = s.outbound.get(c.messageId);
  if (delivery === undefined) return E.left(messageNotFound(c.messageId));
  // Already dispatched, or already failed for good: a late or repeated outcome changes nothing.
  if (delivery.providerMessageId !== null || delivery.status === 'failed') return none;
  return E.right([
    { type: 'OutboundDispatched', data: { messageId: c.messageId, providerMessageId: c.providerMessageId, status: c.status, at: c.at } },
  ]);
};

/** V3: Twilio's 21610 on send means the recipient has opted out. */
const optOutByProvider = (s: ConversationState, messageId: Command<'RecordDispatchFailed'>['messageId'], at: Command<'RecordDispatchFailed'>['at']): ReadonlyArray<ConversationEvent> =>
  s.subscription.status === 'subscribed'
    ? [{ type: 'ClientUnsubscribed', data: { source: 'provider-error', keyword: null, messageId, at } }]
    : [];


const recordDispatchFailed = (c: Command<'RecordDispatchFailed'>, s: ConversationState): Decision => {
  const delivery = s.outbound.get(c.messageId);
  if (delivery === undefined) return E.left(messageNotFound(c.messageId));
  if (delivery.status === 'failed' || delivery.providerMessageId !== null) return none;
  return E.right([
    {
      type: 'OutboundDispatchFailed',
      data: { messageId: c.messageId, reason: c.reason, providerCode: c.providerCode, message: c.message, at: c.at },
    },
    ...(c.reason === 'recipient-unsubscribed' || c.providerCode === PROVIDER_UNSUBSCRIBED_CODE ? optOutByProvider(s, c.messageId, c.at) : []),
  ]);
};

/** V10: statuses only move forward; a late `sent` never overwrites `delivered`. */
const recordDeliveryStatus = (c: Command<'RecordDeliveryStatus'>, s: ConversationState): Decision => {
  const messageId = s.outboundByProvider.get(c.providerMessageId);
  const delivery = messageId === undefined ? undefined : s.outbound.get(messageId);
  if (messageId === undefined || delivery === undefined) return E.left(messageNotFound(c.providerMessageId));
  const next = nextDeliveryStatus(delivery.status, c.status);
  // V3: a 21610 means the recipient opted out even when the status itself does not move.
  const optOut = c.errorCode === PROVIDER_UNSUBSCRIBED_CODE ? optOutByProvider(s, messageId, c.at) : [];
  return E.right([
    ...(next === delivery.status
      ? []
      : [{ type: 'DeliveryStatusUpdated' as const, data: { messageId, providerMessageId: c.providerMessageId, status: next, errorCode: c.errorCode, at: c.at } }]),
    ...optOut,
  ]);
};

const staffAction = (
  c: Command<'MarkRead' | 'MarkUnread'>,
  s: ConversationState,
  decide: () => ReadonlyArray<ConversationEvent>,
): Decision => {
  const authorized = authorize(COMMAND_OPERATION[c.type], c.actor, c.businessId);
  if (E.isLeft(authorized)) return authorized;
  if (s.identity === null) return E.left(notFound);
  return E.right(decide());
};

/** Archive, mute and pin are switches: asking for the state it is already in changes nothing. */
const toggle = (
  c: Command<'Archive' | 'Unarchive' | 'Mute' | 'Unmute' | 'Pin' | 'Unpin'>,
  s: ConversationState,
  current: boolean,
  wanted: boolean,
  event: (data: { readonly by: ReturnType<typeof authorOf>; readonly at: typeof c.at }) => ConversationEvent,
): Decision => {
  const authorized = authorize(COMMAND_OPERATION[c.type], c.actor, c.businessId);
  if (E.isLeft(authorized)) return authorized;
  if (s.identity === null) return E.left(notFound);
  return E.right(current === wanted ? [] : [event({ by: authorOf(c.actor), at: c.at })]);
};

const decide = (c: ConversationCommand, s: ConversationState): Decision => {
  switch (c.type) {
    case 'SendMessage':
      return sendMessage(c, s);
    case 'ReceiveInbound':
      return receiveInbound(c, s);
    case 'ClaimOutbound':
      return claimOutbound(c, s);
    case 'ReleaseOutboundClaim':
      return releaseOutboundClaim(c, s);
    case 'WithdrawOutbound':
      return withdrawOutbound(c, s);
    case 'RecordDispatched':
      return recordDispatched(c, s);
    case 'RecordDispatchFailed':
      return recordDispatchFailed(c, s);
    case 'RecordDeliveryStatus':
      return recordDeliveryStatus(c, s);
    case 'MarkRead':
      return staffAction(c, s, () => {
        const own = s.staffRead.get(c.actor.staffId) ?? UNREAD_MARK;
        const done = (m: typeof own) => m.readUpToSeq >= s.lastSeq && !m.markedUnread;
        return done(own) && done(s.sharedRead)
          ? []
          : [{ type: 'ConversationRead', data: { staffId: c.actor.staffId, upToSeq: s.lastSeq, at: c.at } }];
      });
    case 'MarkUnread':
      return staffAction(c, s, () =>
        (s.staffRead.get(c.actor.staffId) ?? UNREAD_MARK).markedUnread && s.sharedRead.markedUnread
          ? []
          : [{ type: 'ConversationMarkedUnread', data: { staffId: c.actor.staffId, at: c.at } }],
      );
    case 'Archive':
      // V9 shows pinned conversations only in the "all" view, which holds no archived one: archiving
      // unpins, or the conversation would be in no view at all.
      return E.map((events: ReadonlyArray<ConversationEvent>) =>
        events.length > 0 && s.pinned ? [...events, { type: 'ConversationUnpinned' as const, data: { by: authorOf(c.actor), at: c.at } }] : events,
      )(toggle(c, s, s.archived, true, (data) => ({ type: 'ConversationArchived', data })));
    case 'Unarchive':
      return toggle(c, s, s.archived, false, (data) => ({ type: 'ConversationUnarchived', data }));
    case 'Mute':
      return toggle(c, s, s.muted, true, (data) => ({ type: 'ConversationMuted', data }));
    case 'Unmute':
      return toggle(c, s, s.muted, false, (data) => ({ type: 'ConversationUnmuted', data }));
    case 'Pin':
      // The mirror of archiving: pinning an archived conversation unarchives it, so pinned and archived never
      // hold together and the pinned row is on top of "all" rather than in no view.
      return E.map((events: ReadonlyArray<ConversationEvent>) =>
        events.length > 0 && s.archived ? [{ type: 'ConversationUnarchived' as const, data: { by: authorOf(c.actor), at: c.at } }, ...events] : events,
      )(toggle(c, s, s.pinned, true, (data) => ({ type: 'ConversationPinned', data })));
    case 'Unpin':
      return toggle(c, s, s.pinned, false, (data) => ({ type: 'ConversationUnpinned', data }));
  }
};

/** A delivery's next record: records in a state are never changed, only replaced (written out: V8 copies a literal far faster than a spread). */
const delivery = (
  d: OutboundDelivery,
  claim: OutboundDelivery['claim'],
  providerMessageId: OutboundDelivery['providerMessageId'],
  status: OutboundDelivery['status'],
  errorCode: OutboundDelivery['errorCode'],
): OutboundDelivery => Object.freeze({ seq: d.seq, claim, providerMessageId, status, errorCode });

/** V6: an outbound message answers every staff member's mark-unread reminder. */
const answerStaffMarks = (w: Working<ConversationState>, edit: Edit): void => {
  const marked: StaffId[] = [];
  w.staffRead.forEach((mark, staffId) => {
    if (mark.markedUnread) marked.push(staffId);
  });
  for (const staffId of marked) {
    const mark = w.staffRead.get(staffId);
    if (mark !== undefined) w.staffRead = w.staffRead.set(staffId, answered(mark), edit);
  }
};

export const conversationDecider = makePersistentDecider<ConversationCommand, ConversationState, ConversationEvent>({
  initialState: initialConversationState,
  decide,
  apply: (w, e, edit) => {
    switch (e.type) {
      case 'ConversationStarted':
        w.identity = Object.freeze({ ...e.data, startedAt: e.data.at });
        return;
      case 'InboundReceived':
        w.lastSeq = e.data.seq;
        w.lastInboundSeq = e.data.seq;
        w.lastActivityAt = e.data.at;
        // V5: an inbound message takes an archived conversation out of the archive (to Unread).
        w.archived = false;
        w.seenInbound = w.seenInbound.set(e.data.providerMessageId, e.data.messageId, edit);
        return;
      case 'OutboundSent':
        w.lastSeq = e.data.seq;
        w.lastOutboundSeq = e.data.seq;
        w.lastActivityAt = e.data.at;
        // V5: an outbound message takes it out of the archive (to Replied); the conversation has been
        // answered, so earlier mark-unread reminders are done for everyone.
        w.archived = false;
        w.sharedRead = answered(w.sharedRead);
        answerStaffMarks(w, edit);
        w.outbound = w.outbound.set(e.data.messageId, Object.freeze({ seq: e.data.seq, claim: null, providerMessageId: null, status: 'pending' as const, errorCode: null }), edit);
        return;
      case 'OutboundClaimed': {
        const d = w.outbound.get(e.data.messageId);
        if (d !== undefined) w.outbound = w.outbound.set(e.data.messageId, delivery(d, Object.freeze({ claimId: e.data.claimId, expiresAt: e.data.expiresAt }), d.providerMessageId, d.status, d.errorCode), edit);
        return;
      }
      case 'OutboundClaimReleased': {
        const d = w.outbound.get(e.data.messageId);
        if (d !== undefined && d.claim?.claimId === e.data.claimId) w.outbound = w.outbound.set(e.data.messageId, delivery(d, null, d.providerMessageId, d.status, d.errorCode), edit);
        return;
      }
      case 'OutboundDispatched': {
        const d = w.outbound.get(e.data.messageId);
        if (d === undefined) return;
        // The outcome ends the claim: the message has left the outbox.
        w.outbound = w.outbound.set(e.data.messageId, delivery(d, null, e.data.providerMessageId, nextDeliveryStatus(d.status, e.data.status), d.errorCode), edit);
        w.outboundByProvider = w.outboundByProvider.set(e.data.providerMessageId, e.data.messageId, edit);
        return;
      }
      case 'OutboundDispatchFailed': {
        const d = w.outbound.get(e.data.messageId);
        if (d !== undefined) w.outbound = w.outbound.set(e.data.messageId, delivery(d, null, d.providerMessageId, nextDeliveryStatus(d.status, 'failed'), e.data.providerCode), edit);
        return;
      }
      case 'DeliveryStatusUpdated': {
        const d = w.outbound.get(e.data.messageId);
        if (d !== undefined) w.outbound = w.outbound.set(e.data.messageId, delivery(d, d.claim, d.providerMessageId, nextDeliveryStatus(d.status, e.data.status), e.data.errorCode ?? d.errorCode), edit);
        return;
      }
      case 'ClientUnsubscribed':
        w.subscription = Object.freeze({ status: 'unsubscribed' as const, keyword: e.data.keyword, source: e.data.source, changedAt: e.data.at });
        return;
      case 'ClientResubscribed':
        w.subscription = Object.freeze({ status: 'subscribed' as const, keyword: e.data.keyword, source: e.data.source, changedAt: e.data.at });
        return;
      case 'ConversationRead':
        w.staffRead = w.staffRead.set(e.data.staffId, readUpTo(w.staffRead.get(e.data.staffId) ?? UNREAD_MARK, e.data.upToSeq), edit);
        w.sharedRead = readUpTo(w.sharedRead, e.data.upToSeq);
        return;
      case 'ConversationMarkedUnread':
        w.staffRead = w.staffRead.set(e.data.staffId, markedUnread(w.staffRead.get(e.data.staffId) ?? UNREAD_MARK), edit);
        w.sharedRead = markedUnread(w.sharedRead);
        return;
      case 'ConversationArchived':
        w.archived = true;
        return;
      case 'ConversationUnarchived':
        w.archived = false;
        return;
      case 'ConversationMuted':
        w.muted = true;
        return;
      case 'ConversationUnmuted':
        w.muted = false;
        return;
      case 'ConversationPinned':
        w.pinned = true;
        return;
      case 'ConversationUnpinned':
        w.pinned = false;
        return;
    }
  },
});
