/**
 * R7 and V8: an alert for every new inbound message in a conversation that is not muted, for the host to
 * notify staff (push, e-mail, a bell in the top navigation).
 *
 * Each business keeps its most recent alerts (500 by default): the host polls with the cursor of the last
 * alert it handled, or reacts to `alertsIn` as batches are folded. Older messages are still in the inbox;
 * the window only bounds memory.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { StaffActor } from '../domain/actor.js';
import { authorize } from '../domain/authorization.js';
import type { ConversationId } from '../domain/conversation/events.js';
import type { DomainError } from '../domain/errors.js';
import type { BusinessId, ClientId, MessageId } from '../domain/values/ids.js';
import type { E164 } from '../domain/values/phone-number.js';
import type { Timestamp } from '../domain/values/timestamp.js';
import { compareLogPositions, type EventEnvelope, type LogPosition } from '../domain/log.js';
import { PHashMap, PSortedMap, compareStrings, withEdit } from './persistent.js';
import type { Projection } from './projection.js';
import { messagePreviewOf } from './search-text.js';
import { pairKey } from './stream-ids.js';

export interface Alert {
  /** Where the message is in the log; alerts are ordered by it. */
  readonly position: LogPosition;
  /** Opaque; pass as `after` to ask only for newer alerts. */
  readonly cursor: string;
  readonly businessId: BusinessId;
  readonly conversationId: ConversationId;
  readonly messageId: MessageId;
  /** The client as known when the message came in; null for a number that matches no client. */
  readonly client: { readonly clientId: ClientId; readonly name: string } | null;
  readonly from: E164;
  /** The first 100 characters of the message; for a media-only MMS, a label such as `📷 Photo` (as the inbox). */
  readonly preview: string;
  readonly truncated: boolean;
  readonly at: Timestamp;
}

interface AlertConversation {
  readonly businessId: BusinessId;
  readonly conversationId: ConversationId;
  readonly clientId: ClientId | null;
  readonly muted: boolean;
}

export interface AlertsState {
  /** Conversation stream → what an alert needs to know about it. */
  readonly conversations: PHashMap<AlertConversation>;
  /** (business, client) → the client's name. */
  readonly clientNames: PHashMap<string>;
  /** Business → its latest alerts, oldest first. */
  readonly recent: PSortedMap<BusinessId, ReadonlyArray<Alert>>;
}

export const emptyAlerts: AlertsState = {
  conversations: PHashMap.empty(),
  clientNames: PHashMap.empty(),
  recent: PSortedMap.empty<BusinessId, ReadonlyArray<Alert>>(compareStrings),
};

export const DEFAULT_ALERT_RETENTION = 500;

/** The most alerts one `alerts` page returns. */
export const MAX_ALERTS_PAGE = 500;

const cursorOf = (p: LogPosition): string => `${p.commit.toString(36)}.${p.prepare.toString(36)}`;

/** The log position an alert cursor names, or null when the text is not one (stores that keep alerts elsewhere read cursors with it). */
export const alertCursorPosition = (cursor: string): LogPosition | null => {
  const m = /^([0-9a-z]{1,20})\.([0-9a-z]{1,20})$/.exec(cursor);
  if (m === null) return null;
  const parse = (s: string | undefined): bigint | null => {
    let n = 0n;
    for (const c of s ?? '') {
      const d = parseInt(c, 36);
      if (Number.isNaN(d)) return null;
      n = n * 36n + BigInt(d);
    }
    return n;
  };
  const commit = parse(m[1]);
  const prepare = parse(m[2]);
  return commit === null || prepare === null ? null : { commit, prepare };
};

/**
 * Folds a batch and returns the alerts it raised (in log order) with the new state. Muting counts as of
 * the message: a message that came in while the conversation was muted never alerts, even after unmute.
 */
export const foldAlertsWith = (
  state: AlertsState,
  batch: ReadonlyArray<EventEnvelope>,
  retain: number = DEFAULT_ALERT_RETENTION,
): { readonly state: AlertsState; readonly raised: ReadonlyArray<Alert> } => {
  if (batch.length === 0) return { state, raised: [] };
  return withEdit((edit) => {
    let { conversations, clientNames, recent } = state;
    const raised: Alert[] = [];
    const setMuted = (streamId: string, muted: boolean): void => {
      const c = conversations.get(streamId);
      if (c !== undefined && c.muted !== muted) conversations = conversations.set(streamId, { ...c, muted }, edit);
    };
    for (const { streamId, position, event } of batch) {
      switch (event.type) {
        case 'ClientProfileRecorded':
          clientNames = clientNames.set(pairKey(event.data.businessId, event.data.clientId), event.data.name, edit);
          break;
        case 'ConversationStarted':
          conversations = conversations.set(
            streamId,
            { businessId: event.data.businessId, conversationId: event.data.conversationId, clientId: event.data.clientId, muted: false },
            edit,
          );
          break;
        case 'ConversationMuted':
          setMuted(streamId, true);
          break;
        case 'ConversationUnmuted':
          setMuted(streamId, false);
          break;
        case 'InboundReceived': {
          const c = conversations.get(streamId);
          if (c === undefined || c.muted) break;
          const name = c.clientId === null ? undefined : clientNames.get(pairKey(c.businessId, c.clientId));
          const preview = messagePreviewOf(event.data.body, event.data.media);
          raised.push({
            position,
            cursor: cursorOf(position),
            businessId: c.businessId,
            conversationId: c.conversationId,
            messageId: event.data.messageId,
            client: c.clientId === null ? null : { clientId: c.clientId, name: name ?? '' },
            from: event.data.from,
            preview: preview.text,
            truncated: preview.truncated,
            at: event.data.at,
          });
          break;
        }
        default:
          break;
      }
    }
    const byBusiness = new Map<BusinessId, Alert[]>();
    for (const a of raised) {
      const list = byBusiness.get(a.businessId);
      if (list === undefined) byBusiness.set(a.businessId, [a]);
      else list.push(a);
    }
    for (const [businessId, fresh] of byBusiness) {
      const all = [...(recent.get(businessId) ?? []), ...fresh];
      recent = recent.set(businessId, all.length > retain ? all.slice(all.length - retain) : all, edit);
    }
    return { state: { conversations, clientNames, recent }, raised };
  });
};

export const foldAlerts = (state: AlertsState, batch: ReadonlyArray<EventEnvelope>, retain: number = DEFAULT_ALERT_RETENTION): AlertsState =>
  foldAlertsWith(state, batch, retain).state;

export const alertsProjection = (retain: number = DEFAULT_ALERT_RETENTION): Projection<AlertsState> => ({
  name: 'alerts',
  initial: emptyAlerts,
  fold: (state, batch) => foldAlerts(state, batch, retain),
});

/**
 * The alerts `next` holds that `previous` did not (oldest first, every business): for a projection
 * runner's `onUpdate`, to push notifications as batches are folded. A batch that raises more alerts for
 * one business than the retention keeps yields only the retained ones.
 */
export const newAlerts = (previous: AlertsState, next: AlertsState): ReadonlyArray<Alert> => {
  const fresh: Alert[] = [];
  next.recent.forEach((businessId, alerts) => {
    const before = previous.recent.get(businessId);
    if (before === alerts) return;
    const newest = before?.[before.length - 1]?.position;
    for (const a of alerts) if (newest === undefined || compareLogPositions(a.position, newest) > 0) fresh.push(a);
  });
  return fresh.sort((a, b) => compareLogPositions(a.position, b.position));
};

export interface AlertsQuery {
  readonly viewer: StaffActor;
  readonly businessId: BusinessId;
  /** The `cursor` of the last alert already handled; absent: every retained alert. */
  readonly after?: string | undefined;
  /** At most this many (oldest first); default 100. */
  readonly limit?: number | undefined;
}

export interface AlertsPage {
  readonly alerts: ReadonlyArray<Alert>;
  /** Pass as `after` next time (unchanged when there was nothing new). */
  readonly cursor: string | null;
}

/** R7: the business's alerts after a cursor, oldest first. */
export const alertsAfter = (state: AlertsState, query: AlertsQuery): E.Either<DomainError, AlertsPage> => {
  const authorized = authorize('alerts', query.viewer, query.businessId);
  if (E.isLeft(authorized)) return authorized;
  const limit = query.limit ?? 100;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_ALERTS_PAGE)
    return E.left({ code: 'invalid-input', message: `limit: a whole number from 1 to ${MAX_ALERTS_PAGE}`, problems: ['limit'] });
  const after = query.after === undefined ? null : alertCursorPosition(query.after);
  if (query.after !== undefined && after === null)
    return E.left({ code: 'invalid-input', message: 'after: not a cursor of an alert', problems: ['after'] });
  const all = state.recent.get(query.businessId) ?? [];
  const alerts = (after === null ? all : all.filter((a) => compareLogPositions(a.position, after) > 0)).slice(0, limit);
  const last = alerts[alerts.length - 1];
  return E.right({ alerts, cursor: last?.cursor ?? query.after ?? null });
};
