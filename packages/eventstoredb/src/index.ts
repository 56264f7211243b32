export { createEventStoreDbEventStore, DEFAULT_MAX_APPEND_SIZE } from './event-store.js';
export type { EventStoreDbEventStore, EventStoreDbStoreOptions } from './event-store.js';
export { DeadlineExceededError, DEFAULT_DEADLINE_MS } from './deadline.js';
export type { EventStoreDbDeadlines } from './deadline.js';
export { connectEventStoreDb } from './connect.js';
export type { ConnectEventStoreDbOptions, EventStoreDbConnection } from './connect.js';
export { EventStoreDbClientConflictError, EventStoreDbClientNotInstalledError } from './client-loader.js';
export type { EventStoreDbClientName } from './client-loader.js';
export type {
  AllSubscriptionLike,
  AppendExpectation,
  AppendOptions,
  ClientAllResolvedEvent,
  ClientAppendResult,
  ClientEventData,
  ClientPosition,
  ClientReadAllOptions,
  ClientReadStreamOptions,
  ClientRecordedEvent,
  ClientResolvedEvent,
  ClientSubscribeToAllOptions,
  DisposableEventStoreDbClient,
  EventStoreDbClientLike,
  JsonBody,
  StreamNameFilter,
  TombstoneOptions,
} from './client.js';
export type { ResubscribeOptions } from './all-subscription.js';
export { eventIdForProviderMessage, MESSAGE_CENTER_EVENT_ID_NAMESPACE } from './event-ids.js';
export { deterministicIds } from './ids.js';
