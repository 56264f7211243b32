/**
 * V1 and the outbox: where `sendMessage` is decided and recorded. B0 first; then the facts of other streams
 * (the business, the recipient, the usage of the period); then the conversation decides `SendMessage` and
 * appends `OutboundSent`. That event is the outbox entry: with a transport, it is handed over at once and
 * the outcome recorded (`OutboundDispatched`, or `OutboundDispatchFailed`); `dispatchPending` hands over
 * whatever is left (after a restart, a retryable failure, or once a transport is configured).
 */
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { BusinessState } from '../../domain/business/state.js';
import type { SendContext } from '../../domain/conversation/commands.js';
import type { ConversationId, DeliveryStatus } from '../../domain/conversation/events.js';
import type { ConversationState } from '../../domain/conversation/state.js';
import { billingPeriodOf } from '../../domain/policies/allotment.js';
import { isDeliveryStatus } from '../../domain/policies/delivery-status.js';
import { businessAddress, clientAddress, conversationAddress, conversationStream, usageLedgerAddress } from '../../domain/streams.js';
import { ClientId, type BusinessId, type MessageId } from '../../domain/values/ids.js';
import { describePhoneProblem, parseCellPhone } from '../../domain/values/phone-number.js';
import type { Timestamp } from '../../domain/values/timestamp.js';
import { outboxKey, pendingMessages, type PendingOutbound } from '../../read-models/directory.js';
import type { MessageCenterError } from '../errors.js';
import * as In from '../facade-inputs.js';
import type { DispatchReport, Result, SentMessage } from '../message-center-api.js';
import { handOverGuarded } from '../guarded-transport.js';
import { phoneOptedOut } from '../../domain/phone-subscription/decider.js';
import { phoneSubscription, recordPhoneSubscription } from './phone-subscription.js';
import { execute, load, newMessageId, type Deps } from './deps.js';
import { allowed, decoded } from './use-case.js';

type SendDeps = Pick<Deps, 'store' | 'ids' | 'clock' | 'maxAttempts' | 'aggregates' | 'directory' | 'transport' | 'transportTimeoutMs'>;

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
            // Facts of other streams are loaded before the conversation, outside its load→append window.
            TE.Do,
            TE.bind('business', () => load(deps, deps.aggregates.business, businessAddress(i.businessId))),
            TE.bind('recipient', () => recipientOf(deps, i.businessId, conversationId)),
            // V3 (issue 12): the opt-out of the recipient's phone, whichever client or conversation said it.
            TE.bind('phone', ({ recipient }) => (recipient.phone === null ? TE.right(null) : phoneSubscription(deps, i.businessId, recipient.phone))),
            TE.chain(({ business, recipient, phone }) => {
              const phoneOptedOut = phone === null || phone.changedAt === null ? null : phone.status === 'unsubscribed';
              // One reading of the clock: the message's place in the ledger and its record fall in one period.
              const at = deps.clock.now();
              const command = (usedInPeriod: number, allotmentDecided = true) => {
                const facts = businessFacts(business.state, usedInPeriod);
                // The dry run leaves B4 to the ledger: its allotment never refuses.
                const context: SendContext = {
                  business: facts === null || allotmentDecided ? facts : { ...facts, allotment: { ...facts.allotment, overage: 'allow' } },
                  recipient: { ...recipient, phoneOptedOut },
                };
                return { type: 'SendMessage' as const, businessId: i.businessId, conversationId, actor: i.actor, messageId, body: i.body, context, at };
              };
              const address = conversationAddress(i.businessId, conversationId);
              return pipe(
                // Every other rule first, on the conversation as it is, so a refused message takes no place in the
                // period; then its place in the period's ledger (B4: the boundary concurrent senders meet at).
                load(deps, deps.aggregates.conversation, address),
                TE.chainFirst((loaded) => {
                  const dryRun = deps.aggregates.conversation.decider.decide(command(0, false), loaded.state);
                  return E.isLeft(dryRun) ? TE.left<MessageCenterError, unknown>(dryRun.left) : TE.right(undefined);
                }),
                TE.bindTo('loaded'),
                TE.bind('usedInPeriod', () => reserve(deps, business.state, i.businessId, messageId, at)),
                TE.chain(({ loaded, usedInPeriod }) =>
                  execute(deps, deps.aggregates.conversation, address, () => TE.right(command(usedInPeriod)), {
                    idempotencyKey: `outbound:${i.businessId}:${messageId}`,
                    loaded,
                  }),
                ),
              );
            }),
            TE.chain(({ state }) => handOver(deps, i.businessId, conversationId, messageId, state)),
            TE.map((status) => ({ conversationId, messageId, status })),
          ),
        ),
      );
    });

/** Hands every outbox entry that has not reached the transport yet to it, in the order they were recorded. */
export const dispatchPending =
  (deps: SendDeps) =>
  (): Result<DispatchReport> =>
    pipe(
      deps.directory.catchUp(),
      TE.chain((directory) => async () => {
        const report = { dispatched: 0, failed: 0, retryLater: 0 };
        for (const pending of pendingMessages(directory)) {
          const result = await dispatch(deps, pending)();
          // One message that cannot be recorded now (a store failure) stays in the outbox; the rest go on.
          if (E.isLeft(result) || result.right === 'pending') report.retryLater += 1;
          else if (result.right === 'failed') report.failed += 1;
          else report.dispatched += 1;
        }
        return E.right(report);
      }),
    );

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
const reserve = (deps: SendDeps, business: BusinessState, businessId: BusinessId, messageId: MessageId, at: Timestamp): Result<number> => {
  const enabled = business.enabled;
  if (enabled === null) return TE.right(0);
  const period = billingPeriodOf(at);
  return pipe(
    execute(deps, deps.aggregates.usageLedger, usageLedgerAddress(businessId, period), () =>
      TE.right({ type: 'ReserveOutbound' as const, businessId, period, messageId, at, allotment: enabled.allotment }),
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
 * After `SendMessage`: a message still in the outbox (just recorded, or recorded by an earlier try of the
 * same send) goes to the transport, as the directory has it; one that has left the outbox is not sent again.
 *
 * Two store calls could be spared for a message just recorded: this catch-up (its own `OutboundSent` says
 * all the transport needs) and the reload before the outcome is recorded (the state just folded would do).
 * Both are kept for now: while retries have no backoff, a shorter command path makes writers of one
 * conversation collide more often (issue 12, defect 5: without them the contention test ended about twice
 * as many commands in `concurrency-conflict` and lost more inbound messages).
 */
const handOver = (deps: SendDeps, businessId: BusinessId, conversationId: ConversationId, messageId: MessageId, state: ConversationState): Result<DeliveryStatus> => {
  const delivery = state.outbound.get(messageId);
  if (delivery === undefined || state.identity === null) return TE.left({ code: 'message-not-found', message: `message ${messageId} was not recorded` });
  if (delivery.status !== 'pending' || delivery.providerMessageId !== null) return TE.right(delivery.status);
  return pipe(
    deps.directory.catchUp(),
    TE.chain((directory) => {
      const pending = directory.pendingOutbound.get(outboxKey(conversationStream(businessId, conversationId), messageId));
      return pending === undefined ? TE.right<MessageCenterError, DeliveryStatus>(delivery.status) : dispatch(deps, pending);
    }),
  );
};

/** Hands one outbox entry to the transport and records what came of it. */
const dispatch = (deps: SendDeps, entry: PendingOutbound): Result<DeliveryStatus> => {
  const { transport } = deps;
  if (transport === undefined) return TE.right('pending');
  return async () => {
    // Decide again right before the hand-over (V3, B2): the conversation and the business as they are now.
    const now = await load(deps, deps.aggregates.conversation, conversationAddress(entry.businessId, entry.conversationId))();
    if (E.isLeft(now)) return now;
    const recorded = now.right.state.outbound.get(entry.messageId);
    if (recorded === undefined || recorded.status !== 'pending' || recorded.providerMessageId !== null) return E.right(recorded?.status ?? 'pending');
    const phone = await phoneSubscription(deps, entry.businessId, entry.to)();
    if (E.isLeft(phone)) return phone;
    if (phoneOptedOut(phone.right, now.right.state, entry.to)) return withdraw(deps, entry, 'the phone opted out (STOP) after the message was written; it was not sent');
    const business = await load(deps, deps.aggregates.business, businessAddress(entry.businessId))();
    if (E.isLeft(business)) return business;
    // B2: a message written before a number change leaves from the number the business has now, so the reply reaches it.
    const from = business.right.state.enabled?.number ?? entry.from;
    const sent = await handOverGuarded(transport, { messageId: entry.messageId, from, to: entry.to, body: entry.body }, deps.transportTimeoutMs);
    // V3: Twilio's 21610 says the phone opted out with the carrier: every client with this phone is opted out.
    if (E.isLeft(sent) && (sent.left.code === 'recipient-unsubscribed' || sent.left.providerCode === TWILIO_UNSUBSCRIBED)) {
      const optedOut = await recordPhoneSubscription(deps, { type: 'OptOut', businessId: entry.businessId, phone: entry.to, source: 'provider-error', keyword: null, messageId: entry.messageId, at: deps.clock.now() })();
      if (E.isLeft(optedOut)) return optedOut;
    }
    // Not the message's fault: it stays in the outbox for a later `dispatchPending`.
    if (E.isLeft(sent) && (sent.left.code === 'retryable' || sent.left.code === 'authentication-failed')) return E.right<MessageCenterError, DeliveryStatus>('pending');
    const at = deps.clock.now();
    const base = { businessId: entry.businessId, conversationId: entry.conversationId, messageId: entry.messageId, at };
    // Recording the outcome is retried harder than a command: the SMS has left (or failed) either way, and
    // only the record is at stake. It is never sent again from here.
    const outcome = await execute(
      { ...deps, maxAttempts: deps.maxAttempts * RECORD_ATTEMPTS_FACTOR },
      deps.aggregates.conversation,
      conversationAddress(entry.businessId, entry.conversationId),
      () =>
        TE.right(
          E.isRight(sent)
            ? { type: 'RecordDispatched' as const, ...base, providerMessageId: sent.right.providerMessageId, status: isDeliveryStatus(sent.right.status) ? sent.right.status : 'queued' }
            : { type: 'RecordDispatchFailed' as const, ...base, reason: sent.left.code, providerCode: sent.left.providerCode, message: sent.left.message },
        ),
    )();
    // Once the provider took the SMS, the send succeeded even if its record could not be written (the
    // documented at-least-once edge: the entry stays pending and a later sweep may send it again).
    if (E.isLeft(outcome) && E.isRight(sent)) return E.right<MessageCenterError, DeliveryStatus>(isDeliveryStatus(sent.right.status) ? sent.right.status : 'queued');
    return E.map(({ state }: { readonly state: ConversationState }) => state.outbound.get(entry.messageId)?.status ?? 'pending')(outcome);
  };
};

/** How many times more attempts recording a hand-over's outcome gets than a command. */
const RECORD_ATTEMPTS_FACTOR = 3;

/** V3: a pending message whose client opted out before it left is recorded as never sent (it leaves the outbox). */
const withdraw = async (deps: SendDeps, entry: PendingOutbound, reason: string): Promise<E.Either<MessageCenterError, DeliveryStatus>> => {
  const outcome = await execute(deps, deps.aggregates.conversation, conversationAddress(entry.businessId, entry.conversationId), () =>
    TE.right({
      type: 'RecordDispatchFailed' as const,
      businessId: entry.businessId,
      conversationId: entry.conversationId,
      messageId: entry.messageId,
      at: deps.clock.now(),
      reason: 'recipient-unsubscribed' as const,
      providerCode: null,
      message: reason,
    }),
  )();
  return E.map(({ state }: { readonly state: ConversationState }) => state.outbound.get(entry.messageId)?.status ?? 'failed')(outcome);
};

/** Twilio's error code for a recipient who opted out with the carrier (V3). */
const TWILIO_UNSUBSCRIBED = 21610;
