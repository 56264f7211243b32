import * as E from 'fp-ts/lib/Either.js';
import { makeDecider } from '../decider.js';
import type { DomainError } from '../errors.js';
import type { ConversationId } from '../conversation/events.js';
import type { BusinessId, MessageId, ProviderMessageId } from '../values/ids.js';
import type { Timestamp } from '../values/timestamp.js';
import type { InboundClaimEvent } from './events.js';

export interface ClaimInbound {
  readonly type: 'ClaimInbound';
  readonly businessId: BusinessId;
  readonly providerMessageId: ProviderMessageId;
  /** Where routing sends the message now; used only if this is the first delivery. */
  readonly conversationId: ConversationId;
  readonly messageId: MessageId;
  readonly at: Timestamp;
}

export interface InboundClaimState {
  /** Where the first delivery went: every redelivery goes there too. */
  readonly claimed: { readonly conversationId: ConversationId; readonly messageId: MessageId } | null;
}

/** V2: the first delivery claims the provider id; a redelivery decides nothing and reads the claim. */
const decide = (c: ClaimInbound, s: InboundClaimState): E.Either<DomainError, ReadonlyArray<InboundClaimEvent>> =>
  E.right(
    s.claimed !== null
      ? []
      : [{ type: 'InboundClaimed', data: { businessId: c.businessId, providerMessageId: c.providerMessageId, conversationId: c.conversationId, messageId: c.messageId, at: c.at } }],
  );

export const inboundClaimDecider = makeDecider<ClaimInbound, InboundClaimState, InboundClaimEvent>({
  initialState: { claimed: null },
  decide,
  apply: (draft, event) => {
    // The first claim stands; a second one could only come from a writer that ignored the expected revision.
    draft.claimed ??= { conversationId: event.data.conversationId, messageId: event.data.messageId };
  },
});
