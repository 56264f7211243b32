/**
 * The outbox dispatcher (issue 12). An `OutboundSent` no outcome has followed is an outbox entry. Right
 * before a hand-over the dispatcher decides again (the business still enabled, its current number, the
 * client's current phone, that phone's opt-out) and records a refusal as a failure that never leaves; then
 * it claims the message in its conversation stream, appended at the revision it read, so of two
 * dispatchers (one process or several) only one hands it over. The claim ends with the outcome, with a
 * release when the provider certainly did not take it, or by expiring: a dispatcher that crashed, or a
 * hand-over that got no answer, leaves a claim that lets the message go again once it expired (the one
 * at-least-once edge; docs/outbox.md).
 */
import * as E from 'fp-ts/lib/Either.js';
import * as TE from './task-either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { ConversationState } from '../../domain/conversation/state.js';
import type { DeliveryStatus } from '../../domain/conversation/events.js';
import { phoneOptedOut } from '../../domain/phone-subscription/decider.js';
import { isDeliveryStatus } from '../../domain/policies/delivery-status.js';
import { PROVIDER_UNSUBSCRIBED_CODE } from '../../domain/policies/opt-out-keywords.js';
import { businessAddress, clientAddress, conversationAddress } from '../../domain/streams.js';
import { ClientId, type MessageId } from '../../domain/values/ids.js';
import type { E164 } from '../../domain/values/phone-number.js';
import { timestampFromMillis, type Timestamp } from '../../domain/values/timestamp.js';
import { pendingMessages, type PendingOutbound } from '../../read-models/directory.js';
import type { MessageCenterError } from '../errors.js';
import { handOverGuarded, mayHaveLeft } from '../guarded-transport.js';
import type { DispatchReport, Result } from '../message-center-api.js';
import { phoneSubscription, recordPhoneSubscription } from './phone-subscription.js';
import { execute, load, newMessageId, persistent, retriedWhenUnavailable, type Deps } from './deps.js';
import { guarded } from './use-case.js';

export type DispatchDeps = Pick<Deps, 'store' | 'ids' | 'clock' | 'maxAttempts' | 'aggregates' | 'directory' | 'transport' | 'transportTimeoutMs' | 'dispatchLeaseMs'>;

/** A message its dispatcher holds, with the numbers decided for this hand-over. */
export interface ClaimedMessage extends Pick<PendingOutbound, 'businessId' | 'conversationId' | 'messageId' | 'body'> {
  readonly claimId: MessageId;
  readonly from: E164;
  readonly to: E164;
}

/** When a claim made at `at` stops holding other dispatchers back. */
export const claimExpiry = (deps: Pick<Deps, 'dispatchLeaseMs'>, at: Timestamp): Timestamp => timestampFromMillis(Date.parse(at) + deps.dispatchLeaseMs);

/** Hands every outbox entry to the transport, in the order they were recorded; one that cannot go now stays. */
export const dispatchPending =
  (deps: DispatchDeps) =>
  (): Result<DispatchReport> =>
    guarded(() =>
      pipe(
        deps.directory.catchUp(),
        TE.chain((directory) => async () => {
          const report = { dispatched: 0, failed: 0, retryLater: 0 };
          for (const pending of pendingMessages(directory)) {
            // One message whose dispatch throws stays in the outbox; the others go on.
            const result = await guarded(() => dispatch(deps, pending))();
            // A store failure, a claim held by another dispatcher, a provider that could not take it now: later.
            if (E.isLeft(result) || result.right === 'pending') report.retryLater += 1;
            else if (result.right === 'failed') report.failed += 1;
            else report.dispatched += 1;
          }
          return E.right(report);
        }),
      ),
    );

/** Decides one outbox entry again, claims it and hands it over; `pending` when it cannot go now. */
export const dispatch = (deps: DispatchDeps, entry: PendingOutbound): Result<DeliveryStatus> => {
  if (deps.transport === undefined) return TE.right('pending');
  const address = conversationAddress(entry.businessId, entry.conversationId);
  return async () => {
    const loaded = await load(deps, deps.aggregates.conversation, address)();
    if (E.isLeft(loaded)) return loaded;
    const recorded = loaded.right.state.outbound.get(entry.messageId);
    if (recorded === undefined || recorded.status !== 'pending' || recorded.providerMessageId !== null) return E.right(recorded?.status ?? 'pending');
    const at = deps.clock.now();
    // Another dispatcher is handing it over: not ours to decide.
    if (recorded.claim !== null && recorded.claim.expiresAt > at) return E.right('pending');
    const decided = await decideAgain(deps, entry, loaded.right.state)();
    if (E.isLeft(decided)) return decided;
    if (decided.right.kind === 'withdraw') return withdraw(deps, entry, null, decided.right);
    const claimId = await newMessageId(deps)();
    if (E.isLeft(claimId)) return claimId;
    const { from, to } = decided.right;
    const claimed = await execute(
      deps,
      deps.aggregates.conversation,
      address,
      () => TE.right({ type: 'ClaimOutbound' as const, businessId: entry.businessId, conversationId: entry.conversationId, messageId: entry.messageId, claimId: claimId.right, from, to, expiresAt: claimExpiry(deps, at), at }),
      { loaded: loaded.right },
    )();
    if (E.isLeft(claimed)) return claimed;
    const now = claimed.right.state.outbound.get(entry.messageId);
    // Another dispatcher claimed it first (our append lost the race and the decision was taken again).
    if (now?.claim?.claimId !== claimId.right) return E.right(now?.status ?? 'pending');
    return handOverClaimed(deps, { ...entry, claimId: claimId.right, from, to }, claimed.right.state)();
  };
};

type SecondDecision =
  | { readonly kind: 'send'; readonly from: E164; readonly to: E164 }
  | { readonly kind: 'withdraw'; readonly reason: string; readonly message: string };

type Addressed = Pick<PendingOutbound, 'businessId' | 'conversationId' | 'messageId' | 'to'>;

/** B1, B2, C2 and V3 as they are now, not as they were when the message was written. */
const decideAgain = (deps: DispatchDeps, entry: Addressed, conversation: ConversationState): Result<SecondDecision> =>
  pipe(
    TE.Do,
    TE.bind('business', () => load(deps, deps.aggregates.business, businessAddress(entry.businessId))),
    TE.bind('to', () => currentPhone(deps, entry)),
    TE.chain(({ business, to }): Result<SecondDecision> => {
      const enabled = business.state.enabled;
      if (enabled === null) return TE.right({ kind: 'withdraw', reason: 'message-center-not-enabled', message: 'the Message Center was disabled before the message left; it was not sent' });
      if (to === null) return TE.right({ kind: 'withdraw', reason: 'client-has-no-valid-cell-phone', message: 'the client has no valid cell phone any more; the message was not sent' });
      return pipe(
        phoneSubscription(deps, entry.businessId, to),
        TE.map((phone): SecondDecision =>
          phoneOptedOut(phone, conversation, to)
            ? { kind: 'withdraw', reason: 'recipient-unsubscribed', message: 'the phone opted out (STOP) after the message was written; it was not sent' }
            : // B2: a message written before a number change leaves from the number the business has now, so the reply reaches it.
              { kind: 'send', from: enabled.number, to },
        ),
      );
    }),
  );

/** C2: a client's cell phone now (null: none that can receive SMS); a `tel:` conversation's own number. */
const currentPhone = (deps: DispatchDeps, entry: Addressed): Result<E164 | null> =>
  ClientId.is(entry.conversationId)
    ? pipe(
        load(deps, deps.aggregates.client, clientAddress(entry.businessId, entry.conversationId)),
        TE.map(({ state }) => state.profile?.cellPhone.e164 ?? null),
      )
    : TE.right(entry.to);

/**
 * Hands a message this dispatcher holds to the transport and records what came of it. First it decides
 * once more, on streams read after the claim was appended: a STOP (written to the phone's stream before
 * it is acknowledged), a number change or a new phone of the client that landed between the decision and
 * the claim is seen here, and the message is withdrawn, or left for the next sweep to decide with the new
 * numbers. `conversation` is the state the claim was appended on.
 */
export const handOverClaimed = (deps: DispatchDeps, claimed: ClaimedMessage, conversation: ConversationState): Result<DeliveryStatus> => {
  const { transport } = deps;
  if (transport === undefined) return TE.right('pending');
  const address = conversationAddress(claimed.businessId, claimed.conversationId);
  const base = { businessId: claimed.businessId, conversationId: claimed.conversationId, messageId: claimed.messageId };
  const release = (reason: string) =>
    execute(deps, deps.aggregates.conversation, address, () => TE.right({ type: 'ReleaseOutboundClaim' as const, ...base, claimId: claimed.claimId, reason, at: deps.clock.now() }));
  return async () => {
    const confirmed = await decideAgain(deps, claimed, conversation)();
    if (E.isLeft(confirmed)) {
      await release('store-unavailable')();
      return confirmed;
    }
    if (confirmed.right.kind === 'withdraw') return withdraw(deps, claimed, claimed.claimId, confirmed.right);
    if (confirmed.right.from !== claimed.from || confirmed.right.to !== claimed.to) {
      await release('numbers-changed')();
      return E.right<MessageCenterError, DeliveryStatus>('pending');
    }
    const sent = await handOverGuarded(transport, { messageId: claimed.messageId, from: claimed.from, to: claimed.to, body: claimed.body }, deps.transportTimeoutMs);
    // V3: Twilio's 21610 says the phone opted out with the carrier: every client with this phone is opted out.
    if (E.isLeft(sent) && (sent.left.code === 'recipient-unsubscribed' || sent.left.providerCode === PROVIDER_UNSUBSCRIBED_CODE)) {
      const optedOut = await recordPhoneSubscription(deps, { type: 'OptOut', businessId: claimed.businessId, phone: claimed.to, source: 'provider-error', keyword: null, messageId: claimed.messageId, at: deps.clock.now() })();
      if (E.isLeft(optedOut)) return optedOut;
    }
    if (E.isLeft(sent)) {
      // It may have reached the provider: the claim stays until it expires, so no sweep sends it again sooner.
      if (mayHaveLeft(sent.left)) return E.right<MessageCenterError, DeliveryStatus>('pending');
      // The provider certainly did not take it (a rate limit, refused credentials): the next sweep may.
      if (sent.left.code === 'retryable' || sent.left.code === 'authentication-failed') {
        await release(sent.left.code)();
        return E.right<MessageCenterError, DeliveryStatus>('pending');
      }
    }
    // Recording the outcome is retried harder than a command (conflicts and store blips): the SMS has left
    // (or failed) either way, and only the record is at stake. It is never sent again from here.
    const at = deps.clock.now();
    const outcome = await retriedWhenUnavailable(
      execute(persistent(deps), deps.aggregates.conversation, address, () =>
        TE.right(
          E.isRight(sent)
            ? { type: 'RecordDispatched' as const, ...base, at, providerMessageId: sent.right.providerMessageId, status: isDeliveryStatus(sent.right.status) ? sent.right.status : 'queued' }
            : { type: 'RecordDispatchFailed' as const, ...base, at, reason: sent.left.code, providerCode: sent.left.providerCode, message: sent.left.message },
        ),
      ),
    )();
    // Once the provider took the SMS, the send succeeded even if its record could not be written (the
    // documented edge: the claim expires, the entry is still pending and a later sweep sends it again).
    if (E.isLeft(outcome) && E.isRight(sent)) return E.right<MessageCenterError, DeliveryStatus>(isDeliveryStatus(sent.right.status) ? sent.right.status : 'queued');
    return E.map(({ state }: { readonly state: ConversationState }) => state.outbound.get(claimed.messageId)?.status ?? 'pending')(outcome);
  };
};

/** The second decision refused the message: it is recorded as failed and leaves the outbox unsent. */
const withdraw = async (
  deps: DispatchDeps,
  entry: Addressed,
  claimId: MessageId | null,
  refusal: { readonly reason: string; readonly message: string },
): Promise<E.Either<MessageCenterError, DeliveryStatus>> => {
  const { reason, message } = refusal;
  const outcome = await execute(deps, deps.aggregates.conversation, conversationAddress(entry.businessId, entry.conversationId), () =>
    TE.right({ type: 'WithdrawOutbound' as const, businessId: entry.businessId, conversationId: entry.conversationId, messageId: entry.messageId, claimId, reason, message, at: deps.clock.now() }),
  )();
  return E.map(({ state }: { readonly state: ConversationState }) => state.outbound.get(entry.messageId)?.status ?? 'failed')(outcome);
};
