import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { StaffActor, UsageViewer } from '../../domain/actor.js';
import type { BusinessId } from '../../domain/values/ids.js';
import type { AlertsPage, AlertsQuery } from '../../read-models/alerts.js';
import type { InboxPage, InboxQuery } from '../../read-models/inbox-query.js';
import type { PeriodUsage } from '../../read-models/usage.js';
import type { MessageCenterError } from '../errors.js';

/**
 * Where the facade's inbox, unread badge, alerts and usage queries are answered (issue 15): the in-memory read
 * models by default, or a store every instance of the host shares (PostgreSQL: `@message-center/postgres`).
 * The facade decodes each query and asks B0 before it calls the port, so the port only answers for the
 * business and viewer it is given, as core's read models do (`read-models/`), and never throws.
 *
 * A shared store is fed by its own projection runner: it answers as of the events it has applied, which may
 * be behind a command that has just returned (the in-memory one catches up first). Its failures are
 * `read-model-unavailable`.
 */
export interface ReadModelStore {
  /** R1–R3: one page of the inbox (view, search, filters, cursor). */
  readonly inbox: (query: InboxQuery) => TE.TaskEither<MessageCenterError, InboxPage>;
  /** R4: the viewer's unread badge. */
  readonly unreadBadge: (query: { readonly viewer: StaffActor; readonly businessId: BusinessId }) => TE.TaskEither<MessageCenterError, number>;
  /** R7: the business's alerts after a cursor, oldest first (within the store's retention window). */
  readonly alerts: (query: AlertsQuery) => TE.TaskEither<MessageCenterError, AlertsPage>;
  /** R6: the business's usage in a billing period (`YYYY-MM`). */
  readonly usage: (query: { readonly viewer: UsageViewer; readonly businessId: BusinessId; readonly period: string }) => TE.TaskEither<MessageCenterError, PeriodUsage>;
}

