import type { DomainErrorCode } from '@message-center/core';
import type { TargetError } from './webhook-target.js';

// Every core `DomainError` code. They are final: were Twilio to retry the webhook, it would be refused the
// same way. Any other code (store unavailable, concurrency conflict after retries, an event that cannot
// be decoded, or a code this list does not know) is answered 500, so an inbound SMS is never dropped by
// mistake.
const REFUSALS = [
  'invalid-input',
  'forbidden',
  'country-not-supported',
  'number-country-not-allowed',
  'number-in-use',
  'number-not-offered',
  'invalid-phone-number',
  'message-center-not-enabled',
  'message-center-already-enabled',
  'number-retired',
  'unknown-number',
  'client-not-found',
  'client-has-no-valid-cell-phone',
  'empty-body',
  'body-too-long',
  'client-unsubscribed',
  'allotment-exhausted',
  'conversation-not-found',
  'message-not-found',
] as const satisfies ReadonlyArray<DomainErrorCode>;

// Does not compile when the core adds a DomainError code this list lacks.
type AllListed<Unlisted extends never> = Unlisted;
export type EveryDomainErrorIsARefusal = AllListed<Exclude<DomainErrorCode, (typeof REFUSALS)[number]>>;

/** The domain refusals (answered 200, reported to `onRejected`): the core's `DomainError` codes. */
export const DOMAIN_REFUSAL_CODES: ReadonlySet<string> = new Set<string>(REFUSALS);

export const isDomainRefusal = (error: TargetError): boolean => DOMAIN_REFUSAL_CODES.has(error.code);
