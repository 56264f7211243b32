import fc from 'fast-check';
import {
  BusinessId,
  ClientId,
  MessageId,
  NonNegativeInt,
  ProviderMessageId,
  StaffId,
  TelConversationId,
} from '@message-center/core';
import {
  DELIVERY_STATUSES,
  type Author,
  type BusinessEvent,
  type ClientEvent,
  type ConversationEvent,
  type DomainEvent,
  type NumberEvent,
} from '@message-center/core/internals';
import { anyIdArb, country, mediaListArb, mobileArb, timestampArb } from './values.js';

const id = <A>(is: (s: string) => s is string & A) => anyIdArb.filter(is);
const businessId = id(BusinessId.is);
const clientId = id(ClientId.is);
const staffId = id(StaffId.is);
const messageId = id(MessageId.is);
const providerId = id(ProviderMessageId.is);
const text = fc.string({ unit: 'grapheme', maxLength: 60 });
const nullable = <A>(a: fc.Arbitrary<A>) => fc.option(a, { nil: null });
const count = fc.nat({ max: 10_000 });
const allotment = fc.record({
  messagesPerPeriod: fc.nat({ max: 1_000_000 }).filter(NonNegativeInt.is),
  overage: fc.constantFrom('refuse' as const, 'allow' as const),
});
const author: fc.Arbitrary<Author> = fc.oneof(
  staffId.map((s): Author => ({ kind: 'staff', staffId: s })),
  text.map((name): Author => ({ kind: 'automation', name })),
);
const countryArb = fc.constantFrom('US', 'CA', 'AU', 'GB', 'IE', 'JE').map(country);
const source = fc.constantFrom('keyword' as const, 'opt-out-type' as const, 'provider-error' as const);
const status = fc.constantFrom(...DELIVERY_STATUSES);
const conversationId = fc.oneof(
  clientId,
  mobileArb().map((p) => `tel:${p}`).filter(TelConversationId.is),
);

export const businessEventArb: fc.Arbitrary<BusinessEvent> = fc.oneof(
  fc.record({ businessId, country: countryArb, number: mobileArb(), numberCountry: countryArb, allotment, individualReadStatus: fc.boolean(), at: timestampArb })
    .map((data): BusinessEvent => ({ type: 'MessageCenterEnabled', data })),
  fc.record({ previousNumber: mobileArb(), number: mobileArb(), numberCountry: countryArb, at: timestampArb })
    .map((data): BusinessEvent => ({ type: 'BusinessNumberChanged', data })),
  fc.record({ individual: fc.boolean(), at: timestampArb }).map((data): BusinessEvent => ({ type: 'ReadStatusModeChanged', data })),
  fc.record({ allotment, at: timestampArb }).map((data): BusinessEvent => ({ type: 'PlanChanged', data })),
  fc.record({ businessId, numbers: fc.array(mobileArb(), { maxLength: 5 }), at: timestampArb }).map((data): BusinessEvent => ({ type: 'NumbersSuggested', data })),
);

export const clientEventArb: fc.Arbitrary<ClientEvent> = fc
  .record({
    businessId,
    clientId,
    uid: text,
    name: text,
    email: nullable(fc.emailAddress()),
    cellPhone: fc.oneof(
      mobileArb().map((p) => ({ raw: p, e164: p, problem: null })),
      fc.record({ raw: nullable(text), e164: fc.constant(null), problem: fc.constantFrom('no cell phone', 'the number is not a valid phone number') }),
    ),
    clientType: text,
    groups: fc.array(text, { maxLength: 4 }),
    homeLocation: nullable(text),
    at: timestampArb,
  })
  .map((data): ClientEvent => ({ type: 'ClientProfileRecorded', data }));

export const conversationEventArb: fc.Arbitrary<ConversationEvent> = fc.oneof(
  fc.record({ businessId, conversationId, clientId: nullable(clientId), phone: mobileArb(), at: timestampArb })
    .map((data): ConversationEvent => ({ type: 'ConversationStarted', data })),
  fc.record({ messageId, seq: count, providerMessageId: providerId, from: mobileArb(), to: mobileArb(), body: text, media: mediaListArb(3), segments: count, at: timestampArb })
    .map((data): ConversationEvent => ({ type: 'InboundReceived', data })),
  fc.record({ messageId, seq: count, author, from: mobileArb(), to: mobileArb(), body: text, segments: count, overage: fc.boolean(), at: timestampArb })
    .map((data): ConversationEvent => ({ type: 'OutboundSent', data })),
  fc.record({ messageId, claimId: messageId, from: mobileArb(), to: mobileArb(), expiresAt: timestampArb, at: timestampArb })
    .map((data): ConversationEvent => ({ type: 'OutboundClaimed', data })),
  fc.record({ messageId, claimId: messageId, reason: text, at: timestampArb })
    .map((data): ConversationEvent => ({ type: 'OutboundClaimReleased', data })),
  fc.record({ messageId, providerMessageId: providerId, status, at: timestampArb })
    .map((data): ConversationEvent => ({ type: 'OutboundDispatched', data })),
  fc.record({ messageId, reason: text, providerCode: nullable(count), message: text, at: timestampArb })
    .map((data): ConversationEvent => ({ type: 'OutboundDispatchFailed', data })),
  fc.record({ messageId, providerMessageId: providerId, status, errorCode: nullable(count), at: timestampArb })
    .map((data): ConversationEvent => ({ type: 'DeliveryStatusUpdated', data })),
  fc.record({ source, keyword: nullable(text), messageId: nullable(messageId), at: timestampArb })
    .map((data): ConversationEvent => ({ type: 'ClientUnsubscribed', data })),
  fc.record({ source, keyword: nullable(text), messageId: nullable(messageId), at: timestampArb })
    .map((data): ConversationEvent => ({ type: 'ClientResubscribed', data })),
  fc.record({ staffId, upToSeq: count, at: timestampArb }).map((data): ConversationEvent => ({ type: 'ConversationRead', data })),
  fc.record({ staffId, at: timestampArb }).map((data): ConversationEvent => ({ type: 'ConversationMarkedUnread', data })),
  fc.record({ by: author, at: timestampArb }).chain((data) =>
    fc.constantFrom<ConversationEvent>(
      { type: 'ConversationArchived', data },
      { type: 'ConversationUnarchived', data },
      { type: 'ConversationMuted', data },
      { type: 'ConversationUnmuted', data },
      { type: 'ConversationPinned', data },
      { type: 'ConversationUnpinned', data },
    ),
  ),
);

export const numberEventArb: fc.Arbitrary<NumberEvent> = fc
  .record({ number: mobileArb(), businessId, at: timestampArb })
  .chain((data) => fc.constantFrom<NumberEvent>({ type: 'NumberAssigned', data }, { type: 'NumberReleased', data }));

/** Any event of any aggregate, with broad field values (for codec and store round trips). */
export const domainEventArb: fc.Arbitrary<DomainEvent> = fc.oneof(businessEventArb, numberEventArb, clientEventArb, conversationEventArb);
