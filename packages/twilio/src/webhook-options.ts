/** What a webhook handler is configured with, and what its hooks report: the same for every transport. */
import type { TargetError, WebhookTarget } from './webhook-target.js';

export type WebhookRoute = 'inbound' | 'status';

export interface WebhookRefusal {
  readonly route: WebhookRoute;
  readonly providerMessageId: string;
  readonly error: TargetError;
}

export interface WebhookFailure {
  readonly route: WebhookRoute;
  readonly providerMessageId: string;
  /** A `TargetError` the handler does not know as a domain refusal, or whatever the target threw. */
  readonly error: unknown;
}

export interface WebhookUnauthorized {
  readonly route: WebhookRoute;
  readonly reason: 'missing-signature' | 'bad-signature';
  /** The URL the signature was checked against: compare it with the URL configured at Twilio. */
  readonly signedUrl: string;
}

export interface TwilioWebhookOptions {
  readonly authToken: string;
  readonly target: WebhookTarget;
  /**
   * The account the webhooks must be for (`AC…`): a webhook with another `AccountSid` is answered 400.
   * Absent: any well-formed `AccountSid` is accepted; the signature already ties the request to the
   * account whose auth token signed it, so this is a second check, against a mixed-up configuration.
   */
  readonly accountSid?: string;
  /**
   * Scheme, host (and port) and any path prefix under which Twilio reaches this server, e.g.
   * `https://sms.example.com`. Twilio signs the URL it calls, so behind a proxy or load balancer this must
   * be the public URL; the signed URL is `publicUrl` + request path + query. Absent: the request's own origin.
   */
  readonly publicUrl?: string;
  /** Request paths of the two webhooks. Defaults: `/twilio/sms` and `/twilio/status`. */
  readonly paths?: { readonly inbound?: string; readonly status?: string };
  /** Largest accepted body in bytes (default 64 KiB); larger ones are answered 413 without reading on. */
  readonly maxBodyBytes?: number;
  /**
   * Whether an error of the target is a domain refusal (answered 200 so Twilio does not retry it) rather
   * than an infrastructure failure (answered 500 so Twilio retries). Default: `isDomainRefusal`.
   */
  readonly isRefusal?: (error: TargetError) => boolean;
  /** A refused inbound SMS or status (e.g. `number-retired`, `unknown-number`), answered 200. */
  readonly onRejected?: (event: WebhookRefusal) => void;
  /** A failure answered 500. */
  readonly onError?: (event: WebhookFailure) => void;
  /** A request answered 403. */
  readonly onUnauthorized?: (event: WebhookUnauthorized) => void;
}

export const DEFAULT_WEBHOOK_PATHS = { inbound: '/twilio/sms', status: '/twilio/status' } as const;
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
