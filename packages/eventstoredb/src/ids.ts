import { randomUUID } from 'node:crypto';
import type { IdGenerator } from '@message-center/core';
import { v5 as uuidv5 } from 'uuid';
import { MESSAGE_CENTER_EVENT_ID_NAMESPACE } from './event-ids.js';

/**
 * The `IdGenerator` to use with this adapter: random UUIDs (v4) for new ids, and for keyed commands a
 * UUIDv5 of the key (`inbound:{businessId}:{providerMessageId}/0`, …) in our fixed namespace. Two
 * deliveries of one webhook decided on the same state then append the same event ids at the same expected
 * revision, and EventStoreDB acknowledges the second without writing it (idempotent append) instead of
 * answering a conflict; the domain's own dedup of provider ids covers every other replay. The command
 * handler's keys (`inbound:…/n`, `outbound:…/n`) cannot equal what `eventIdForProviderMessage` hashes
 * (a provider id such as Twilio's `SM…`, or a JSON pair), so the two never derive the same id.
 */
export const deterministicIds: IdGenerator = {
  uuid: () => randomUUID(),
  uuidFromKey: (key) => uuidv5(key, MESSAGE_CENTER_EVENT_ID_NAMESPACE),
};
