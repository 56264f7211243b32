export { createEventStoreDbEventStore, DEFAULT_MAX_APPEND_SIZE } from './event-store.js';
export type { EventStoreDbEventStore, EventStoreDbStoreOptions } from './event-store.js';
export { connectEventStoreDb } from './connect.js';
export type { EventStoreDbConnection } from './connect.js';
export type { AllSubscriptionLike, AppendOptions, EventStoreDbClientLike, TombstoneOptions } from './client.js';
export type { ResubscribeOptions } from './all-subscription.js';
export { eventIdForProviderMessage, MESSAGE_CENTER_EVENT_ID_NAMESPACE } from './event-ids.js';
export { deterministicIds } from './ids.js';
