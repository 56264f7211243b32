import { v5 as uuidv5 } from 'uuid';

/**
 * Our own UUIDv5 namespace (RFC 9562 §5.5). Never change it: every deterministic event id already
 * written was derived from it, and a new namespace would make redelivered webhooks look new.
 */
export const MESSAGE_CENTER_EVENT_ID_NAMESPACE = '487a6e52-d0dd-4a25-bb4b-1cee800fb0ff';

/**
 * The event id for an event caused by a provider message (a Twilio `MessageSid`): the same message
 * delivered twice gives the same id, so EventStoreDB's idempotent append also drops the redelivery.
 * Pass the event type when one provider message yields several events (e.g. an inbound STOP gives
 * `InboundReceived` and `ClientUnsubscribed`), since ids must differ within a stream.
 */
export const eventIdForProviderMessage = (providerMessageId: string, eventType?: string): string =>
  // A JSON pair never equals a bare id, so the two forms cannot collide.
  uuidv5(eventType === undefined ? providerMessageId : JSON.stringify([providerMessageId, eventType]), MESSAGE_CENTER_EVENT_ID_NAMESPACE);
