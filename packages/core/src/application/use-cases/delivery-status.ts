import * as E from 'fp-ts/lib/Either.js';
import * as TE from './task-either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { ConversationId, DeliveryStatus } from '../../domain/conversation/events.js';
import type { ConversationState } from '../../domain/conversation/state.js';
import { isDeliveryStatus } from '../../domain/policies/delivery-status.js';
import { PROVIDER_UNSUBSCRIBED_CODE } from '../../domain/policies/opt-out-keywords.js';
import { conversationAddress, streamName } from '../../domain/streams.js';
import type { BusinessId, ProviderMessageId } from '../../domain/values/ids.js';
import type { E164 } from '../../domain/values/phone-number.js';
import { decodeOwnEvent } from '../command-handler.js';
import { conversationOfProviderMessage } from '../../read-models/directory.js';
import type { MessageCenterError } from '../errors.js';
import * as In from '../facade-inputs.js';
import type { RecordedDeliveryStatus, Result } from '../message-center-api.js';
import { execute, type Deps } from './deps.js';
import { recordPhoneSubscription } from './phone-subscription.js';
import { decoded } from './use-case.js';

type DeliveryDeps = Pick<Deps, 'store' | 'ids' | 'clock' | 'maxAttempts' | 'aggregates' | 'directory' | 'decodeEvent'>;

/**
 * V10: a status callback from the provider, found by its provider message id; statuses only move forward
 * (the decider). An unknown provider id is refused with `message-not-found`, changing nothing.
 */
export const recordDeliveryStatus =
  (deps: DeliveryDeps) =>
  (input: In.RecordDeliveryStatusInput): Result<RecordedDeliveryStatus> =>
    decoded(In.RecordDeliveryStatusInput, input)((i) => {
      const status = i.status;
      if (!isDeliveryStatus(status) || status === 'pending')
        return TE.left({ code: 'invalid-input', message: `unknown delivery status ${JSON.stringify(status)}`, problems: ['status'] });
      return pipe(
        deps.directory.catchUp(),
        TE.chain((directory) => {
          const entry = conversationOfProviderMessage(directory, i.providerMessageId);
          if (entry === undefined)
            return TE.left<MessageCenterError, RecordedDeliveryStatus>({ code: 'message-not-found', message: `no outbound message has the provider id ${i.providerMessageId}` });
          return pipe(
            execute(deps, deps.aggregates.conversation, conversationAddress(entry.businessId, entry.conversationId), () =>
              TE.right({
                type: 'RecordDeliveryStatus' as const,
                businessId: entry.businessId,
                conversationId: entry.conversationId,
                providerMessageId: i.providerMessageId,
                status,
                errorCode: i.errorCode ?? null,
                at: deps.clock.now(),
              }),
            ),
            // V3: a 21610 in a callback opts out the phone the message went to, for every client with it.
            TE.chainFirst(({ state }) => (i.errorCode === PROVIDER_UNSUBSCRIBED_CODE ? optOutRecipient(deps, entry, state, i.providerMessageId) : TE.right(undefined))),
            TE.map(({ events, state }) => ({ status: statusOf(state, i.providerMessageId), changed: events.length > 0 })),
          );
        }),
      );
    });

/**
 * The phone the message was handed to (its last claim's, else the one it was written to) opted out. Read
 * from the stream: a rare path, so the conversation state need not keep every message's number.
 */
const optOutRecipient = (deps: DeliveryDeps, entry: { readonly businessId: BusinessId; readonly conversationId: ConversationId }, state: ConversationState, providerMessageId: ProviderMessageId): Result<unknown> => {
  const messageId = state.outboundByProvider.get(providerMessageId);
  if (messageId === undefined) return TE.right(undefined);
  const address = conversationAddress(entry.businessId, entry.conversationId);
  return pipe(
    deps.store.readStream(streamName(address)),
    TE.chain((recorded) => {
      let to: E164 | null = null;
      for (const r of recorded) {
        const event = decodeOwnEvent(address, r, deps.decodeEvent);
        if (E.isLeft(event)) return TE.left<MessageCenterError, unknown>(event.left);
        const e = event.right;
        if ((e.type === 'OutboundSent' || e.type === 'OutboundClaimed') && e.data.messageId === messageId) to = e.data.to;
      }
      return to === null
        ? TE.right(undefined)
        : recordPhoneSubscription(deps, { type: 'OptOut', businessId: entry.businessId, phone: to, source: 'provider-error', keyword: null, messageId, at: deps.clock.now() });
    }),
  );
};

const statusOf = (state: ConversationState, providerMessageId: ProviderMessageId): DeliveryStatus => {
  const messageId = state.outboundByProvider.get(providerMessageId);
  return (messageId === undefined ? undefined : state.outbound.get(messageId)?.status) ?? 'pending';
};
