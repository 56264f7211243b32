/**
 * "Text as a client" without a phone: builds the form Twilio would post for an inbound SMS/MMS or a
 * status callback, signs it with the account's auth token, and posts it to this server's own webhook,
 * so it goes through the same handler, checks and refusals as a real number's traffic.
 */
import { randomBytes } from 'node:crypto';
import { computeTwilioSignature, type FormParams } from '@message-center/twilio';

export interface SimulatorOptions {
  readonly accountSid: string;
  readonly authToken: string;
  /** The URL the webhook handler checks signatures against (its `publicUrl`). */
  readonly publicUrl: string;
  /** Where this server listens, to post to. */
  readonly localUrl: string;
  /** The salon's number: the To of every inbound message. */
  readonly businessNumber: () => string;
}

export interface InboundText {
  readonly from: string;
  readonly body: string;
  /** Number of pictures to attach (an MMS); the demo's media URLs have Twilio's form. */
  readonly pictures: number;
}

export interface StatusCallback {
  readonly providerMessageId: string;
  readonly status: string;
  readonly errorCode: number | null;
}

/** What the webhook answered: its HTTP status and body (TwiML, or the reason for a refusal). */
export interface WebhookAnswer {
  readonly status: number;
  readonly body: string;
  readonly providerMessageId: string;
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/**
 * Twilio sends From in E.164; a number typed in the panel is written that way first ("+1 202 555 0170",
 * "(202) 555-0170" for a US number). Anything else is posted as typed, and the webhook refuses it.
 */
export const asTwilioSendsIt = (typed: string): string => {
  const digits = typed.replace(/[\s().-]/g, '');
  if (/^\+[1-9][0-9]{6,14}$/.test(digits)) return digits;
  if (/^[2-9][0-9]{9}$/.test(digits)) return `+1${digits}`;
  return typed;
};

export interface ClientSimulator {
  readonly text: (message: InboundText) => Promise<WebhookAnswer>;
  readonly reportStatus: (callback: StatusCallback) => Promise<WebhookAnswer>;
}

export const createClientSimulator = (options: SimulatorOptions): ClientSimulator => {
  const post = async (path: string, params: FormParams, providerMessageId: string): Promise<WebhookAnswer> => {
    const signature = computeTwilioSignature(options.authToken, options.publicUrl + path, params);
    const response = await fetch(options.localUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params.map(([k, v]): [string, string] => [k, v])).toString(),
    });
    return { status: response.status, body: await response.text(), providerMessageId };
  };

  return {
    text: ({ from, body, pictures }) => {
      const sid = `${pictures > 0 ? 'MM' : 'SM'}${hex(16)}`;
      const media: Array<readonly [string, string]> = [];
      for (let i = 0; i < pictures; i += 1) {
        media.push([`MediaUrl${i}`, `https://api.twilio.com/2010-04-01/Accounts/${options.accountSid}/Messages/${sid}/Media/ME${hex(16)}`]);
        media.push([`MediaContentType${i}`, 'image/jpeg']);
      }
      const params: FormParams = [
        ['MessageSid', sid],
        ['SmsSid', sid],
        ['AccountSid', options.accountSid],
        ['From', asTwilioSendsIt(from)],
        ['To', options.businessNumber()],
        ['Body', body],
        ['NumMedia', String(pictures)],
        ...media,
        ['ApiVersion', '2010-04-01'],
      ];
      return post('/twilio/sms', params, sid);
    },
    reportStatus: ({ providerMessageId, status, errorCode }) =>
      post(
        '/twilio/status',
        [
          ['MessageSid', providerMessageId],
          ['AccountSid', options.accountSid],
          ['MessageStatus', status],
          ...(errorCode === null ? [] : [['ErrorCode', String(errorCode)] as const]),
          ['ApiVersion', '2010-04-01'],
        ],
        providerMessageId,
      ),
  };
};
