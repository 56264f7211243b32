import { fc } from '@fast-check/vitest';
import { loadOpenApi } from './openapi.js';
import { ACCOUNT_SID, type Params } from './webhook-http.js';

/**
 * Webhooks as Twilio sends them (the parameters of "Receive an inbound SMS" and of message status
 * callbacks, with the optional ones Twilio adds when it knows them), for property tests. Bodies mix
 * ordinary text with pieces of the signed string itself (`Body`, `From+1…`, `NumMedia0`, `OptOutTypeSTOP`,
 * …), since those are what a re-split of a genuine request could turn into parameters.
 */

export const hex = (n: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
export const messageSid = fc.tuple(fc.constantFrom('SM', 'MM'), hex(32)).map(([p, h]) => p + h);
export const e164 = fc.oneof(
  fc.integer({ min: 2_000_000_000, max: 9_999_999_999 }).map((n) => `+1${n}`),
  fc.integer({ min: 1_000_000_000, max: 9_999_999_999 }).map((n) => `+44${n}`),
  fc.integer({ min: 200_000_000, max: 499_999_999 }).map((n) => `+61${n}`),
);

const sid = (prefix: string): fc.Arbitrary<string> => hex(32).map((h) => prefix + h);

/** Pieces of a signed Twilio string that a body could contain. */
const signedLookalikes: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('Body', 'From', 'To', 'NumMedia0', 'NumMedia1', 'OptOutTypeSTOP', 'OptOutType', 'ApiVersion2010-04-01', 'SmsStatusreceived'),
  fc.constantFrom('MediaUrl0', 'MediaContentType0image/png', 'FromCityBOSTON', 'ToZip02110', 'Eight', 'Call', 'AT', 'ZZ', 'zz', 'STOP', 'A'),
  e164.map((n) => `From${n}`),
  e164.map((n) => `To${n}`),
  messageSid.map((s) => `MessageSid${s}`),
  sid('AC').map((s) => `AccountSid${s}`),
);

const words: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('Hi', 'See you at', 'Can I move my appointment?', 'Thanks!', '50% off + more', 'a&b=c', ' ', 'é ✓ 😀', ''),
  fc.string({ maxLength: 12 }),
);

export const body: fc.Arbitrary<string> = fc
  .array(fc.oneof({ weight: 2, arbitrary: words }, { weight: 3, arbitrary: signedLookalikes }), { maxLength: 6 })
  .map((parts) => parts.join(''));

const contentType = fc.constantFrom('image/jpeg', 'image/png', 'image/gif', 'video/mp4', 'text/vcard', 'application/pdf', 'audio/amr', 'image/svg+xml');

interface Geo {
  readonly city: string;
  readonly state: string;
  readonly zip: string;
  readonly country: string;
}
const geo: fc.Arbitrary<Geo | null> = fc.option(
  fc.constantFrom<Geo>(
    { city: 'SAN FRANCISCO', state: 'CA', zip: '94105', country: 'US' },
    { city: 'BOSTON', state: 'MA', zip: '02110', country: 'US' },
    { city: '', state: 'ON', zip: '', country: 'CA' },
    { city: 'LONDON', state: '', zip: 'SW1A', country: 'GB' },
  ),
  { nil: null },
);

const geoParams = (side: 'From' | 'To', g: Geo | null): Params =>
  g === null
    ? []
    : [
        [`${side}City`, g.city],
        [`${side}State`, g.state],
        [`${side}Zip`, g.zip],
        [`${side}Country`, g.country],
      ];

export interface InboundCase {
  readonly params: Params;
  readonly sid: string;
  readonly from: string;
  readonly to: string;
  readonly body: string;
  readonly optOutType: 'STOP' | 'START' | 'HELP' | null;
  readonly media: ReadonlyArray<{ readonly url: string; readonly contentType: string }>;
}

/** An inbound SMS or MMS webhook with the parameters Twilio sends (in Twilio's order, which is not the signed order). */
export const inboundWebhook: fc.Arbitrary<InboundCase> = fc
  .record({
    sid: messageSid,
    from: e164,
    to: e164,
    body,
    optOutType: fc.option(fc.constantFrom('STOP' as const, 'START' as const, 'HELP' as const), { nil: null }),
    media: fc.array(fc.tuple(sid('ME'), contentType), { maxLength: 3 }),
    fromGeo: geo,
    toGeo: geo,
    service: fc.option(sid('MG'), { nil: null }),
    segments: fc.integer({ min: 1, max: 10 }),
    referral: fc.boolean(),
    apiVersion: fc.boolean(),
    // Deprecated copies of MessageSid, which Twilio may stop sending.
    copies: fc.boolean(),
  })
  .map((m): InboundCase => {
    const media = m.media.map(([mediaSid, type]) => ({
      url: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${m.sid}/Media/${mediaSid}`,
      contentType: type,
    }));
    const params: Params = [
      ...geoParams('To', m.toGeo),
      ...(m.copies ? [['SmsMessageSid', m.sid] as const] : []),
      ['NumMedia', String(media.length)],
      ...media.flatMap((x, i): Params => [
        [`MediaContentType${i}`, x.contentType],
        [`MediaUrl${i}`, x.url],
      ]),
      ...(m.referral ? [['ReferralNumMedia', '0'] as const] : []),
      ...(m.copies ? [['SmsSid', m.sid] as const] : []),
      ['SmsStatus', 'received'],
      ['Body', m.body],
      ['To', m.to],
      ...(m.service === null ? [] : [['MessagingServiceSid', m.service] as const]),
      ...(m.optOutType === null ? [] : [['OptOutType', m.optOutType] as const]),
      ['NumSegments', String(m.segments)],
      ['MessageSid', m.sid],
      ['AccountSid', ACCOUNT_SID],
      ['From', m.from],
      ...geoParams('From', m.fromGeo),
      ...(m.apiVersion ? [['ApiVersion', '2010-04-01'] as const] : []),
    ];
    return { params, sid: m.sid, from: m.from, to: m.to, body: m.body, optOutType: m.optOutType, media };
  });

/** Twilio's message statuses as its API description lists them, not as the adapter's grammar does. */
export const MESSAGE_STATUSES = loadOpenApi().enumOf('message_enum_status');

export interface StatusCase {
  readonly params: Params;
  readonly sid: string;
  readonly status: string;
  readonly errorCode: number | null;
}

/** A message status callback with the parameters Twilio sends. */
export const statusWebhook: fc.Arbitrary<StatusCase> = fc
  .record({
    sid: messageSid,
    status: fc.constantFrom(...MESSAGE_STATUSES),
    errorCode: fc.option(fc.constantFrom(30001, 30003, 30005, 30006, 30007, 21610, 30034), { nil: null }),
    to: e164,
    from: fc.oneof(e164, fc.constant('SalonAda')),
    service: fc.option(sid('MG'), { nil: null }),
    dlr: fc.option(fc.constantFrom('2401151230', '2312312359'), { nil: null }),
    channel: fc.boolean(),
    copies: fc.boolean(),
  })
  .map((m): StatusCase => ({
    sid: m.sid,
    status: m.status,
    errorCode: m.errorCode,
    params: [
      ...(m.copies ? [['SmsSid', m.sid] as const] : []),
      ['SmsStatus', m.status],
      ['MessageStatus', m.status],
      ['To', m.to],
      ...(m.service === null ? [] : [['MessagingServiceSid', m.service] as const]),
      ['MessageSid', m.sid],
      ['AccountSid', ACCOUNT_SID],
      ['From', m.from],
      ['ApiVersion', '2010-04-01'],
      ...(m.errorCode === null ? [] : [['ErrorCode', String(m.errorCode)] as const]),
      ...(m.dlr === null ? [] : [['RawDlrDoneDate', m.dlr] as const]),
      ...(m.channel ? ([['ChannelToAddress', m.to.slice(0, -4) + 'XXXX'], ['ChannelPrefix', 'sms']] as const) : []),
    ],
  }));
