import * as E from 'fp-ts/lib/Either.js';
import {
  BusinessId,
  ClientId,
  ConversationId,
  DomainEvent,
  E164,
  MessageId,
  Timestamp,
  type Alert,
  type LogPosition,
} from '@message-center/core/internals';

// Core's alerts and the events its alerts fold reads, as the alerts tables keep them (json, as written). What
// the tables hand back is checked with core's codecs before it is trusted, so a row of another version fails
// loudly instead of answering something core would not.

/** An Alert as stored in `message_center_alerts.alert`: its position is the row's key (bigints are not JSON). */
export type StoredAlert = Omit<Alert, 'position'>;

export const storedAlertOf = (alert: Alert): StoredAlert => ({
  cursor: alert.cursor,
  businessId: alert.businessId,
  conversationId: alert.conversationId,
  messageId: alert.messageId,
  client: alert.client,
  from: alert.from,
  preview: alert.preview,
  truncated: alert.truncated,
  at: alert.at,
});

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const isAlertClient = (value: unknown): value is Alert['client'] =>
  value === null || (isObject(value) && ClientId.is(value['clientId']) && typeof value['name'] === 'string');

const isStoredAlert = (value: unknown): value is StoredAlert =>
  isObject(value) &&
  typeof value['cursor'] === 'string' &&
  BusinessId.is(value['businessId']) &&
  ConversationId.is(value['conversationId']) &&
  MessageId.is(value['messageId']) &&
  isAlertClient(value['client']) &&
  E164.is(value['from']) &&
  typeof value['preview'] === 'string' &&
  typeof value['truncated'] === 'boolean' &&
  Timestamp.is(value['at']);

/** The alert of a stored row, or null when the JSON is not one this code wrote. */
export const alertOf = (json: unknown, position: LogPosition): Alert | null => (isStoredAlert(json) ? { ...json, position } : null);

/** An event as the alerts tables keep it: `{ type, data }`, as the store holds it. */
export const storedEventOf = (event: DomainEvent): string => JSON.stringify(event);

/** The event of a stored row (core's codec decides), or null when it is not one. */
export const eventOf = (json: unknown): DomainEvent | null => {
  if (DomainEvent.is(json)) return json;
  const decoded = DomainEvent.decode(json);
  return E.isRight(decoded) ? decoded.right : null;
};
