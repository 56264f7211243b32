import type * as TE from 'fp-ts/lib/TaskEither.js';
import type { Alert, AlertsPage } from '../read-models/alerts.js';
import type { ContactHistoryView } from '../read-models/contact-history.js';
import type { ConversationView } from '../read-models/conversation-view.js';
import type { InternationalNotice } from '../domain/policies/international.js';
import type { FoundClientsPage } from '../read-models/client-finder-query.js';
import type { InboxPage } from '../read-models/inbox-query.js';
import type { PeriodUsage } from '../read-models/usage.js';
import type { ConversationId, DeliveryStatus } from '../domain/conversation/events.js';
import type { SubscriptionStatus } from '../domain/conversation/state.js';
import type { BusinessId, MessageId } from '../domain/values/ids.js';
import type { E164 } from '../domain/values/phone-number.js';
import type { MessageCenterError } from './errors.js';
import type { Upcaster } from './event-codec.js';
import type {
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
} from './facade-inputs.js';
import type { UnknownEventPolicy } from './projection-runner.js';
import type { Clock } from './ports/clock.js';
import type { EventStore } from './ports/event-store.js';
import type { IdGenerator } from './ports/id-generator.js';
import type { NumberProvisioning, SuggestedNumber } from './ports/number-provisioning.js';
import type { ReadModelStore } from './ports/read-model-store.js';
import type { SmsTransport } from './ports/sms-transport.js';

/**
 * The answer of every command and query: run it with `()` to get an `Either`. A refusal or a failure is a
 * {@link MessageCenterError} on the left; the facade never throws.
 */
export type Result<A> = TE.TaskEither<MessageCenterError, A>;

/**
 * What {@link MessageCenter} is built from: only `store` is required. A numeric option out of its range is
 * a programming error: `createMessageCenter` throws a `RangeError` naming it, at start-up.
 */
export interface MessageCenterOptions {
  /** Where events live: `createInMemoryEventStore()` (the embedded default) or an adapter such as EventStoreDB. */
  readonly store: EventStore;
  /** Without one, outbound messages are recorded and stay `pending` until `dispatchPending` with a transport. */
  readonly transport?: SmsTransport;
  /**
   * Issue 13: the provider's account, which suggests numbers (`suggestNumbers`) and says which it holds for
   * two-way SMS: `enableMessageCenter` and `changeNumber` accept only those. Twilio's is
   * `createTwilioNumberProvisioning` (`@message-center/twilio`). Default: the embedded
   * `createInMemoryNumberProvisioning()`, an account in memory that holds no number yet (a business then
   * chooses one of its suggestions); give it the numbers an account already holds.
   */
  readonly numbers?: NumberProvisioning;
  /**
   * How long one hand-over to the transport may take (default 30 s; whole milliseconds from 1 to 2³¹−1).
   * Longer, or a transport that throws, is a failure with no answer: the message keeps its claim and goes
   * again once the claim expired (docs/outbox.md).
   */
  readonly transportTimeoutMs?: number;
  /**
   * How long a dispatcher's claim on an outbox message holds other dispatchers back (default 5 minutes;
   * whole milliseconds up to a day, and never less than twice `transportTimeoutMs`). A dispatcher that
   * crashed mid hand-over, or a hand-over that got no answer, leaves its claim; once it expired the message
   * is handed over again (docs/outbox.md).
   */
  readonly dispatchLeaseMs?: number;
  /** The time stamped on every command (default: the system clock). */
  readonly clock?: Clock;
  /** Message and event ids (default: random UUIDs). */
  readonly ids?: IdGenerator;
  /** Load → decide → append attempts per command when writers race (default 10; 1 to 1,000). */
  readonly maxAttempts?: number;
  /** What read models do with an event type this version does not know (default `'fail'`). */
  readonly unknownEvents?: UnknownEventPolicy;
  /** Upgrades of older stored event versions, applied as events are read. */
  readonly upcasters?: ReadonlyArray<Upcaster>;
  /**
   * Where inbox, unread badge and usage queries are answered (issue 15). Default: the in-memory read models,
   * caught up before each answer. A shared store (`pgReadModelStore` of `@message-center/postgres`) answers
   * as of the events its projection runner has applied. The facade still decodes and authorizes (B0) first.
   */
  readonly readModelStore?: ReadModelStore;
  /** Folded states kept per aggregate kind (least recently used evicted first; default 10,000). */
  readonly cachedStates?: number;
  /**
   * R7: called once per new alert (an inbound message in an unmuted conversation) as read models catch up,
   * for messages recorded after this facade was created (a restart does not push old alerts again).
   */
  readonly onAlert?: (alert: Alert) => void;
  /** Alerts kept per business for `alerts` (default 500). */
  readonly alertRetention?: number;
}

/** The answer to `sendMessage`. */
export interface SentMessage {
  readonly conversationId: ConversationId;
  readonly messageId: MessageId;
  /** `pending` without a transport, or when the transport asked to retry later. */
  readonly status: DeliveryStatus;
  /** Set when the client's number is from another country than the business's: replies may not arrive. */
  readonly international: InternationalNotice | null;
}

/** The answer to `receiveInbound`. */
export interface ReceivedMessage {
  readonly businessId: BusinessId;
  readonly conversationId: ConversationId;
  readonly messageId: MessageId;
  /** True when this provider message id had been recorded already (a redelivered webhook). */
  readonly duplicate: boolean;
  readonly subscription: SubscriptionStatus;
}

/** What one `dispatchPending` run did with the outbox. */
export interface DispatchReport {
  readonly dispatched: number;
  readonly failed: number;
  readonly retryLater: number;
}

/** The answer to `recordClient`: the cell phone as parsed (C2), or why it cannot receive SMS. */
export interface RecordedClient {
  readonly cellPhone: E164 | null;
  readonly phoneProblem: string | null;
}

/** The answer to `recordDeliveryStatus` (V10: statuses only move forward). */
export interface RecordedDeliveryStatus {
  readonly status: DeliveryStatus;
  readonly changed: boolean;
}

/**
 * The Message Center of one host service: commands that record what happens, queries that answer from the
 * read models. Made by `createMessageCenter`. Each method validates its input (`invalid-input` names every
 * faulty field) and returns a {@link Result}.
 */
export interface MessageCenter {
  /** B1: enables the Message Center for a business with its number, country and plan. */
  readonly enableMessageCenter: (input: EnableMessageCenterInput) => Result<{ readonly number: E164 }>;
  /** B2: moves the business to another number; messages to the old one are refused from then on. */
  readonly changeNumber: (input: ChangeNumberInput) => Result<{ readonly number: E164 }>;
  /**
   * Issue 13, seed 002: local numbers the business may choose from (its provider's account), recorded so
   * that `enableMessageCenter` and `changeNumber` accept them; a number the account already holds for
   * two-way SMS needs no suggestion. `country` defaults to the business's once it is enabled.
   */
  readonly suggestNumbers: (input: SuggestNumbersInput) => Result<ReadonlyArray<SuggestedNumber>>;
  /** B3: whether each staff member sees their own read/unread status. */
  readonly setIndividualReadStatus: (input: SetIndividualReadStatusInput) => Result<void>;
  /** B4: the plan's allotment per billing period and the overage policy. */
  readonly changePlan: (input: ChangePlanInput) => Result<void>;
  /** C1–C2: a client's profile as the host application has it. */
  readonly recordClient: (input: RecordClientInput) => Result<RecordedClient>;
  /** V1: staff or an automation texts a client (starting the conversation if there is none). */
  readonly sendMessage: (input: SendMessageInput) => Result<SentMessage>;
  /** V2–V3: an SMS from a client to the business number (idempotent per provider message id). */
  readonly receiveInbound: (input: ReceiveInboundInput) => Result<ReceivedMessage>;
  /** V10: a delivery status callback from the provider. */
  readonly recordDeliveryStatus: (input: RecordDeliveryStatusInput) => Result<RecordedDeliveryStatus>;
  /** V6–V7: the staff member opened the conversation. */
  readonly markRead: (input: StaffConversationActionInput) => Result<void>;
  /** V6: the conversation shows as new inbound again. */
  readonly markUnread: (input: StaffConversationActionInput) => Result<void>;
  /** V5 */
  readonly archive: (input: ConversationActionInput) => Result<void>;
  /** V5 */
  readonly unarchive: (input: ConversationActionInput) => Result<void>;
  /** V8: no alerts and no badge count for new inbound messages. */
  readonly mute: (input: ConversationActionInput) => Result<void>;
  /** V8 */
  readonly unmute: (input: ConversationActionInput) => Result<void>;
  /** V9: at the top of the unfiltered inbox. */
  readonly pin: (input: ConversationActionInput) => Result<void>;
  /** V9 */
  readonly unpin: (input: ConversationActionInput) => Result<void>;
  /** Hands every outbox entry that has not reached the transport yet to it (after a restart, or once a transport is configured). */
  readonly dispatchPending: () => Result<DispatchReport>;
  /** A conversation as one staff member sees it (V4–V9). */
  readonly conversation: (query: ConversationQueryInput) => Result<ConversationView>;
  /** R1–R3: one page of the inbox as a viewer sees it: a view, a search, filters, cursor paging. */
  readonly inbox: (query: InboxQueryInput) => Result<InboxPage>;
  /**
   * R2 (issue 13), the To: picker: every client of the business, with or without a conversation, by name
   * (word beginnings, accents and case ignored), phone in any formatting (whole or its last digits), e-mail,
   * UID or client id; exact matches first, then names, then partial matches; paged. Each says whether it
   * can be texted now and names its conversation if there is one.
   */
  readonly findClients: (query: FindClientsInput) => Result<FoundClientsPage>;
  /** R4: unread inbound messages for the viewer across conversations, muted ones excluded. */
  readonly unreadBadge: (query: BadgeQueryInput) => Result<number>;
  /** R7: the business's alerts after a cursor, oldest first. */
  readonly alerts: (query: AlertsQueryInput) => Result<AlertsPage>;
  /** R6 (B4): messages counted against the allotment in a billing period (default: the current one). */
  readonly usage: (query: UsageQueryInput) => Result<PeriodUsage>;
  /** R5: every message in and out with author and delivery status, and opt-out/opt-in changes; `asOf` a past moment. */
  readonly contactHistory: (query: ContactHistoryQueryInput) => Result<ContactHistoryView>;
  /** Keeps the read models current from a catch-up subscription (alerts then arrive without a query). */
  readonly startLive: (onError?: (error: MessageCenterError) => void) => void;
  readonly stopLive: () => Promise<void>;
  /** How many events of unknown types read models have passed over (with `unknownEvents: 'skip'`). */
  readonly skippedUnknownEvents: () => number;
}
