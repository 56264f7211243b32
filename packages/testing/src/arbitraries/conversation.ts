import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import {
  BusinessId,
  ClientId,
  MessageId,
  ProviderMessageId,
  StaffId,
  E164,
  NonNegativeInt,
  SEND_PERMISSION,
  type Actor,
  type DomainError,
  type StaffActor,
  type Timestamp,
} from '@message-center/core';
import {
  conversationDecider,
  type ConversationCommand,
  type ConversationEvent,
  type ConversationState,
} from '@message-center/core/internals';
import { mediaListArb, messageIdArb, providerMessageIdArb, staffIdArb, timestampsArb } from './values.js';

const must = <A>(is: (u: unknown) => u is A, value: string): A => {
  if (!is(value)) throw new RangeError(`fixture value rejected by its codec: ${value}`);
  return value;
};

/** The conversation every generated command is about: client c1 of business b1. */
export const FIXTURE: {
  readonly businessId: BusinessId;
  readonly otherBusinessId: BusinessId;
  readonly conversationId: ClientId;
  readonly clientPhone: E164;
  readonly businessNumber: E164;
} = {
  businessId: must(BusinessId.is, 'b1'),
  otherBusinessId: must(BusinessId.is, 'b2'),
  conversationId: must(ClientId.is, 'c1'),
  clientPhone: must(E164.is, '+14155552671'),
  businessNumber: must(E164.is, '+12015550123'),
} as const;

export const staff = (staffId: string, options: { readonly permissions?: ReadonlyArray<string>; readonly businessId?: BusinessId } = {}): StaffActor => ({
  kind: 'staff',
  businessId: options.businessId ?? FIXTURE.businessId,
  staffId: must(StaffId.is, staffId),
  permissions: options.permissions ?? [SEND_PERMISSION],
});

/** Staff of the business who may send. */
export const senderArb: fc.Arbitrary<StaffActor> = staffIdArb.map((id) => staff(id));

/** Anyone who might try to act, authorised or not (V1). */
export const actorArb: fc.Arbitrary<Actor> = fc.oneof(
  { weight: 8, arbitrary: senderArb },
  { weight: 1, arbitrary: staffIdArb.map((id) => staff(id, { permissions: ['view-reports'] })) },
  { weight: 1, arbitrary: staffIdArb.map((id) => staff(id, { businessId: FIXTURE.otherBusinessId })) },
  { weight: 1, arbitrary: fc.constant<Actor>({ kind: 'automation', businessId: FIXTURE.businessId, name: 'appointment-reminder' }) },
  { weight: 1, arbitrary: fc.constant<Actor>({ kind: 'automation', businessId: FIXTURE.otherBusinessId, name: 'marketing' }) },
);

export const viewerArb: fc.Arbitrary<StaffActor> = fc.oneof(
  { weight: 9, arbitrary: staffIdArb.map((id) => staff(id, { permissions: [] })) },
  { weight: 1, arbitrary: staffIdArb.map((id) => staff(id, { businessId: FIXTURE.otherBusinessId })) },
);

/** Bodies that matter: ordinary text (GSM and not), keywords in any dress, empty, and too long (V1, V3). */
export const bodyArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom('STOP', 'stop', 'StopAll', 'unsubscribe', 'CANCEL', 'end', 'QUIT', 'optout', 'Revoke', 'START', 'yes', 'unstop', 'HELP', 'stop please'),
        fc.constantFrom('', ' ', '\n', '\t '),
      )
      .map(([k, ws]) => `${ws}${k}${ws}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', 'x'.repeat(1601), 'é'.repeat(1600)) },
);

export const optOutTypeArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constantFrom('STOP' as const, 'START' as const, 'HELP' as const) },
);

/** Commands carry a placeholder time; histories give them increasing times. */
const PLACEHOLDER: Timestamp = must((u): u is Timestamp => typeof u === 'string', '2026-01-01T00:00:00.000Z');

const base = { businessId: FIXTURE.businessId, conversationId: FIXTURE.conversationId, at: PLACEHOLDER } as const;

const sendArb: fc.Arbitrary<ConversationCommand> = fc
  .record({
    actor: actorArb,
    messageId: messageIdArb,
    body: bodyArb,
    enabled: fc.oneof({ weight: 12, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    limit: fc.oneof(fc.constant(1_000), fc.integer({ min: 0, max: 12 })).filter(NonNegativeInt.is),
    used: fc.integer({ min: 0, max: 14 }),
    overage: fc.constantFrom('refuse' as const, 'allow' as const),
    hasPhone: fc.oneof({ weight: 12, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  })
  .map(({ actor, messageId, body, enabled, limit, used, overage, hasPhone }) => ({
    type: 'SendMessage' as const,
    ...base,
    actor,
    messageId,
    body,
    context: {
      business: enabled ? { number: FIXTURE.businessNumber, allotment: { messagesPerPeriod: limit, overage }, usedInPeriod: used } : null,
      recipient: hasPhone
        ? { clientId: FIXTURE.conversationId, phone: FIXTURE.clientPhone, problem: null, phoneOptedOut: null }
        : { clientId: FIXTURE.conversationId, phone: null, problem: 'the number is not a mobile number (FIXED_LINE)', phoneOptedOut: null },
    },
    claim: null,
  }));

const inboundArb: fc.Arbitrary<ConversationCommand> = fc
  .record({
    providerMessageId: providerMessageIdArb,
    body: bodyArb,
    // Mostly SMS; sometimes an MMS, with or without text.
    media: fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: mediaListArb(2) }),
    optOutType: optOutTypeArb,
  })
  .map(({ providerMessageId, body, media, optOutType }) => ({
    type: 'ReceiveInbound' as const,
    ...base,
    clientId: FIXTURE.conversationId,
    // One message id per provider id, as the application derives a fresh id for each new inbound.
    messageId: must(MessageId.is, `in-${providerMessageId}`),
    providerMessageId,
    from: FIXTURE.clientPhone,
    to: FIXTURE.businessNumber,
    body,
    media,
    optOutType,
  }));

/** Twilio gives each message its own sid; deriving it from our message id keeps callbacks pointed at real messages. */
export const providerIdOf = (messageId: MessageId): ProviderMessageId => must(ProviderMessageId.is, `SM-${messageId}`);

const statusArb = fc.constantFrom('accepted' as const, 'queued' as const, 'sending' as const, 'sent' as const, 'delivered' as const, 'undelivered' as const, 'failed' as const, 'read' as const);

const dispatchedArb: fc.Arbitrary<ConversationCommand> = fc
  .record({ messageId: messageIdArb })
  .map(({ messageId }) => ({
    type: 'RecordDispatched' as const,
    ...base,
    messageId,
    providerMessageId: providerIdOf(messageId),
    status: 'queued' as const,
  }));

const dispatchFailedArb: fc.Arbitrary<ConversationCommand> = fc
  .record({ messageId: messageIdArb, unsubscribed: fc.boolean() })
  .map(({ messageId, unsubscribed }) => ({
    type: 'RecordDispatchFailed' as const,
    ...base,
    messageId,
    reason: unsubscribed ? 'recipient-unsubscribed' : 'invalid-number',
    providerCode: unsubscribed ? 21610 : 21211,
    message: unsubscribed ? 'Attempt to send to unsubscribed recipient' : 'Invalid To number',
  }));

const deliveryArb: fc.Arbitrary<ConversationCommand> = fc
  .record({ messageId: messageIdArb, status: statusArb, errorCode: fc.option(fc.constantFrom(30003, 30005, 21610), { freq: 4 }) })
  .map(({ messageId, status, errorCode }) => ({
    type: 'RecordDeliveryStatus' as const,
    ...base,
    providerMessageId: providerIdOf(messageId),
    status,
    errorCode,
  }));

/** Claims, releases and withdrawals by three dispatchers: a claim held for the rest of any history, or one already expired when made. */
const FAR_FUTURE: Timestamp = must((u): u is Timestamp => typeof u === 'string', '2099-01-01T00:00:00.000Z');
const claimIdArb = fc.constantFrom('claim-a', 'claim-b', 'claim-c').map((id) => must(MessageId.is, id));

const claimArb: fc.Arbitrary<ConversationCommand> = fc
  .record({ messageId: messageIdArb, claimId: claimIdArb, held: fc.boolean(), kind: fc.constantFrom('claim' as const, 'claim' as const, 'release' as const, 'withdraw' as const) })
  .map(({ messageId, claimId, held, kind }): ConversationCommand => {
    switch (kind) {
      case 'claim':
        return { type: 'ClaimOutbound', ...base, messageId, claimId, from: FIXTURE.businessNumber, to: FIXTURE.clientPhone, expiresAt: held ? FAR_FUTURE : PLACEHOLDER };
      case 'release':
        return { type: 'ReleaseOutboundClaim', ...base, messageId, claimId, reason: 'retryable' };
      case 'withdraw':
        return { type: 'WithdrawOutbound', ...base, messageId, claimId: held ? claimId : null, reason: 'recipient-unsubscribed', message: 'the phone opted out before the message left' };
    }
  });

const readArb: fc.Arbitrary<ConversationCommand> = fc
  .record({ actor: viewerArb, unread: fc.boolean() })
  .map(({ actor, unread }) => ({ type: unread ? ('MarkUnread' as const) : ('MarkRead' as const), ...base, actor }));

const toggleArb: fc.Arbitrary<ConversationCommand> = fc
  .record({ actor: actorArb, type: fc.constantFrom('Archive' as const, 'Unarchive' as const, 'Mute' as const, 'Unmute' as const, 'Pin' as const, 'Unpin' as const) })
  .map(({ actor, type }) => ({ type, ...base, actor }));

/** Any command about the fixture conversation, authorised or not, valid or not. */
export const conversationCommandArb: fc.Arbitrary<ConversationCommand> = fc.oneof(
  { weight: 5, arbitrary: sendArb },
  { weight: 5, arbitrary: inboundArb },
  { weight: 3, arbitrary: dispatchedArb },
  { weight: 1, arbitrary: dispatchFailedArb },
  { weight: 2, arbitrary: claimArb },
  { weight: 3, arbitrary: deliveryArb },
  { weight: 4, arbitrary: readArb },
  { weight: 3, arbitrary: toggleArb },
);

export interface Step {
  readonly command: ConversationCommand;
  readonly before: ConversationState;
  readonly result: E.Either<DomainError, ReadonlyArray<ConversationEvent>>;
}

export interface History {
  readonly steps: ReadonlyArray<Step>;
  readonly events: ReadonlyArray<ConversationEvent>;
  readonly state: ConversationState;
}

/** Runs commands through the real decider, in order, at increasing times, keeping every decision. */
export const runCommands = (commands: ReadonlyArray<ConversationCommand>, times: ReadonlyArray<Timestamp>): History => {
  let state = conversationDecider.initialState;
  const steps: Step[] = [];
  const events: ConversationEvent[] = [];
  commands.forEach((c, i) => {
    const command: ConversationCommand = { ...c, at: times[i] ?? c.at };
    const result = conversationDecider.decide(command, state);
    steps.push({ command, before: state, result });
    if (E.isRight(result)) {
      events.push(...result.right);
      state = conversationDecider.fold(state, result.right);
    }
  });
  return { steps, events, state };
};

export const commandsArb = (maxLength = 60): fc.Arbitrary<ReadonlyArray<ConversationCommand>> =>
  // `size: '+1'` lets histories grow long enough to reach archive→message→unarchive paths.
  fc.array(conversationCommandArb, { maxLength, size: '+1' });

/** A history the decider itself wrote: a random command sequence, decided in order. */
export const historyArb = (maxLength = 60): fc.Arbitrary<History> =>
  commandsArb(maxLength).chain((commands) => timestampsArb(commands.length).map((times) => runCommands(commands, times)));
