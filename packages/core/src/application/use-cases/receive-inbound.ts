import * as E from 'fp-ts/lib/Either.js';
import * as TE from './task-either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { telConversationId, type ConversationId } from '../../domain/conversation/events.js';
import { ClientId, type BusinessId, type MessageId } from '../../domain/values/ids.js';
import { businessForNumber, clientForPhone, fromOwnNumber } from '../../domain/policies/inbound-routing.js';
import { conversationAddress, inboundClaimAddress, usageLedgerAddress } from '../../domain/streams.js';
import { billingPeriodOf } from '../../domain/policies/allotment.js';
import { subscriptionIntent } from '../../domain/policies/opt-out-keywords.js';
import { recordPhoneSubscription } from './phone-subscription.js';
import { describePhoneProblem, parsePhone } from '../../domain/values/phone-number.js';
import { clientCandidates } from '../../read-models/directory.js';
import type { MessageCenterError } from '../errors.js';
import * as In from '../facade-inputs.js';
import { notAheadOf } from '../input-grammar.js';
import type { ReceivedMessage, Result } from '../message-center-api.js';
import { execute, load, newMessageId, persistent, type Deps } from './deps.js';
import type { Loaded } from '../command-handler.js';
import type { ConversationState } from '../../domain/conversation/state.js';
import { decoded } from './use-case.js';

/**
 * V2/V3 and B2: an SMS or MMS to a business number. Routed by the `to` number (a retired one is refused,
 * nothing appended), then to the client with that cell phone (several: the one last written to), else to a
 * conversation keyed by the number (`inbound-routing.ts` holds both rules). The conversation decides the
 * rest: opt-out and opt-in keywords (V3, in the body only), and a provider id seen before appends nothing.
 * Its media are recorded with it (V2); a media-only message (empty body) is one message like any other (B4).
 */
export const receiveInbound =
  (deps: Pick<Deps, 'store' | 'ids' | 'clock' | 'maxAttempts' | 'aggregates' | 'directory'>) =>
  (input: In.ReceiveInboundInput): Result<ReceivedMessage> =>
    decoded(In.ReceiveInboundInput, input)((i) => {
      // One reading of the clock for the whole message: its claim, record, opt-out and count agree on when.
      const now = deps.clock.now();
      const receivedAt = i.receivedAt ?? now;
      const timely = notAheadOf('receivedAt', i.receivedAt, now);
      if (E.isLeft(timely)) return TE.left(timely.left);
      const to = parsePhone(i.to);
      const from = parsePhone(i.from);
      if (E.isLeft(to) || E.isLeft(from))
        return TE.left({
          code: 'invalid-input',
          message: `inbound SMS: ${E.isLeft(to) ? `to: ${describePhoneProblem(to.left)}` : ''}${E.isLeft(from) ? ` from: ${describePhoneProblem(from.left)}` : ''}`.trim(),
          problems: [...(E.isLeft(to) ? ['to'] : []), ...(E.isLeft(from) ? ['from'] : [])],
        });
      const toNumber = to.right.e164;
      const fromNumber = from.right.e164;
      const recordIntent = (businessId: BusinessId, messageId: MessageId): Result<unknown> => {
        const intent = subscriptionIntent(i.body, i.optOutType ?? null);
        if ((intent.intent !== 'opt-out' && intent.intent !== 'opt-in') || intent.source === null) return TE.right(undefined);
        return recordPhoneSubscription(deps, {
          type: intent.intent === 'opt-out' ? 'OptOut' : 'OptIn',
          businessId,
          phone: fromNumber,
          source: intent.source,
          keyword: intent.keyword,
          messageId,
          at: receivedAt,
        });
      };
      const countInbound = (businessId: BusinessId, messageId: MessageId): Result<unknown> => {
        const at = receivedAt;
        const period = billingPeriodOf(at);
        return execute(persistent(deps), deps.aggregates.usageLedger, usageLedgerAddress(businessId, period), () =>
          TE.right({ type: 'CountInbound' as const, businessId, period, messageId, at }),
        );
      };
      /** V2/V3: the conversation decides the rest; a provider id it has seen appends nothing. */
      const receiveInConversation = (conversationId: ConversationId, messageId: MessageId, businessId: BusinessId, loaded: Loaded<ConversationState>): Result<ReceivedMessage> => {
        const clientId = ClientId.is(conversationId) ? conversationId : null;
        return pipe(
          // A client's message is a fact from outside that must not be lost (B4, V2): retried harder than a command.
          execute(
            persistent(deps),
            deps.aggregates.conversation,
            conversationAddress(businessId, conversationId),
            () =>
              TE.right({
                type: 'ReceiveInbound' as const,
                businessId,
                conversationId,
                clientId,
                messageId,
                providerMessageId: i.providerMessageId,
                from: fromNumber,
                to: toNumber,
                body: i.body,
                media: i.media ?? [],
                optOutType: i.optOutType ?? null,
                at: receivedAt,
              }),
            // Decided first on the conversation as just loaded; another writer in between makes it load again.
            { idempotencyKey: `inbound:${businessId}:${i.providerMessageId}`, loaded },
          ),
          TE.map(({ events, state }) => ({
            businessId,
            conversationId,
            messageId: state.seenInbound.get(i.providerMessageId) ?? messageId,
            duplicate: events.length === 0,
            subscription: state.subscription,
          })),
        );
      };

      return pipe(
        deps.directory.catchUp(),
        TE.chain((directory) => {
          const business = businessForNumber(toNumber, directory.numbers.get(toNumber));
          if (E.isLeft(business)) return TE.left(business.left);
          const businessId = business.right;
          const own = fromOwnNumber(fromNumber, businessId, directory.numbers.get(fromNumber));
          if (E.isLeft(own)) return TE.left(own.left);
          // With key-derived ids, the message id comes from the same key as the event ids: a racing
          // redelivery in another process that is acknowledged idempotently then reports the id stored.
          return pipe(
            newMessageId(deps, `message:inbound:${businessId}:${i.providerMessageId}`),
            TE.map((messageId) => ({ directory, businessId, messageId })),
          );
        }),
        TE.chain(({ directory, businessId, messageId: newId }) => {
          const routed = clientForPhone(clientCandidates(directory, businessId, fromNumber)) ?? telConversationId(fromNumber);
          if (routed === null) return TE.left<MessageCenterError, ReceivedMessage>({ code: 'invalid-input', message: 'bad sender', problems: ['from'] });
          return pipe(
            // V2 (issue 12): the first delivery claims the provider id for this business; a redelivery goes
            // where the first went, whatever routing says now (the client's phone may have changed).
            execute(deps, deps.aggregates.inboundClaim, inboundClaimAddress(businessId, i.providerMessageId), () =>
              TE.right({ type: 'ClaimInbound' as const, businessId, providerMessageId: i.providerMessageId, conversationId: routed, messageId: newId, at: now }),
            ),
            TE.map(({ state }) => state.claimed ?? { conversationId: routed, messageId: newId }),
            // V3 (issue 12): a STOP or START is the phone's before it is the conversation's, and is recorded first:
            // should the process stop in between, the redelivered webhook records the message, never a lost opt-out.
            // A redelivery of a message the conversation already holds says nothing new: a START delivered again
            // after a later STOP must not opt the phone back in (nor one that changed nothing the first time).
            TE.chain((claimed) =>
              pipe(
                load(deps, deps.aggregates.conversation, conversationAddress(businessId, claimed.conversationId)),
                TE.chainFirst(({ state }) => (state.seenInbound.has(i.providerMessageId) ? TE.right(undefined) : recordIntent(businessId, claimed.messageId))),
                TE.chain((loaded) => receiveInConversation(claimed.conversationId, claimed.messageId, businessId, loaded)),
              ),
            ),
            // B4: an inbound message counts in its period's ledger too (idempotent per message), never refused.
            TE.chainFirst((received) => countInbound(businessId, received.messageId)),
          );
        }),
      );
    });
