/**
 * R1–R7 and the conversation view: every query is authorized first (B0: a refusal reads nothing). The
 * in-memory read models (alerts, the client finder, and by default inbox, badge and usage) are caught up
 * before they answer, so an answer includes every command that returned before it; inbox, badge and usage
 * come from the read-model store the facade was given (`readModelStore`), the in-memory one by default.
 * The conversation view and the contact history fold their own streams.
 */
import * as E from 'fp-ts/lib/Either.js';
import * as TE from './task-either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Actor, BusinessActor } from '../../domain/actor.js';
import type { Operation } from '../../domain/authorization.js';
import type { DomainEvent } from '../../domain/events.js';
import { compareLogPositions } from '../../domain/log.js';
import { billingPeriodOf } from '../../domain/policies/allotment.js';
import { clientAddress, conversationAddress, streamName, type StreamAddress } from '../../domain/streams.js';
import { ClientId, type BusinessId } from '../../domain/values/ids.js';
import type { AlertsPage } from '../../read-models/alerts.js';
import { findClients as findClientsIn, type FoundClientsPage } from '../../read-models/client-finder-query.js';
import { contactHistoryOf, type ContactHistoryView } from '../../read-models/contact-history.js';
import { conversationView, type ConversationView } from '../../read-models/conversation-view.js';
import type { InboxPage } from '../../read-models/inbox-query.js';
import type { PeriodUsage } from '../../read-models/usage.js';
import { decodeOwnEvent } from '../command-handler.js';
import * as In from '../facade-inputs.js';
import { notAheadOf } from '../input-grammar.js';
import type { Result } from '../message-center-api.js';
import type { RecordedEvent } from '../ports/event-store.js';
import { enabledBusiness, load, type Deps } from './deps.js';
import { allowed, decoded, fromEither } from './use-case.js';

/** A conversation as one staff member sees it (V4–V9), from the conversation's own stream. */
export const conversation =
  (deps: Pick<Deps, 'store' | 'aggregates'>) =>
  (query: In.ConversationQueryInput): Result<ConversationView> =>
    decoded(In.ConversationQueryInput, query)((q) =>
      pipe(
        allowed('conversation', q.viewer, q.businessId),
        TE.chain(() => enabledBusiness(deps, q.businessId)),
        TE.chain((business) =>
          pipe(
            TE.Do,
            TE.bind('conversation', () => load(deps, deps.aggregates.conversation, conversationAddress(q.businessId, q.conversationId))),
            // The international notice is about where messages go now: the client's current cell phone.
            TE.bind('phone', () =>
              ClientId.is(q.conversationId)
                ? pipe(
                    load(deps, deps.aggregates.client, clientAddress(q.businessId, q.conversationId)),
                    TE.map(({ state }) => state.profile?.cellPhone.e164 ?? null),
                  )
                : TE.right(null),
            ),
            TE.chain(({ conversation, phone }) => fromEither(conversationView(conversation.state, q.viewer.staffId, business, phone))),
          ),
        ),
      ),
    );

/** B0, then the read-model store (the in-memory read models, or the host's shared store). */
const fromReadModelStore = <Q extends { readonly viewer: Actor | BusinessActor; readonly businessId: BusinessId }, A>(
  operation: Operation,
  q: Q,
  answer: () => Result<A>,
): Result<A> =>
  pipe(
    allowed(operation, q.viewer, q.businessId),
    TE.chain(answer),
  );

/** R1–R3: one page of the inbox as a viewer sees it: a view, a search, filters, cursor paging. */
export const inbox =
  (deps: Pick<Deps, 'readModelStore'>) =>
  (query: In.InboxQueryInput): Result<InboxPage> =>
    decoded(In.InboxQueryInput, query)((q) => fromReadModelStore('inbox', q, () => deps.readModelStore.inbox(q)));

/**
 * R2 (issue 13): the To: picker, over every client of the business, with or without a conversation. The
 * business must have the Message Center enabled, as for the inbox.
 */
export const findClients =
  (deps: Pick<Deps, 'readModels' | 'store' | 'aggregates'>) =>
  (query: In.FindClientsInput): Result<FoundClientsPage> =>
    decoded(In.FindClientsInput, query)((q) =>
      pipe(
        allowed('findClients', q.viewer, q.businessId),
        // From the business's own stream (cached): the inbox that knew it may live in another store.
        TE.chain(() => enabledBusiness(deps, q.businessId)),
        TE.chain(() => deps.readModels.catchUp()),
        TE.chain((models) => fromEither(findClientsIn(models.clients, { businessId: q.businessId, query: q.query ?? '', limit: q.limit, cursor: q.cursor }))),
      ),
    );

/** R4: unread inbound messages for the viewer across conversations, muted ones excluded. */
export const unreadBadge =
  (deps: Pick<Deps, 'readModelStore'>) =>
  (query: In.BadgeQueryInput): Result<number> =>
    decoded(In.BadgeQueryInput, query)((q) => fromReadModelStore('unreadBadge', q, () => deps.readModelStore.unreadBadge(q)));

/** R7: the business's alerts after a cursor, oldest first. */
export const alerts =
  (deps: Pick<Deps, 'readModelStore'>) =>
  (query: In.AlertsQueryInput): Result<AlertsPage> =>
    decoded(In.AlertsQueryInput, query)((q) => fromReadModelStore('alerts', q, () => deps.readModelStore.alerts(q)));

/** R6 (B4): messages counted against the allotment in a billing period (default: the current one). */
export const usage =
  (deps: Pick<Deps, 'readModelStore' | 'clock'>) =>
  (query: In.UsageQueryInput): Result<PeriodUsage> =>
    decoded(In.UsageQueryInput, query)((q) =>
      fromReadModelStore('usage', q, () => deps.readModelStore.usage({ viewer: q.viewer, businessId: q.businessId, period: q.period ?? billingPeriodOf(deps.clock.now()) })),
    );

/** R5: every message in and out with author and delivery status, and opt-out/opt-in changes; `asOf` a past moment. */
export const contactHistory =
  (deps: Pick<Deps, 'store' | 'clock' | 'decodeEvent'>) =>
  (query: In.ContactHistoryQueryInput): Result<ContactHistoryView> =>
    decoded(In.ContactHistoryQueryInput, query)((q) =>
      pipe(
        fromEither(notAheadOf('asOf', q.asOf, deps.clock.now())),
        TE.chain(() => allowed('contactHistory', q.viewer, q.businessId)),
        TE.chain(() => clientEvents(deps, q.businessId, q.clientId)),
        TE.chain((events) => fromEither(contactHistoryOf(q, events))),
      ),
    );

/**
 * R5: the client's profile stream and conversation stream, decoded, in the order they were written. Every
 * event is checked to belong to the stream it was read from, as every aggregate load is.
 */
const clientEvents =
  (deps: Pick<Deps, 'store' | 'decodeEvent'>, businessId: BusinessId, clientId: ClientId): Result<ReadonlyArray<DomainEvent>> =>
  async () => {
    const addresses: ReadonlyArray<StreamAddress> = [clientAddress(businessId, clientId), conversationAddress(businessId, clientId)];
    const reads = await Promise.all(addresses.map(async (address) => ({ address, read: await deps.store.readStream(streamName(address))() })));
    const recorded: Array<{ readonly address: StreamAddress; readonly r: RecordedEvent }> = [];
    for (const { address, read } of reads) {
      if (E.isLeft(read)) return read;
      for (const r of read.right) recorded.push({ address, r });
    }
    recorded.sort((a, b) => compareLogPositions(a.r.position, b.r.position));
    const events: DomainEvent[] = [];
    for (const { address, r } of recorded) {
      const event = decodeOwnEvent(address, r, deps.decodeEvent);
      if (E.isLeft(event)) return event;
      events.push(event.right);
    }
    return E.right(events);
  };
