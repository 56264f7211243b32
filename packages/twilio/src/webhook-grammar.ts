import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { FormParams } from './signature.js';
import { MAX_MEDIA_PER_MESSAGE } from '@message-center/core';
import type { DeliveryStatusReport, InboundMedia, InboundSms, OptOutType } from './webhook-target.js';
import { fieldReader, type Checked, type FieldReader } from './webhook-fields.js';
import { inboundBoundaries, statusBoundaries } from './resplit-guard.js';

/**
 * The grammar of Twilio's two Messaging webhooks ("Receive an inbound SMS"; message status callbacks).
 * Every parameter the Message Center acts on must be exactly what Twilio sends: a request that is not is
 * refused (400) even when its signature is right, because Twilio's signature can be re-split (see
 * `resplit-guard.ts`) and only a strict grammar makes every re-split either malformed or the same message.
 * Parameters Twilio adds over time are tolerated and ignored, with the few exceptions `resplit-guard.ts`
 * explains.
 */

export const ACCOUNT_SID = /^AC[0-9a-f]{32}$/;
/** A Message resource: `SM…` for SMS, `MM…` for MMS. */
export const MESSAGE_SID = /^(SM|MM)[0-9a-f]{32}$/;
const E164 = /^\+[1-9][0-9]{1,14}$/;
const NUM_MEDIA = /^(0|[1-9][0-9]?)$/;
const API_VERSION = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const ERROR_CODE = /^(0|[1-9][0-9]{0,8})$/;
// Where Twilio keeps a message's media (also in a Twilio Region: api.dublin.ie1.twilio.com).
const MEDIA_URL = /^https:\/\/api(\.[a-z0-9-]+)*\.twilio\.com\/2010-04-01\/Accounts\/AC[0-9a-f]{32}\/Messages\/(SM|MM)[0-9a-f]{32}\/Media\/ME[0-9a-f]{32}$/;
// RFC 6838 type/subtype (restricted-name characters), without parameters.
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;
/** Twilio's parameter names: a letter, then letters and digits. */
const PARAMETER_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

const OPT_OUT_TYPES: ReadonlyArray<OptOutType> = ['STOP', 'START', 'HELP'];

/** `message_enum_status` of Twilio's API description (api v2010). */
export const MESSAGE_STATUSES: ReadonlyArray<string> = [
  'queued',
  'sending',
  'sent',
  'failed',
  'delivered',
  'undelivered',
  'receiving',
  'received',
  'accepted',
  'scheduled',
  'read',
  'partially_delivered',
  'canceled',
];

/** Everything an inbound webhook says about its message; `sms` (with its media) is what the Message Center records. */
export interface InboundWebhook {
  readonly sms: InboundSms;
  readonly accountSid: string;
}

export interface StatusWebhook {
  readonly report: DeliveryStatusReport;
  readonly accountSid: string;
}

export interface WebhookExpectations {
  /** The account the webhooks must be for; null accepts any well-formed `AccountSid`. */
  readonly accountSid: string | null;
}

const SID_SHAPE = 'a Twilio message sid (SM or MM and 32 hexadecimal digits)';

const messageSid = (r: FieldReader): string | null => {
  const sid = r.required('MessageSid', MESSAGE_SID, SID_SHAPE);
  // Deprecated copies of MessageSid that Twilio still sends.
  for (const copy of ['SmsSid', 'SmsMessageSid']) {
    const value = r.ifPresent(copy, MESSAGE_SID, SID_SHAPE);
    if (value !== null && sid !== null && value !== sid) r.refuse(`${copy} differs from MessageSid`);
  }
  return sid;
};

const accountSid = (r: FieldReader, expected: WebhookExpectations): string | null => {
  const sid = r.required('AccountSid', ACCOUNT_SID, 'an account sid (AC and 32 hexadecimal digits)');
  return sid === null || expected.accountSid === null || sid === expected.accountSid ? sid : r.refuse('AccountSid is not the configured account');
};

/** Optional parameters Twilio sends that the Message Center does not read, checked so that their value ends where Twilio ended it. */
const twilioExtras = (r: FieldReader): void => {
  r.ifPresent('ApiVersion', API_VERSION, 'a date');
  const addOns = r.optional('AddOns');
  if (addOns !== null && !isJsonObject(addOns)) r.refuse('AddOns is not a JSON object');
};

const isJsonObject = (text: string): boolean => {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
};

const MEDIA_NAME = /^Media(Url|ContentType)(0|[1-9][0-9]*)$/;

/**
 * `NumMedia` (0 to 10: Twilio delivers at most 10 media per message) and exactly that many
 * `MediaUrlN`/`MediaContentTypeN` (N = 0 … NumMedia − 1), nothing else named `Media…`.
 */
const media = (r: FieldReader): ReadonlyArray<InboundMedia> | null => {
  const raw = r.required('NumMedia', NUM_MEDIA, `an integer from 0 to ${MAX_MEDIA_PER_MESSAGE}`);
  if (raw === null) return null;
  const count = Number(raw);
  if (count > MAX_MEDIA_PER_MESSAGE) return r.refuse(`NumMedia is not an integer from 0 to ${MAX_MEDIA_PER_MESSAGE}`);
  for (const name of r.names) {
    if (name.startsWith('Media') && Number(MEDIA_NAME.exec(name)?.[2] ?? count) >= count) r.refuse(`${name.slice(0, 40)} is not expected (NumMedia is ${count})`);
  }
  const items: Array<InboundMedia> = [];
  for (let i = 0; i < count; i += 1) {
    const url = r.required(`MediaUrl${i}`, MEDIA_URL, 'a Twilio media URL');
    const contentType = r.required(`MediaContentType${i}`, MEDIA_TYPE, 'a media type');
    if (url !== null && contentType !== null) items.push({ url, contentType });
  }
  return items.length === count ? items : null;
};

const optOutType = (r: FieldReader): OptOutType | null => {
  const raw = r.optional('OptOutType');
  if (raw === null) return null;
  return OPT_OUT_TYPES.find((t) => t === raw) ?? r.refuse('OptOutType is not STOP, START or HELP');
};

/** Parameter names are checked first: with other names, the other problems would be noise. */
const reader = (params: FormParams): Checked<FieldReader> => {
  const r = fieldReader(params);
  return r.names.every((name) => PARAMETER_NAME.test(name)) ? E.right(r) : E.left(['a parameter name is not letters and digits']);
};

/** An inbound SMS or MMS webhook, or every reason it is not one Twilio sent. */
export const readInboundWebhook = (params: FormParams, expected: WebhookExpectations): Checked<InboundWebhook> => {
  const read = reader(params);
  if (E.isLeft(read)) return read;
  const r = read.right;
  const providerMessageId = messageSid(r);
  const account = accountSid(r, expected);
  const from = r.required('From', E164, 'an E.164 number');
  const to = r.required('To', E164, 'an E.164 number');
  const body = r.present('Body');
  const optOut = optOutType(r);
  const items = media(r);
  twilioExtras(r);
  if (r.problems.length > 0 || providerMessageId === null || account === null || from === null || to === null || body === null || items === null) {
    return E.left(r.problems);
  }
  return pipe(
    inboundBoundaries(params),
    E.map(() => ({ sms: { to, from, body, media: items, providerMessageId, optOutType: optOut }, accountSid: account })),
  );
};

/** A message status callback, or every reason it is not one Twilio sent. */
export const readStatusWebhook = (params: FormParams, expected: WebhookExpectations): Checked<StatusWebhook> => {
  const read = reader(params);
  if (E.isLeft(read)) return read;
  const r = read.right;
  const providerMessageId = messageSid(r);
  const account = accountSid(r, expected);
  const status = r.required('MessageStatus', /^[a-z_]+$/, 'a Twilio message status');
  if (status !== null && !MESSAGE_STATUSES.includes(status)) r.refuse('MessageStatus is not a Twilio message status');
  const errorCode = r.ifPresent('ErrorCode', ERROR_CODE, 'an integer');
  r.ifPresent('ApiVersion', API_VERSION, 'a date');
  if (r.problems.length > 0 || providerMessageId === null || account === null || status === null) return E.left(r.problems);
  return pipe(
    statusBoundaries(params),
    E.map(() => ({ report: { providerMessageId, status, errorCode: errorCode === null ? null : Number(errorCode) }, accountSid: account })),
  );
};
