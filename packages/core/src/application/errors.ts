import type { DomainError } from '../domain/errors.js';
import type { EventDecodeError } from './event-codec.js';
import type { StoreError } from './ports/event-store.js';
import type { TransportError } from './ports/sms-transport.js';

/**
 * Everything the public API can answer with on the left: a domain refusal, a stored event that cannot be
 * read, a store failure (including a `concurrency-conflict` that outlived its retries), or a transport
 * failure. All carry `code` and a human `message`; none carries a secret.
 */
export type MessageCenterError =
  | DomainError
  | EventDecodeError
  | StoreError
  | ({ readonly kind: 'transport' } & TransportError);

export type MessageCenterErrorCode = MessageCenterError['code'];
