import * as E from 'fp-ts/lib/Either.js';
import * as TE from './task-either.js';
import { telConversationId } from '../../domain/conversation/events.js';
import { ClientId, type BusinessId, type MessageId } from '../../domain/values/ids.js';
import { businessForNumber, clientForPhone, fromOwnNumber } from '../../domain/policies/inbound-routing.js';
import { conversationAddress, inboundClaimAddress, usageLedgerAddress } from '../../domain/streams.js';
import { billingPeriodOf } from '../../domain/policies/allotment.js';
import { subscriptionIntent } from '../../domain/policies/opt-out-keywords.js';
import { recordPhoneSubscription } from './phone-subscription.js';
import { describePhoneProblem, parsePhone, type E164 } from '../../domain/values/phone-number.js';
import type { Timestamp } from '../../domain/values/timestamp.js';
import type { MessageCenterError } from '../errors.js';
import { clientCandidates } from '../../read-models/directory.js';
import * as In from '../facade-inputs.js';
import { notAheadOf } from '../input-grammar.js';
import type { ReceivedMessage, Result } from '../message-center-api.js';
import { execute, load, messageIdFrom, persistent, type Deps } from './deps.js';
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
    decoded(In.ReceiveInboundInput, input)((i) => async () => {
      // One reading of the clock for the whole message: its claim, record, opt-out and count agree on when.
      const now = deps.clock.now();
      const receivedAt = i.receivedAt ?? now;
      const timely = notAheadOf('receivedAt', i.receivedAt, now);
      if (E.isLeft(timely)) return timely;
      const numbers = numbersOf(i);
      if (E.isLeft(numbers)) return numbers;
      const { toNumber, fromNumber } = numbers.right;

      const directory = await deps.directory.catchUp()();
      if (E.isLeft(directory)) return directory;
      const business = businessForNumber(toNumber, directory.right.numbers.get(toNumber));
      if (E.isLeft(business)) return business;
      const businessId = business.right;
      const own = fromOwnNumber(fromNumber, businessId, directory.right.numbers.get(fromNumber));
      if (E.isLeft(own)) return own;
      // With key-derived ids, the message id comes from the same key as the event ids: a racing
      // redelivery in another process that is acknowledged idempotently then reports the id stored.
      const newId = messageIdFrom(deps, `message:inbound:${businessId}:${i.providerMessageId}`);
      if (E.isLeft(newId)) return newId;
      const routed = clientForPhone(clientCandidates(directory.right, businessId, fromNumber)) ?? telConversationId(fromNumber);
      if (routed === null) return E.left({ code: 'invalid-input', message: 'bad sender', problems: ['from'] });

      // V2 (issue 12): the first delivery claims the provider id for this business; a redelivery goes
      // where the first went, whatever routing says now (the client's phone may have changed).
      const claim = await execute(deps, deps.aggregates.inboundClaim, inboundClaimAddress(businessId, i.providerMessageId), () =>
        TE.right({ type: 'ClaimInbound' as const, businessId, providerMessageId: i.providerMessageId, conversationId: routed, messageId: newId.right, at: now }),
      )();
      if (E.isLeft(claim)) return claim;
      const { conversationId, messageId } = claim.right.state.claimed ?? { conversationId: routed, messageId: newId.right };
      const address = conversationAddress(businessId, conversationId);
      const loaded = await load(deps, deps.aggregates.conversation, address)();
      if (E.isLeft(loaded)) return loaded;
      // V3 (issue 12): a STOP or START is the phone's before it is the conversation's, and is recorded first:
      // should the process stop in between, the redelivered webhook records the message, never a lost opt-out.
      // A redelivery of a message the conversation already holds says nothing new: a START delivered again
      // after a later STOP must not opt the phone back in (nor one that changed nothing the first time).
      if (!loaded.right.state.seenInbound.has(i.providerMessageId)) {
        const recorded = await recordIntent(deps, i, businessId, fromNumber, messageId, receivedAt)();
        if (E.isLeft(recorded)) return recorded;
      }
      // V2/V3: the conversation decides the rest; a provider id it has seen appends nothing. A client's
      // message is a fact from outside that must not be lost (B4, V2): retried harder than a command.
      const command = {
        type: 'ReceiveInbound' as const,
        businessId,
        conversationId,
        clientId: ClientId.is(conversationId) ? conversationId : null,
        messageId,
        providerMessageId: i.providerMessageId,
        from: fromNumber,
        to: toNumber,
        body: i.body,
        media: i.media ?? [],
        optOutType: i.optOutType ?? null,
        at: receivedAt,
      };
      // Decided first on the conversation as just loaded; another writer in between makes it load again.
      const received = await execute(persistent(deps), deps.aggregates.conversation, address, () => TE.right(command), {
        idempotencyKey: `inbound:${businessId}:${i.providerMessageId}`,
        loaded: loaded.right,
      })();
      if (E.isLeft(received)) return received;
      const { events, state } = received.right;
      const recordedId = state.seenInbound.get(i.providerMessageId) ?? messageId;
      // B4: an inbound message counts in its period's ledger too (idempotent per message), never refused.
      const period = billingPeriodOf(receivedAt);
      const counted = await execute(persistent(deps), deps.aggregates.usageLedger, usageLedgerAddress(businessId, period), () =>
        TE.right({ type: 'CountInbound' as const, businessId, period, messageId: recordedId, at: receivedAt }),
      )();
      if (E.isLeft(counted)) return counted;
      return E.right({ businessId, conversationId, messageId: recordedId, duplicate: events.length === 0, subscription: state.subscription });
    });

/** The `to` and `from` numbers of an inbound SMS, or `invalid-input` naming each that is not a number. */
const numbersOf = (i: In.ReceiveInboundInput): E.Either<MessageCenterError, { readonly toNumber: E164; readonly fromNumber: E164 }> => {
  const to = parsePhone(i.to);
  const from = parsePhone(i.from);
  if (E.isRight(to) && E.isRight(from)) return E.right({ toNumber: to.right.e164, fromNumber: from.right.e164 });
  return E.left({
    code: 'invalid-input',
    message: `inbound SMS: ${E.isLeft(to) ? `to: ${describePhoneProblem(to.left)}` : ''}${E.isLeft(from) ? ` from: ${describePhoneProblem(from.left)}` : ''}`.trim(),
    problems: [...(E.isLeft(to) ? ['to'] : []), ...(E.isLeft(from) ? ['from'] : [])],
  });
};

/** V3: the phone's opt-out or opt-in, when the message says one (Twilio's `OptOutType` or a keyword). */
const recordIntent = (
  deps: Pick<Deps, 'store' | 'ids' | 'maxAttempts' | 'aggregates'>,
  i: In.ReceiveInboundInput,
  businessId: BusinessId,
  phone: E164,
  messageId: MessageId,
  at: Timestamp,
): Result<unknown> => {
  const intent = subscriptionIntent(i.body, i.optOutType ?? null);
  if ((intent.intent !== 'opt-out' && intent.intent !== 'opt-in') || intent.source === null) return TE.right(undefined);
  return recordPhoneSubscription(deps, { type: intent.intent === 'opt-out' ? 'OptOut' : 'OptIn', businessId, phone, source: intent.source, keyword: intent.keyword, messageId, at });
};
