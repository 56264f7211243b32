/**
 * V1 and the outbox: where `sendMessage` is decided and recorded. B0 first; then the facts of other streams
 * (the business, the recipient, the phone's opt-out); every rule on the conversation as it is; the message's
 * place in the period's ledger (B4); then the conversation appends `OutboundSent`, the outbox entry. With a
 * transport the same append claims it (`OutboundClaimed`) and it is handed over at once (`dispatch.ts`);
 * `dispatchPending` hands over whatever is left (after a restart, a retryable failure, or once a transport
 * is configured).
 */
import * as E from 'fp-ts/lib/Either.js';
import * as TE from './task-either.js';
import { pipe } from 'fp-ts/lib/function.js';
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
import type { MessageCenterError } from '../errors.js';
import * as In from '../facade-inputs.js';
import type { Result, SentMessage } from '../message-center-api.js';
import { claimExpiry, dispatch, handOverClaimed, type DispatchDeps } from './dispatch.js';
import { phoneSubscription } from './phone-subscription.js';
import { execute, load, newMessageId, persistent, type Deps } from './deps.js';
import { allowed, decoded } from './use-case.js';

type SendDeps = DispatchDeps;

/** V1 (C3: one client per message); then the outbox entry is handed to the transport, if there is one. */
export const sendMessage =
  (deps: SendDeps) =>
  (input: In.SendMessageInput): Result<SentMessage> =>
    decoded(In.SendMessageInput, input)((i) => {
      const conversationId = i.conversationId ?? i.clientId;
      if (conversationId === undefined || (i.conversationId !== undefined && i.clientId !== undefined && i.conversationId !== i.clientId))
        return TE.left({ code: 'invalid-input', message: 'name the conversation by clientId or by conversationId (one of them)', problems: ['clientId', 'conversationId'] });
      return pipe(
        allowed('sendMessage', i.actor, i.businessId),
        TE.chain(() => (i.messageId === undefined ? newMessageId(deps) : TE.right(i.messageId))),
        TE.chain((messageId) =>
          pipe(
            sendFacts(deps, i.businessId, conversationId),
            TE.chain(({ business, recipient, phone, claimId }) => {
              const phoneOptedOut = phone === null || phone.changedAt === null ? null : phone.status === 'unsubscribed';
              // One reading of the clock: the message's place in the ledger and its record fall in one period.
              const at = deps.clock.now();
              // With a transport, the send claims its message in the append that records it, to hand it over at once.
              const claim = claimId === null ? null : { claimId, expiresAt: claimExpiry(deps, at) };
              const command = (usedInPeriod: number, allotmentDecided = true) => {
                const facts = businessFacts(business.state, usedInPeriod);
                // The dry run leaves B4 to the ledger: its allotment never refuses.
                const context: SendContext = {
                  business: facts === null || allotmentDecided ? facts : { ...facts, allotment: { ...facts.allotment, overage: 'allow' } },
                  recipient: { ...recipient, phoneOptedOut },
                };
                return { type: 'SendMessage' as const, businessId: i.businessId, conversationId, actor: i.actor, messageId, body: i.body, context, claim, at };
              };
              const address = conversationAddress(i.businessId, conversationId);
              return pipe(
                // Every other rule first, on the conversation as it is, so a refused message takes no place in the
                // period; then its place in the period's ledger (B4: the boundary concurrent senders meet at).
                load(deps, deps.aggregates.conversation, address),
                TE.chain((loaded) => {
                  const dryRun = deps.aggregates.conversation.decider.decide(command(0, false), loaded.state);
                  return E.isLeft(dryRun) ? TE.left<MessageCenterError, never>(dryRun.left) : reserve(deps, business.state, i.businessId, conversationId, messageId, at);
                }),
                // Loaded again (from the cache, or the stream's new events): other writers may have appended while
                // the ledger was written, and an append at the dry run's revision would start with a conflict.
                // Persistent: the message already holds its place in the period.
                TE.chain((usedInPeriod) =>
                  execute(persistent(deps), deps.aggregates.conversation, address, () => TE.right(command(usedInPeriod)), {
                    // The claim is part of the key: two tries of one send at once write different event ids, so
                    // the second conflicts and is decided again (finding the message recorded and claimed)
                    // instead of being acknowledged as a repeat of an append whose claim is not its own.
                    idempotencyKey: `outbound:${i.businessId}:${messageId}${claim === null ? '' : `:claim:${claim.claimId}`}`,
                  }),
                ),
                TE.map((executed) => {
                  const country = business.state.enabled?.country;
                  const international = recipient.phone === null || country === undefined ? null : internationalNotice(recipient.phone, country);
                  return { executed, international };
                }),
              );
            }),
            TE.chain(({ executed, international }) =>
              pipe(
                handOver(deps, i.businessId, conversationId, messageId, executed),
                TE.map((status) => ({ conversationId, messageId, status, international })),
              ),
            ),
          ),
        ),
      );
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
    const claimId = deps.transport === undefined ? E.right(null) : await newMessageId(deps)();
    if (E.isLeft(claimId)) return claimId;
    return E.right({ business: business.right, recipient: recipient.right, phone: phone.right, claimId: claimId.right });
  };

/** B1/B4 as `SendMessage` needs them: the number, the allotment and what the period used before this message (null: not enabled). */
const businessFacts = (business: BusinessState, usedInPeriod: number): SendContext['business'] => {
  const enabled = business.enabled;
  return enabled === null ? null : { number: enabled.number, allotment: enabled.allotment, usedInPeriod };
};

/**
 * B4 (issue 12): takes the message's place in the period's ledger, appended with the expected revision, so
 * concurrent senders can never exceed the allotment; answers how many messages the period had before it.
 * A retried send finds its place already taken. A send refused after this (a STOP that raced it) leaves its
 * place counted: the allotment errs towards refusing, never towards exceeding.
 */
const reserve = (deps: SendDeps, business: BusinessState, businessId: BusinessId, conversationId: ConversationId, messageId: MessageId, at: Timestamp): Result<number> => {
  const enabled = business.enabled;
  if (enabled === null) return TE.right(0);
  const period = billingPeriodOf(at);
  return pipe(
    // Every send and inbound message of the business in the period meets here: retried as hard as the inbound count.
    execute(persistent(deps), deps.aggregates.usageLedger, usageLedgerAddress(businessId, period), () =>
      TE.right({ type: 'ReserveOutbound' as const, businessId, conversationId, period, messageId, at, allotment: enabled.allotment }),
    ),
    TE.map(({ state }) => Math.max(0, state.outbound + state.inbound - 1)),
  );
};

/** C2: the client's cell phone (or why they cannot receive SMS); a `tel:` conversation's own number. */
const recipientOf = (deps: Pick<Deps, 'store' | 'aggregates'>, businessId: BusinessId, conversationId: ConversationId): Result<SendContext['recipient']> => {
  if (!ClientId.is(conversationId)) {
    // Only a valid mobile number (not premium-rate, toll-free or a landline), as for a client's cell phone (C2).
    const phone = parseCellPhone(conversationId.slice(4));
    return TE.right(E.isRight(phone) ? { clientId: null, phone: phone.right.e164, problem: null, phoneOptedOut: null } : { clientId: null, phone: null, problem: describePhoneProblem(phone.left), phoneOptedOut: null });
  }
  const clientId = conversationId;
  return pipe(
    load(deps, deps.aggregates.client, clientAddress(businessId, clientId)),
    TE.chain(({ state }) =>
      state.profile === null
        ? TE.left<MessageCenterError, SendContext['recipient']>({ code: 'client-not-found', message: `no client ${clientId} in business ${businessId}` })
        : TE.right({ clientId, phone: state.profile.cellPhone.e164, problem: state.profile.cellPhone.problem, phoneOptedOut: null }),
    ),
  );
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
  return pipe(
    deps.directory.catchUp(),
    TE.chain((directory) => {
      const pending = directory.pendingOutbound.get(outboxKey(conversationStream(businessId, conversationId), messageId));
      return pending === undefined ? TE.right<MessageCenterError, DeliveryStatus>(delivery.status) : dispatch(deps, pending);
    }),
  );
};
