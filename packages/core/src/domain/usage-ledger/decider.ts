import * as E from 'fp-ts/lib/Either.js';
import { makePersistentDecider } from '../decider.js';
import { PersistentMap } from '../collections/persistent-map.js';
import type { DomainError } from '../errors.js';
import { checkOutboundAllotment, type Allotment } from '../policies/allotment.js';
import type { ConversationId } from '../conversation/events.js';
import type { BusinessId, MessageId } from '../values/ids.js';
import type { Timestamp } from '../values/timestamp.js';
import type { UsageLedgerEvent } from './events.js';

interface LedgerCommandBase {
  readonly businessId: BusinessId;
  /** `YYYY-MM` (`billingPeriodOf`). */
  readonly period: string;
  readonly messageId: MessageId;
  readonly at: Timestamp;
}

export type UsageLedgerCommand =
  | (LedgerCommandBase & { readonly type: 'ReserveOutbound'; readonly conversationId: ConversationId; readonly allotment: Allotment })
  | (LedgerCommandBase & { readonly type: 'CountInbound' });

export interface UsageLedgerState {
  readonly outbound: number;
  readonly inbound: number;
  /** Messages already counted (`ledgerKey`): a retried reservation or count is a no-op. Persistent: a busy period counts thousands. */
  readonly counted: PersistentMap<string, true>;
}

/**
 * What makes a message one count: its direction, and for outbound its conversation too (message ids are
 * unique per conversation, not per business, and an inbound message's id is no outbound's). Inbound ids are
 * derived from the provider id, one per business.
 */
const ledgerKey = (direction: 'out' | 'in', messageId: MessageId, conversationId: ConversationId | undefined): string =>
  direction === 'in' ? `in ${messageId}` : `out ${conversationId ?? ''} ${messageId}`;

const keyOfCommand = (c: UsageLedgerCommand): string => (c.type === 'CountInbound' ? ledgerKey('in', c.messageId, undefined) : ledgerKey('out', c.messageId, c.conversationId));

/**
 * B4: how many messages of the period come before an outbound one, what `SendMessage` is decided with: all
 * of them until it holds its place, all but itself once it does.
 */
export const usedBefore = (s: UsageLedgerState, conversationId: ConversationId, messageId: MessageId): number => {
  const total = s.outbound + s.inbound;
  return s.counted.has(ledgerKey('out', messageId, conversationId)) ? Math.max(0, total - 1) : total;
};

export const initialUsageLedger: UsageLedgerState = { outbound: 0, inbound: 0, counted: PersistentMap.empty() };

/** B4: outbound within the allotment, or beyond it only with overage; inbound always counts. Idempotent per message. */
const decide = (c: UsageLedgerCommand, s: UsageLedgerState): E.Either<DomainError, ReadonlyArray<UsageLedgerEvent>> => {
  if (s.counted.has(keyOfCommand(c))) return E.right([]);
  const data = { businessId: c.businessId, period: c.period, messageId: c.messageId, at: c.at };
  if (c.type === 'CountInbound') return E.right([{ type: 'InboundCounted', data }]);
  const decision = checkOutboundAllotment(c.allotment, s.outbound + s.inbound);
  return decision.allowed
    ? E.right([{ type: 'OutboundReserved', data: { ...data, conversationId: c.conversationId, overage: decision.overage } }])
    : E.left({
        code: 'allotment-exhausted',
        message: `the plan allows ${decision.limit} messages in this billing period and ${decision.used} are used`,
        limit: decision.limit,
        used: decision.used,
      });
};

export const usageLedgerDecider = makePersistentDecider<UsageLedgerCommand, UsageLedgerState, UsageLedgerEvent>({
  initialState: initialUsageLedger,
  decide,
  apply: (w, event, edit) => {
    if (event.type === 'OutboundReserved') {
      w.outbound += 1;
      w.counted = w.counted.set(ledgerKey('out', event.data.messageId, event.data.conversationId), true, edit);
    } else {
      w.inbound += 1;
      w.counted = w.counted.set(ledgerKey('in', event.data.messageId, undefined), true, edit);
    }
  },
});
