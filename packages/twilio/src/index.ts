export {
  createTwilioTransport,
  DEFAULT_SEND_TIMEOUT_MS,
  type CreateMessageParams,
  type RetryEvent,
  type TwilioMessagesClient,
  type TwilioTransportOptions,
} from './transport.js';
export { DEFAULT_RETRY, type RetryOptions } from './retry.js';
export {
  computeTwilioSignature,
  formParamsFromRecord,
  isValidTwilioSignature,
  signedPayload,
  signedUrlCandidates,
  type FormParams,
} from './signature.js';
export type { DeliveryStatusReport, InboundMedia, InboundSms, OptOutType, TargetError, WebhookTarget } from './webhook-target.js';
export {
  createTwilioWebhookHandler,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_WEBHOOK_PATHS,
  DOMAIN_REFUSAL_CODES,
  EMPTY_TWIML,
  isDomainRefusal,
  type TwilioWebhookHandler,
  type TwilioWebhookOptions,
  type WebhookFailure,
  type WebhookRefusal,
  type WebhookRequestContext,
  type WebhookRoute,
  type WebhookUnauthorized,
} from './webhook.js';
export { toNodeListener, type NodeListenerOptions } from './node-http.js';
export {
  createTwilioProvisioning,
  PROVISIONING_COUNTRIES,
  type AvailableNumber,
  type AvailableNumberResource,
  type BuyNumberInput,
  type BuyParams,
  type HeldNumber,
  type HeldNumberListParams,
  type IncomingNumberResource,
  type LocalSearchParams,
  type NumberCapabilities,
  type ProvisioningCountry,
  type ProvisioningError,
  type ProviderFailure,
  type PurchasedNumber,
  type SearchLocalNumbersOptions,
  type TwilioNumbersClient,
  type TwilioProvisioning,
  type TwilioProvisioningOptions,
} from './provisioning.js';
export {
  createTwilioNumberProvisioning,
  DEFAULT_PROVISIONING_TIMEOUT_MS,
  type TwilioNumberProvisioningOptions,
} from './number-provisioning.js';
