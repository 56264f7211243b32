import { describe, expect, it } from 'vitest';
import { createTwilioWebhookHandler, type TwilioWebhookOptions } from '../src/index.js';
import { ACCOUNT_SID, fakeTarget, inboundParams, postSigned, statusParams, TOKEN, type Params } from './support/webhook-http.js';

/**
 * Issue 11, "Twilio webhook grammar": a webhook is read only when it is what Twilio sends. Malformed → 400
 * with a message that names the problem and quotes no value; nothing reaches the Message Center.
 */

const PUBLIC = 'https://sms.example.com';
const SID = 'SM0123456789abcdef0123456789abcdef';
const MMS_SID = 'MM0123456789abcdef0123456789abcdef';
const OTHER_ACCOUNT = 'ACffffffffffffffffffffffffffffffff';
const BODY = 'Private words 1234';
const mediaUrl = (sid: string, n: number) => `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}/Media/ME${String(n).padStart(32, '0')}`;

const inbound = (over: Partial<Parameters<typeof inboundParams>[0]> = {}): Params =>
  inboundParams({ sid: SID, from: '+14155552671', to: '+14155550100', body: BODY, ...over });
const status = (over: Partial<Parameters<typeof statusParams>[0]> = {}): Params => statusParams({ sid: SID, status: 'delivered', ...over });

const set = (params: Params, name: string, value: string): Params =>
  params.some(([n]) => n === name) ? params.map(([n, v]) => [n, n === name ? value : v] as const) : [...params, [name, value]];
const without = (params: Params, ...names: ReadonlyArray<string>): Params => params.filter(([n]) => !names.includes(n));
const withMedia = (params: Params, sid: string, media: ReadonlyArray<readonly [string, string]>): Params => [
  ...set(params, 'NumMedia', String(media.length)),
  ...media.flatMap(([type, url], i): Params => [
    [`MediaContentType${i}`, type],
    [`MediaUrl${i}`, url],
  ]),
];

type Options = Partial<TwilioWebhookOptions> & { readonly account?: 'configured' | 'none' };

const harness = ({ account = 'configured', ...options }: Options = {}) => {
  const fake = fakeTarget();
  const handler = createTwilioWebhookHandler({
    authToken: TOKEN,
    target: fake.target,
    publicUrl: PUBLIC,
    ...(account === 'configured' ? { accountSid: ACCOUNT_SID } : {}),
    ...options,
  });
  const post = (route: 'sms' | 'status', params: Params) => postSigned(handler, `${PUBLIC}/twilio/${route}`, params);
  return { fake, post };
};

/** A 400 that names `problem`, quotes none of the request's values and leaves the target untouched. */
const expectRefused = async (route: 'sms' | 'status', params: Params, problem: RegExp, options: Options = {}) => {
  const { fake, post } = harness(options);
  const answer = await post(route, params);
  expect(answer.status, answer.text).toBe(400);
  expect(answer.text).toMatch(problem);
  for (const [, value] of params) if (value.length >= 4) expect(answer.text).not.toContain(value);
  expect(answer.text).not.toContain(TOKEN);
  expect(fake.inboundCalls.length + fake.statusCalls.length).toBe(0);
};

describe('inbound SMS grammar', () => {
  it('V2 reads a genuine SMS and a genuine MMS, and passes the MMS media on in order (issue 13)', async () => {
    const { fake, post } = harness();
    expect((await post('sms', inbound())).status).toBe(200);
    const mms = withMedia(inbound({ sid: MMS_SID, body: '' }), MMS_SID, [
      ['image/jpeg', mediaUrl(MMS_SID, 1)],
      ['image/png', mediaUrl(MMS_SID, 2)],
    ]);
    expect((await post('sms', mms)).status).toBe(200);
    expect(fake.inboundCalls.map((c) => [c.providerMessageId, c.body, c.media])).toEqual([
      [SID, BODY, []],
      [
        MMS_SID,
        '',
        [
          { url: mediaUrl(MMS_SID, 1), contentType: 'image/jpeg' },
          { url: mediaUrl(MMS_SID, 2), contentType: 'image/png' },
        ],
      ],
    ]);
  });

  it('V2 reads 10 media, Twilio’s most, and refuses 11 even when all 11 are there', async () => {
    const files = (n: number) => Array.from({ length: n }, (_, i): readonly [string, string] => ['image/jpeg', mediaUrl(MMS_SID, i)]);
    const { fake, post } = harness();
    expect((await post('sms', withMedia(inbound({ sid: MMS_SID }), MMS_SID, files(10)))).status).toBe(200);
    expect(fake.inboundCalls[0]?.media.map((m) => m.url)).toEqual(files(10).map(([, url]) => url));
    await expectRefused('sms', withMedia(inbound({ sid: MMS_SID }), MMS_SID, files(11)), /NumMedia is not an integer from 0 to 10/);
  });

  it.each([
    ['SM with 31 hex digits', `SM${'a'.repeat(31)}`],
    ['SM with 33 hex digits', `SM${'a'.repeat(33)}`],
    ['upper-case hex', `SM${'A'.repeat(32)}`],
    ['another prefix', `MG${'a'.repeat(32)}`],
    ['trailing text', `${SID}NumMedia0`],
  ])('refuses a MessageSid that is not SM/MM and 32 hex digits: %s', async (_, sid) => {
    await expectRefused('sms', set(inbound(), 'MessageSid', sid), /MessageSid is not a Twilio message sid/);
  });

  it('refuses SmsSid or SmsMessageSid that are malformed or differ from MessageSid', async () => {
    await expectRefused('sms', set(inbound(), 'SmsSid', `SM${'b'.repeat(32)}`), /SmsSid differs from MessageSid/);
    await expectRefused('sms', set(inbound(), 'SmsMessageSid', 'SMxyz'), /SmsMessageSid is not a Twilio message sid/);
  });

  it.each(['MessageSid', 'AccountSid', 'From', 'To', 'Body', 'NumMedia'])('refuses an inbound SMS without %s', async (name) => {
    await expectRefused('sms', without(inbound(), name), new RegExp(`${name} is missing`));
  });

  it('refuses an AccountSid that is malformed, or not the configured account', async () => {
    await expectRefused('sms', set(inbound(), 'AccountSid', 'AC123'), /AccountSid is not an account sid/);
    await expectRefused('sms', set(inbound(), 'AccountSid', OTHER_ACCOUNT), /AccountSid is not the configured account/);
    await expectRefused('status', set(status(), 'AccountSid', OTHER_ACCOUNT), /AccountSid is not the configured account/);
  });

  it('without a configured accountSid, accepts any well-formed AccountSid', async () => {
    const { fake, post } = harness({ account: 'none' });
    expect((await post('sms', set(inbound(), 'AccountSid', OTHER_ACCOUNT))).status).toBe(200);
    expect(fake.inboundCalls).toHaveLength(1);
    await expectRefused('sms', set(inbound(), 'AccountSid', 'ACnope'), /AccountSid is not an account sid/, { account: 'none' });
  });

  it('refuses a malformed accountSid option at construction', () => {
    expect(() => createTwilioWebhookHandler({ authToken: TOKEN, target: fakeTarget().target, accountSid: 'AC1' })).toThrow(RangeError);
  });

  it.each(['4155552671', '+0155552671', '+1 415 555 2671', '+1415555267100000', 'whatsapp:+14155552671', '+'])('refuses From and To that are not E.164: %s', async (n) => {
    await expectRefused('sms', set(inbound(), 'From', n), /From is not an E\.164 number/);
    await expectRefused('sms', set(inbound(), 'To', n), /To is not an E\.164 number/);
  });

  it.each(['one', '-1', '01', '1.0', ' 1', '11', '99', '100', '1 '])('V2 refuses a NumMedia that is not an integer from 0 to 10: %j', async (n) => {
    await expectRefused('sms', set(inbound(), 'NumMedia', n), /NumMedia is not an integer from 0 to 10/);
  });

  it('V2 refuses media that does not match NumMedia exactly, and values that are no Twilio media URL or media type', async () => {
    const one = withMedia(inbound({ sid: MMS_SID }), MMS_SID, [['image/jpeg', mediaUrl(MMS_SID, 1)]]);
    await expectRefused('sms', set(one, 'NumMedia', '2'), /MediaUrl1 is missing/);
    await expectRefused('sms', set(one, 'NumMedia', '0'), /MediaUrl0 is not expected/);
    await expectRefused('sms', without(one, 'MediaContentType0'), /MediaContentType0 is missing/);
    await expectRefused('sms', [...one, ['MediaUrl01', mediaUrl(MMS_SID, 2)]], /MediaUrl01 is not expected/);
    await expectRefused('sms', set(one, 'MediaUrl0', 'https://evil.example.com/x.jpg'), /MediaUrl0 is not a Twilio media URL/);
    await expectRefused('sms', set(one, 'MediaContentType0', 'image/jpeg/extra'), /MediaContentType0 is not a media type/);
    await expectRefused('sms', set(one, 'MediaUrl0', 'not a url'), /MediaUrl0 is not a Twilio media URL/);
    await expectRefused('sms', set(one, 'MediaUrl0', mediaUrl(MMS_SID, 1).replace('https:', 'http:')), /MediaUrl0 is not a Twilio media URL/);
    await expectRefused('sms', set(one, 'MediaUrl0', ''), /MediaUrl0 is missing/);
    await expectRefused('sms', set(set(one, 'NumMedia', '3'), 'MediaContentType0', ''), /MediaContentType0 is missing; MediaUrl1 is missing/);
  });

  it.each(['stop', 'SOMETHING-NEW', 'STOP '])('refuses an OptOutType that is not STOP, START or HELP: %j', async (value) => {
    await expectRefused('sms', set(inbound(), 'OptOutType', value), /OptOutType is not STOP, START or HELP/);
  });

  it('refuses a repeated parameter and a name that is not letters and digits', async () => {
    await expectRefused('sms', [...inbound(), ['To', '+14155550199']], /To appears 2 times/);
    await expectRefused('sms', [...inbound(), ['X-Extra', '1']], /a parameter name is not letters and digits/);
  });

  it('tolerates parameters it does not know, and they change nothing', async () => {
    const { fake, post } = harness();
    const extra = [...inbound(), ['SomethingNew', 'value'], ['ZetaField', 'a b c'], ['Aaa', '1'], ['AddOns', '{"status":"successful"}']] as const;
    expect((await post('sms', extra)).status).toBe(200);
    expect((await post('sms', inbound())).status).toBe(200);
    expect(fake.inboundCalls[0]).toEqual(fake.inboundCalls[1]);
  });

  // The price of a body no re-split can move (see src/resplit-guard.ts).
  it.each([
    ['sorts right before Body', ['Attachments', 'x'], /sorts right before Body/],
    ['sorts between Body and From', ['ButtonText', 'Yes'], /sorts between Body and From/],
    ['spells From+ after Body', ['ZetaField', 'From+19998887777'], /spell From\+ more than once after Body/],
    ['spells OptOutType', ['ZetaField', 'xOptOutTypeSTOP'], /OptOutType appears inside another parameter/],
  ] as const)('refuses an unknown parameter that %s', async (_, pair, problem) => {
    await expectRefused('sms', [...inbound(), pair], problem);
  });
});

describe('status callback grammar', () => {
  it('reads every status of Twilio message status enum', async () => {
    const { fake, post } = harness();
    const statuses = ['queued', 'sending', 'sent', 'failed', 'delivered', 'undelivered', 'receiving', 'received', 'accepted', 'scheduled', 'read', 'partially_delivered', 'canceled'];
    for (const s of statuses) expect((await post('status', status({ status: s }))).status).toBe(200);
    expect(fake.statusCalls.map((c) => c.status)).toEqual(statuses);
  });

  it.each(['DELIVERED', 'done', ' delivered', ''])('refuses a MessageStatus outside the enum: %j', async (s) => {
    await expectRefused('status', set(status(), 'MessageStatus', s), s === '' ? /MessageStatus is missing/ : /MessageStatus is not a Twilio message status/);
  });

  it.each(['abc', '30003.5', '-1', '', '0x10'])('refuses an ErrorCode that is not an integer: %j', async (code) => {
    await expectRefused('status', set(status({ status: 'failed' }), 'ErrorCode', code), /ErrorCode is not an integer/);
  });

  it('refuses a status callback without MessageSid or AccountSid, or with a malformed MessageSid', async () => {
    await expectRefused('status', without(status(), 'MessageSid'), /MessageSid is missing/);
    await expectRefused('status', without(status(), 'AccountSid'), /AccountSid is missing/);
    await expectRefused('status', set(set(status(), 'MessageSid', 'SM1'), 'SmsSid', 'SM1'), /MessageSid is not a Twilio message sid/);
  });
});
