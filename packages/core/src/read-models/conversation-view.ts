import * as E from 'fp-ts/lib/Either.js';
import type { ConversationId } from '../domain/conversation/events.js';
import type { ConversationState, OutboundDelivery, SubscriptionStatus } from '../domain/conversation/state.js';
import type { DomainError } from '../domain/errors.js';
import type { Folder } from '../domain/policies/folder.js';
import { internationalNotice, type InternationalNotice } from '../domain/policies/international.js';
import type { CountryCode } from '../domain/values/country.js';
import type { BusinessId, ClientId, MessageId, StaffId } from '../domain/values/ids.js';
import type { E164 } from '../domain/values/phone-number.js';
import type { Timestamp } from '../domain/values/timestamp.js';
import { viewerStatus } from './inbox-query.js';

/** One conversation as one staff member sees it (V4–V9). */
export interface ConversationView {
  readonly businessId: BusinessId;
  readonly conversationId: ConversationId;
  readonly clientId: ClientId | null;
  readonly phone: E164;
  /** V4–V7, for the viewer who asked. */
  readonly folder: Folder;
  readonly unreadCount: number;
  readonly archived: boolean;
  readonly pinned: boolean;
  readonly muted: boolean;
  readonly subscription: SubscriptionStatus;
  readonly messageCount: number;
  readonly lastActivityAt: Timestamp | null;
  readonly lastMessageDirection: 'inbound' | 'outbound';
  readonly deliveries: ReadonlyArray<{ readonly messageId: MessageId } & OutboundDelivery>;
  /** Set when the number messages now go to (the client's current cell phone) is from another country than the business's: replies may not arrive. */
  readonly international: InternationalNotice | null;
}

/**
 * The view of a conversation's own folded state (the facade loads the aggregate, so the view is as fresh
 * as the last command); the per-viewer part is an inbox row's (`viewerStatus`).
 */
export const conversationView = (
  state: ConversationState,
  viewer: StaffId,
  business: { readonly individualReadStatus: boolean; readonly country: CountryCode },
  /** The client's current cell phone (null: none, or a `tel:` conversation): where messages go now. */
  currentPhone: E164 | null = null,
): E.Either<DomainError, ConversationView> => {
  const identity = state.identity;
  if (identity === null) return E.left({ code: 'conversation-not-found', message: 'there is no such conversation' });
  return E.right({
    businessId: identity.businessId,
    conversationId: identity.conversationId,
    clientId: identity.clientId,
    phone: identity.phone,
    ...viewerStatus(state, viewer, business.individualReadStatus),
    lastActivityAt: state.lastActivityAt,
    lastMessageDirection: state.lastOutboundSeq === state.lastSeq ? 'outbound' : 'inbound',
    // In the order the messages were written (the state's persistent map keeps no order).
    deliveries: [...state.outbound].sort(([, a], [, b]) => a.seq - b.seq).map(([messageId, d]) => ({ messageId, ...d })),
    international: internationalNotice(currentPhone ?? identity.phone, business.country),
  });
};
