import type { DomainError } from '../domain/errors.js';
import type { EventDecodeError } from './event-codec.js';
import type { StoreError } from './ports/event-store.js';
import type { ProvisioningError } from './ports/number-provisioning.js';

/**
 * Everything the public API can answer with on the left: a domain refusal, a stored event that cannot be
 * read, a store failure (including a `concurrency-conflict` that outlived its retries), a failure of the
 * number provider (`provisioning-unavailable`, `provisioning-refused`), an event in a
 * stream it does not belong to, a read-model store that could not answer (`read-model-unavailable`), or a defect. All carry `code` and a human `message`; none carries a
 * secret. A transport failure is never an answer: the outbox records it on the message (`failed`, V10) or
 * keeps the message `pending` for a later `dispatchPending`.
 */
export type MessageCenterError = DomainError | EventDecodeError | StoreError | ProvisioningError | StreamOwnerMismatch | ReadModelUnavailable | InternalError;

/** A read-model store given to the facade (`readModelStore`) could not answer, e.g. its database is down; no secret in the message. */
export interface ReadModelUnavailable {
  readonly code: 'read-model-unavailable';
  readonly message: string;
}

/** A defect of this library caught at the facade, so that a caller gets an answer instead of an exception. */
export interface InternalError {
  readonly code: 'internal-error';
  readonly message: string;
}

/** Names the kind of failure only: a thrown message may carry anything, secrets included. */
export const internalError = (cause: unknown): InternalError => ({
  code: 'internal-error',
  message: `an unexpected ${cause instanceof Error ? cause.name : typeof cause} was thrown inside the Message Center`,
});

/**
 * A stored event whose own ids name another business, client or conversation than the stream asked for
 * (DESIGN §2 Streams, defence in depth): nothing was read into an answer and nothing was appended. Names the
 * stream and revision for an operator, never the ids the foreign event holds.
 */
export interface StreamOwnerMismatch {
  readonly code: 'stream-owner-mismatch';
  readonly message: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly type: string;
}

export type MessageCenterErrorCode = MessageCenterError['code'];
