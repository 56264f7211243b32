/**
 * The TransportErrors the Twilio adapter gives for Twilio's answers (packages/twilio/src/transport.ts
 * maps them; messages follow https://www.twilio.com/docs/api/errors/{code}), so a fake transport fails
 * the way the real one does.
 */
import type { TransportError } from '@message-center/core';

/** 21610 "Attempt to send to unsubscribed recipient": the phone texted STOP to this sender. */
export const recipientUnsubscribed: TransportError = {
  code: 'recipient-unsubscribed',
  message: 'Twilio answered HTTP 400 with error 21610: Attempt to send to unsubscribed recipient',
  providerCode: 21610,
};

/** 21211 "Invalid 'To' Phone Number": final. */
export const invalidToNumber: TransportError = {
  code: 'invalid-number',
  message: "Twilio answered HTTP 400 with error 21211: Invalid 'To' Phone Number",
  providerCode: 21211,
};

/** 20429 "Too Many Requests": retryable (the adapter has already retried with backoff). */
export const rateLimited: TransportError = {
  code: 'retryable',
  message: 'Twilio answered HTTP 429 with error 20429: Too Many Requests (after 3 attempts)',
  providerCode: 20429,
  status: 429,
};

/** A 503 from Twilio: retryable. */
export const serviceUnavailable: TransportError = {
  code: 'retryable',
  message: 'Twilio answered HTTP 503: Service Unavailable (after 3 attempts)',
  providerCode: null,
  status: 503,
};
