/**
 * V1 and the outbox: where `sendMessage` is decided and recorded. B0 first; then the facts of other streams
 * (the business, the recipient, the phone's opt-out, the period's ledger); every rule on the conversation as
 * it is, B4 on the period as it stands; the message's place in the period's ledger (B4); then the
 * conversation appends `OutboundSent`, the outbox entry, as decided unless either stream moved. With a
 * transport the same append claims it (`OutboundClaimed`) and it is handed over at once (`dispatch.ts`);
 * `dispatchPending` hands over whatever is left (after a restart, a retryable failure, or once a transport
 * is configured).
 */
import * as E from 'fp-ts/lib/Either.js';
import * as TE from './task-either.js';
import { authorize } from '../../domain/authorization.js';
import type { BusinessState } from '../../domain/business/state.js';
import type { SendContext } from '../../domain/conversation/commands.js';
import type { ConversationEvent, ConversationId, DeliveryStatus } from '../../domain/conversation/events.js';
import type { ConversationState } from '../../domain/conversation/state.js';
import { billingPeriodOf } from '../../domain/policies/allotment.js';
import { internationalNotice } from '../../domain/policies/international.js';
import { businessAddress, clientAddress, conversationAddress, conversationStream, usageLedgerAddress } from '../../domain/streams.js';
import { ClientId, type BusinessId, type MessageId } from '../../domain/values/ids.js';
import { describePhoneProblem, parseCellPhone } from '../../domain/values/phone-number.js';
import type { Timestamp } from '../../domain/values/timestamp.js';
import { outboxKey } from '../../read-models/directory.js';
import type { Executed, Loaded } from '../command-handler.js';
import type { PhoneSubscriptionState } from '../../domain/phone-subscription/decider.js';
import { usedBefore, type UsageLedgerState } from '../../domain/usage-ledger/decider.js';
import * as In from '../facade-inputs.js';
import type { Result, SentMessage } from '../message-center-api.js';
import { claimExpiry, dispatch, handOverClaimed, type DispatchDeps } from './dispatch.js';
import { phoneSubscription } from './phone-subscription.js';
import { execute, load, messageIdFrom, persistent, type Deps } from './deps.js';
import { decoded } from './use-case.js';

type SendDeps = DispatchDeps;

/**
 * V1 (C3: one client per message); then the outbox entry is handed to the transport, if there is one.
 * Plain steps rather than a chain of tasks: each layer of `chain` was a promise and a closure per send.
 */
export const sendMessage =
  (deps: SendDeps) =>
  (input: In.SendMessageInput): Result<SentMessage> =>
    decoded(In.SendMessageInput, input)((i) => async () => {
      const conversationId = i.conversationId ?? i.clientId;
      if (conversationId === undefined || (i.conversationId !== undefined && i.clientId !== undefined && i.conversationId !== i.clientId))
        return E.left({ code: 'invalid-input', message: 'name the conversation by clientId or by conversationId (one of them)', problems: ['clientId', 'conversationId'] });
      const permitted = authorize('sendMessage', i.actor, i.businessId);
      if (E.isLeft(permitted)) return permitted;
      const messageId = i.messageId === undefined ? messageIdFrom(deps) : E.right(i.messageId);
      if (E.isLeft(messageId)) return messageId;
      const facts = await sendFacts(deps, i.businessId, conversationId)();
      if (E.isLeft(facts)) return facts;
      const { business, recipient, phone, claimId } = facts.right;
      const phoneOptedOut = phone === null || phone.changedAt === null ? null : phone.status === 'unsubscribed';
      // One reading of the clock: the message's place in the ledger and its record fall in one period.
      const at = deps.clock.now();
      // With a transport, the send claims its message in the append that records it, to hand it over at once.
      const claim = claimId === null ? null : { claimId, expiresAt: claimExpiry(deps, at) };
      const command = (usedInPeriod: number) => {
        const context: SendContext = { business: businessFacts(business.state, usedInPeriod), recipient: { ...recipient, phoneOptedOut } };
        return { type: 'SendMessage' as const, businessId: i.businessId, conversationId, actor: i.actor, messageId: messageId.right, body: i.body, context, claim, at };
      };
      const address = conversationAddress(i.businessId, conversationId);
      const loaded = await load(deps, deps.aggregates.conversation, address)();
      if (E.isLeft(loaded)) return loaded;
      const ledger = await ledgerOf(deps, business.state, i.businessId, at)();
      if (E.isLeft(ledger)) return ledger;
      // Every rule first, B4 on the period as it stands, so a refused message takes no place in the period;
      // then its place in the period's ledger (B4: the boundary concurrent senders meet at).
      const expected = ledger.right === null ? 0 : usedBefore(ledger.right.state, conversationId, messageId.right);
      const decision = deps.aggregates.conversation.decider.decide(command(expected), loaded.right.state);
      if (E.isLeft(decision)) return decision;
      const usedInPeriod = await reserve(deps, business.state, i.businessId, conversationId, messageId.right, at, ledger.right)();
      if (E.isLeft(usedInPeriod)) return usedInPeriod;
      // Loaded again (from the cache, or the stream's new events): other writers may have appended while the
      // ledger was written, and an append at the first load's revision would start with a conflict. The
      // decision stands if the message got the place it was decided with and the conversation is unchanged.
      // Persistent: the message already holds its place in the period.
      const executed = await execute(persistent(deps), deps.aggregates.conversation, address, () => TE.right(command(usedInPeriod.right)), {
        // The claim is part of the key: two tries of one send at once write different event ids, so
        // the second conflicts and is decided again (finding the message recorded and claimed)
        // instead of being acknowledged as a repeat of an append whose claim is not its own.
        idempotencyKey: `outbound:${i.businessId}:${messageId.right}${claim === null ? '' : `:claim:${claim.claimId}`}`,
        ...(usedInPeriod.right === expected ? { decided: { state: loaded.right.state, events: decision.right } } : {}),
      })();
      if (E.isLeft(executed)) return executed;
      const status = await handOver(deps, i.businessId, conversationId, messageId.right, executed.right)();
      if (E.isLeft(status)) return status;
      const country = business.state.enabled?.country;
      const international = recipient.phone === null || country === undefined ? null : internationalNotice(recipient.phone, country);
      return E.right({ conversationId, messageId: messageId.right, status: status.right, international });
    });

interface SendFacts {
  readonly business: Loaded<BusinessState>;
  readonly recipient: SendContext['recipient'];
  readonly phone: PhoneSubscriptionState | null;
  /** With a transport, the id of the claim the send takes in its own append. */
  readonly claimId: MessageId | null;
}

/**
 * The facts of other streams a send is decided on, loaded before the conversation (outside its load→append
 * window), one after the other. Written as plain steps rather than fp-ts's `Do`/`bind`, whose `dual`
 * plumbing was a measurable part of a send (issue 14).
 */
const sendFacts =
  (deps: SendDeps, businessId: BusinessId, conversationId: ConversationId): Result<SendFacts> =>
  async () => {
    const business = await load(deps, deps.aggregates.business, businessAddress(businessId))();
    if (E.isLeft(business)) return business;
    const recipient = await recipientOf(deps, businessId, conversationId)();
    if (E.isLeft(recipient)) return recipient;
    // V3 (issue 12): the opt-out of the recipient's phone, whichever client or conversation said it.
    const phone = recipient.right.phone === null ? E.right(null) : await phoneSubscription(deps, businessId, recipient.right.phone)();
    if (E.isLeft(phone)) return phone;
    const claimId = deps.transport === undefined ? E.right(null) : messageIdFrom(deps);
    if (E.isLeft(claimId)) return claimId;
    return E.right({ business: business.right, recipient: recipient.right, phone: phone.right, claimId: claimId.right });
  };

/** B1/B4 as `SendMessage` needs them: the number, the allotment and what the period used before this message (null: not enabled). */
const businessFacts = (business: BusinessState, usedInPeriod: number): SendContext['business'] => {
  const enabled = business.enabled;
  return enabled === null ? null : { number: enabled.number, allotment: enabled.allotment, usedInPeriod };
};

/** B4: the period's ledger as it stands (null: the business is not enabled, and has no allotment). */
const ledgerOf = (deps: SendDeps, business: BusinessState, businessId: BusinessId, at: Timestamp): Result<Loaded<UsageLedgerState> | null> =>
  business.enabled === null ? TE.right(null) : load(deps, deps.aggregates.usageLedger, usageLedgerAddress(businessId, billingPeriodOf(at)));

/**
 * B4 (issue 12): takes the message's place in the period's ledger, appended with the expected revision, so
 * concurrent senders can never exceed the allotment; answers how many messages the period had before it.
 * A retried send finds its place already taken. A send refused after this (a STOP that raced it) leaves its
 * place counted: the allotment errs towards refusing, never towards exceeding.
 */
const reserve =
  (
    deps: SendDeps,
    business: BusinessState,
    businessId: BusinessId,
    conversationId: ConversationId,
    messageId: MessageId,
    at: Timestamp,
    ledger: Loaded<UsageLedgerState> | null,
  ): Result<number> =>
  async () => {
    const enabled = business.enabled;
    if (enabled === null || ledger === null) return E.right(0);
    const period = billingPeriodOf(at);
    // Every send and inbound message of the business in the period meets here: retried as hard as the inbound
    // count. Decided first on the ledger as just loaded; another writer in between makes it load again.
    const reserved = await execute(
      persistent(deps),
      deps.aggregates.usageLedger,
      usageLedgerAddress(businessId, period),
      () => TE.right({ type: 'ReserveOutbound' as const, businessId, conversationId, period, messageId, at, allotment: enabled.allotment }),
      { loaded: ledger },
    )();
    // The message holds its place now: the ones before it are all but itself.
    return E.isLeft(reserved) ? reserved : E.right(Math.max(0, reserved.right.state.outbound + reserved.right.state.inbound - 1));
  };

/** C2: the client's cell phone (or why they cannot receive SMS); a `tel:` conversation's own number. */
const recipientOf =
  (deps: Pick<Deps, 'store' | 'aggregates'>, businessId: BusinessId, conversationId: ConversationId): Result<SendContext['recipient']> =>
  async () => {
    if (!ClientId.is(conversationId)) {
      // Only a valid mobile number (not premium-rate, toll-free or a landline), as for a client's cell phone (C2).
      const phone = parseCellPhone(conversationId.slice(4));
      return E.right(E.isRight(phone) ? { clientId: null, phone: phone.right.e164, problem: null, phoneOptedOut: null } : { clientId: null, phone: null, problem: describePhoneProblem(phone.left), phoneOptedOut: null });
    }
    const clientId = conversationId;
    const client = await load(deps, deps.aggregates.client, clientAddress(businessId, clientId))();
    if (E.isLeft(client)) return client;
    const profile = client.right.state.profile;
    return profile === null
      ? E.left({ code: 'client-not-found', message: `no client ${clientId} in business ${businessId}` })
      : E.right({ clientId, phone: profile.cellPhone.e164, problem: profile.cellPhone.problem, phoneOptedOut: null });
  };

/**
 * After `SendMessage`: a message this send claimed (in the append that recorded it) goes to the transport
 * at once; one recorded by an earlier try of the same send goes through the dispatcher (decided again and
 * claimed, unless another dispatcher holds it); one that has left the outbox is not sent again.
 */
const handOver = (deps: SendDeps, businessId: BusinessId, conversationId: ConversationId, messageId: MessageId, executed: Executed<ConversationState, ConversationEvent>): Result<DeliveryStatus> => {
  const delivery = executed.state.outbound.get(messageId);
  if (delivery === undefined || executed.state.identity === null) return TE.left({ code: 'message-not-found', message: `message ${messageId} was not recorded` });
  if (delivery.status !== 'pending' || delivery.providerMessageId !== null) return TE.right(delivery.status);
  const sent = executed.events.find((e) => e.type === 'OutboundSent' && e.data.messageId === messageId);
  const claim = executed.events.find((e) => e.type === 'OutboundClaimed' && e.data.messageId === messageId);
  if (sent?.type === 'OutboundSent' && claim?.type === 'OutboundClaimed' && delivery.claim?.claimId === claim.data.claimId)
    return handOverClaimed(deps, { businessId, conversationId, messageId, body: sent.data.body, claimId: claim.data.claimId, from: claim.data.from, to: claim.data.to }, executed.state);
  // Without a transport the message waits in the outbox: nothing to look up.
  if (deps.transport === undefined) return TE.right(delivery.status);
  return async () => {
    const directory = await deps.directory.catchUp()();
    if (E.isLeft(directory)) return directory;
    const pending = directory.right.pendingOutbound.get(outboxKey(conversationStream(businessId, conversationId), messageId));
    return pending === undefined ? E.right(delivery.status) : dispatch(deps, pending)();
  };
};
