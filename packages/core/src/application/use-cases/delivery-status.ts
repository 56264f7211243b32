import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { DeliveryStatus } from '../../domain/conversation/events.js';
import type { ConversationState } from '../../domain/conversation/state.js';
import { isDeliveryStatus } from '../../domain/policies/delivery-status.js';
import { conversationAddress } from '../../domain/streams.js';
import type { ProviderMessageId } from '../../domain/values/ids.js';
import { conversationOfProviderMessage } from '../../read-models/directory.js';
import type { MessageCenterError } from '../errors.js';
import * as In from '../facade-inputs.js';
import type { RecordedDeliveryStatus, Result } from '../message-center-api.js';
import { execute, type Deps } from './deps.js';
import { decoded } from './use-case.js';

/**
 * V10: a status callback from the provider, found by its provider message id; statuses only move forward
 * (the decider). An unknown provider id is refused with `message-not-found`, changing nothing.
 */
export const recordDeliveryStatus =
  (deps: Pick<Deps, 'store' | 'ids' | 'clock' | 'maxAttempts' | 'aggregates' | 'directory'>) =>
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
            TE.map(({ events, state }) => ({ status: statusOf(state, i.providerMessageId), changed: events.length > 0 })),
          );
        }),
      );
    });

const statusOf = (state: ConversationState, providerMessageId: ProviderMessageId): DeliveryStatus => {
  const messageId = state.outboundByProvider.get(providerMessageId);
  return (messageId === undefined ? undefined : state.outbound.get(messageId)?.status) ?? 'pending';
};
