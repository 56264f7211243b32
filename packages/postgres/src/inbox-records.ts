import type { ClientCard, ConversationRecord, ReadMark, StaffId } from '@message-center/core/internals';

// Core's inbox rows as the inbox tables keep them: a ConversationRecord is plain data but for `staffRead`, a
// Map, which JSON keeps as its entries. What the tables hand back is checked before it is trusted as core's
// type: the shape of what the queries and the fold read, so a row of another version fails loudly.

/** A ConversationRecord as stored in `message_center_inbox_conversations.record`. */
export type StoredRecord = Omit<ConversationRecord, 'staffRead'> & { readonly staffRead: ReadonlyArray<readonly [StaffId, ReadMark]> };

export const storedRecordOf = (record: ConversationRecord): StoredRecord => ({ ...record, staffRead: [...record.staffRead] });

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const isMark = (value: unknown): value is ReadMark =>
  isObject(value) && typeof value['readUpToSeq'] === 'number' && typeof value['markedUnread'] === 'boolean';

const isMarkEntry = (value: unknown): value is readonly [StaffId, ReadMark] =>
  Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && isMark(value[1]);

const isOrderKey = (value: unknown): boolean =>
  isObject(value) && typeof value['ms'] === 'number' && typeof value['at'] === 'string' && typeof value['id'] === 'string';

const isStoredRecord = (value: unknown): value is StoredRecord =>
  isObject(value) &&
  typeof value['conversationId'] === 'string' &&
  typeof value['phone'] === 'string' &&
  typeof value['startedAt'] === 'string' &&
  typeof value['lastActivityAt'] === 'string' &&
  isOrderKey(value['orderKey']) &&
  (value['lastMessage'] === null || isObject(value['lastMessage'])) &&
  typeof value['lastSeq'] === 'number' &&
  typeof value['lastOutboundSeq'] === 'number' &&
  typeof value['archived'] === 'boolean' &&
  typeof value['muted'] === 'boolean' &&
  typeof value['pinned'] === 'boolean' &&
  isMark(value['sharedRead']) &&
  Array.isArray(value['staffRead']) &&
  value['staffRead'].every(isMarkEntry) &&
  isObject(value['subscription']);

/** The record of a stored row, or null when the JSON is not one this code wrote. */
export const recordOf = (json: unknown): ConversationRecord | null => (isStoredRecord(json) ? { ...json, staffRead: new Map(json.staffRead) } : null);

const isCard = (value: unknown): value is ClientCard =>
  isObject(value) && typeof value['clientId'] === 'string' && typeof value['name'] === 'string' && Array.isArray(value['groups']);

/** The client card of a stored row, or null when the JSON is not one. */
export const cardOf = (json: unknown): ClientCard | null => (isCard(json) ? json : null);
