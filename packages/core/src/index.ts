/**
 * `@message-center/core`: what a service that embeds the Message Center uses — the facade, its inputs,
 * views and errors, the ports an adapter implements, and the embedded (in-memory) store and transport.
 * Deciders, codecs and folds are in `@message-center/core/internals`.
 *
 * @packageDocumentation
 */

// The facade.
export { createMessageCenter } from './application/message-center.js';
export type {
  DispatchReport,
  MessageCenter,
  MessageCenterOptions,
  ReceivedMessage,
  RecordedClient,
  RecordedDeliveryStatus,
  Result,
  SentMessage,
} from './application/message-center-api.js';
export type { ConversationView } from './read-models/conversation-view.js';

// Inputs: each an io-ts codec (the facade decodes every input with it) and the type a caller passes.
export {
  AlertsQueryInput,
  BadgeQueryInput,
  ChangeNumberInput,
  SuggestNumbersInput,
  ChangePlanInput,
  ContactHistoryQueryInput,
  ConversationActionInput,
  ConversationQueryInput,
  EnableMessageCenterInput,
  FindClientsInput,
  InboxQueryInput,
  ReceiveInboundInput,
  RecordClientInput,
  RecordDeliveryStatusInput,
  SendMessageInput,
  SetIndividualReadStatusInput,
  StaffConversationActionInput,
  UsageQueryInput,
} from './application/facade-inputs.js';
export { Actor, AutomationActor, BusinessActor, HostActor, SEND_PERMISSION, StaffActor, UsageViewer } from './domain/actor.js';
export { AUTHORIZATION, PERMISSIONS, type AuthorizationRule, type Operation, type Permission } from './domain/authorization.js';
export { AllotmentCodec, NonNegativeInt, type AllotmentData, type NonNegativeIntBrand } from './domain/business/events.js';
export { OptOutTypeCodec } from './domain/conversation/commands.js';

// Values.
export {
  BusinessId,
  ClientId,
  MessageId,
  ProviderMessageId,
  StaffId,
  type BusinessIdBrand,
  type ClientIdBrand,
  type MessageIdBrand,
  type ProviderMessageIdBrand,
  type StaffIdBrand,
} from './domain/values/ids.js';
export { CountryCode, type CountryCodeBrand } from './domain/values/country.js';
export { E164, type E164Brand } from './domain/values/phone-number.js';
export { Timestamp, timestampFromDate, timestampFromMillis, type TimestampBrand } from './domain/values/timestamp.js';
export {
  MAX_MEDIA_PER_MESSAGE,
  Media,
  MediaContentType,
  MediaList,
  MediaUrl,
  type MediaContentTypeBrand,
  type MediaUrlBrand,
} from './domain/values/media.js';
export {
  ConversationId,
  TelConversationId,
  type DeliveryStatus,
  type TelConversationIdBrand,
} from './domain/conversation/events.js';

// Views.
export type { ConversationFacts } from './read-models/conversation-facts.js';
export type { ConversationIdentity, OutboundClaim, OutboundDelivery, ReadMark, SubscriptionStatus } from './domain/conversation/state.js';
export type { ClientProfile } from './domain/client/state.js';
export { CellPhoneCodec, type CellPhone } from './domain/client/events.js';
export { Author } from './domain/actor.js';
export { DELIVERY_STATUSES } from './domain/policies/delivery-status.js';
export type { ClientCard, MessageAuthor, MessagePreview } from './read-models/inbox.js';
export { FOLDERS, type Folder } from './domain/policies/folder.js';
export { INBOX_VIEWS, type InboxFilters, type InboxPage, type InboxQuery, type InboxRow, type InboxView } from './read-models/inbox-query.js';
export type { CannotText, ClientMatchKind, FoundClient, FoundClientsPage } from './read-models/client-finder-query.js';
export type { InternationalNotice } from './domain/policies/international.js';
export type { Alert, AlertsPage } from './read-models/alerts.js';
export type { PeriodUsage } from './read-models/usage.js';
export type {
  ContactHistoryView,
  Delivery,
  HistoryEntry,
  InboundEntry,
  OutboundEntry,
  SubscriptionEntry,
} from './read-models/contact-history.js';

// Errors.
export type { InternalError, MessageCenterError, MessageCenterErrorCode, ReadModelUnavailable, StreamOwnerMismatch } from './application/errors.js';
export type { DomainError, DomainErrorCode } from './domain/errors.js';
export type { EventDecodeError, Upcaster } from './application/event-codec.js';
export type { UnknownEventPolicy } from './application/projection-runner.js';

// Ports: what a store, a transport, a clock or an id source implements.
export { compareLogPositions, type LogPosition } from './domain/log.js';
export type {
  AllSubscriptionHandlers,
  AppendResult,
  EventMetadata,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StoreError,
  Subscription,
} from './application/ports/event-store.js';
export { appendTooLarge, concurrencyConflict, invalidRequest, streamDeleted } from './store/store-errors.js';
export type { OutgoingSms, SmsAccepted, SmsTransport, TransportError } from './application/ports/sms-transport.js';
export type { AccountNumber, NumberProvisioning, ProvisioningError, SuggestedNumber, SuggestNumbersQuery } from './application/ports/number-provisioning.js';
export type { ReadModelStore } from './application/ports/read-model-store.js';
export { createInMemoryReadModelStore } from './application/in-memory-read-model-store.js';
export { createInMemoryNumberProvisioning, type InMemoryNumberProvisioning, type InMemoryNumberProvisioningOptions } from './application/in-memory-number-provisioning.js';
export type { Clock } from './application/ports/clock.js';
export type { IdGenerator } from './application/ports/id-generator.js';
export { randomIds, systemClock } from './application/default-ports.js';

// The embedded default: an in-memory store and transport.
export {
  createInMemoryEventStore,
  DEFAULT_MAX_APPEND_SIZE,
  type InMemoryEventStore,
  type InMemoryEventStoreOptions,
} from './store/in-memory-event-store.js';
export { createInMemorySmsTransport, type InMemorySmsTransport } from './application/in-memory-transport.js';
