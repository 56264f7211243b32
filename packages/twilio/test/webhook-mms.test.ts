/**
 * Issue 13, MMS end to end: a signed Twilio webhook with `NumMedia`, `MediaUrlN` and `MediaContentTypeN`
 * into the real Message Center (embedded store), and out of its contact history and inbox. V2: the media
 * (URL, content type) are part of the message; B4: a media-only message counts as one.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { createInMemoryNumberProvisioning, createInMemoryEventStore, createMessageCenter, type MessageCenter } from '@message-center/core';
import { createTwilioWebhookHandler, type InboundMedia, type WebhookTarget } from '../src/index.js';
import { ACCOUNT_SID, inboundParams, postSigned, TOKEN, type Params } from './support/webhook-http.js';
import { hex } from './support/webhook-arbitraries.js';

/** Not about the number rule (issue 13): the provider's account holds every number these tests enable with. */
const everyNumber = () => createInMemoryNumberProvisioning({ account: 'any' });

const PUBLIC = 'https://sms.example.com';
const URL_SMS = `${PUBLIC}/twilio/sms`;
const BUSINESS = 'salon-1';
const BUSINESS_NUMBER = '+14155550100';
const CLIENT_PHONE = '+14155552671';
const staff = { kind: 'staff', businessId: BUSINESS, staffId: 'staff-1', permissions: ['send-email-sms', 'manage-message-center'] } as const;

const ok = async <A>(task: TE.TaskEither<{ readonly code: string; readonly message: string }, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`${result.left.code}: ${result.left.message}`);
  return result.right;
};

const world = async () => {
  const mc: MessageCenter = createMessageCenter({ numbers: everyNumber(), store: createInMemoryEventStore() });
  await ok(mc.enableMessageCenter({ businessId: BUSINESS, actor: { kind: 'host', businessId: BUSINESS }, country: 'US', number: BUSINESS_NUMBER, allotment: { messagesPerPeriod: 1000, overage: 'refuse' } }));
  await ok(mc.recordClient({ businessId: BUSINESS, actor: { kind: 'host', businessId: BUSINESS }, clientId: 'ada', uid: 'U-1', name: 'Ada Lovelace', cellPhone: CLIENT_PHONE }));
  const rejected: Array<string> = [];
  // The facade is the handler's target as it is.
  const target: WebhookTarget = mc;
  const handler = createTwilioWebhookHandler({ authToken: TOKEN, target, publicUrl: PUBLIC, accountSid: ACCOUNT_SID, onRejected: (r) => rejected.push(r.error.code) });
  const post = (params: Params) => postSigned(handler, URL_SMS, params);
  return { mc, post, rejected };
};

/** Twilio's inbound webhook for an MMS: `NumMedia` and its `MediaContentTypeN`/`MediaUrlN`, as Twilio names them. */
const mmsParams = (sid: string, body: string, media: ReadonlyArray<InboundMedia>): Params => [
  ...inboundParams({ sid, from: CLIENT_PHONE, to: BUSINESS_NUMBER, body }).filter(([name]) => name !== 'NumMedia'),
  ['NumMedia', String(media.length)],
  ...media.flatMap((m, i): Params => [
    [`MediaContentType${i}`, m.contentType],
    [`MediaUrl${i}`, m.url],
  ]),
];

const CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/heic', 'video/mp4', 'audio/amr', 'text/vcard', 'text/x-vcard', 'application/pdf'] as const;

const mmsArb = fc
  .record({
    sid: hex(32).map((h) => `MM${h}`),
    body: fc.oneof(fc.constant(''), fc.constantFrom('Here it is', 'Is this normal?', 'é ✓ 😀')),
    media: fc.array(fc.tuple(hex(32), fc.constantFrom(...CONTENT_TYPES)), { maxLength: 10 }),
  })
  .map(({ sid, body, media }) => ({
    sid,
    body,
    media: media.map(([mediaSid, contentType]): InboundMedia => ({ url: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}/Media/ME${mediaSid}`, contentType })),
  }));

describe('MMS from Twilio into the contact history (issue 13)', () => {
  test.prop([mmsArb], { numRuns: 60 })('V2 B4 any 0–10 media of a Twilio webhook round-trip into the contact history, in order; the message counts once, its redelivery not at all', async (m) => {
    const { mc, post, rejected } = await world();
    const params = mmsParams(m.sid, m.body, m.media);
    expect((await post(params)).status).toBe(200);
    expect((await post(params)).status).toBe(200);
    expect(rejected).toEqual([]);
    const history = await ok(mc.contactHistory({ businessId: BUSINESS, viewer: staff, clientId: 'ada' }));
    expect(history.entries.map((e) => (e.kind === 'inbound' ? { providerMessageId: e.providerMessageId, body: e.body, media: e.media } : e.kind))).toEqual([
      { providerMessageId: m.sid, body: m.body, media: m.media },
    ]);
    expect((await ok(mc.usage({ businessId: BUSINESS, viewer: staff }))).inbound).toBe(1);
  });

  it('R1 a media-only MMS shows as 📷 Photo in the inbox, and is unread', async () => {
    const { mc, post } = await world();
    const sid = `MM${'ab'.repeat(16)}`;
    const photo = { url: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}/Media/ME${'0'.repeat(32)}`, contentType: 'image/jpeg' };
    expect((await post(mmsParams(sid, '', [photo]))).status).toBe(200);
    const page = await ok(mc.inbox({ businessId: BUSINESS, viewer: staff }));
    expect(page.rows.map((r) => [r.folder, r.lastMessage?.text, r.lastMessage?.mediaCount])).toEqual([['unread', '📷 Photo', 1]]);
  });

  it('V2 a webhook whose NumMedia says more media than it carries is answered 400 and records nothing', async () => {
    const { mc, post } = await world();
    const sid = `MM${'cd'.repeat(16)}`;
    const photo = { url: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}/Media/ME${'1'.repeat(32)}`, contentType: 'image/png' };
    const params = mmsParams(sid, '', [photo]).map(([n, v]): readonly [string, string] => [n, n === 'NumMedia' ? '2' : v]);
    const answer = await post(params);
    expect([answer.status, answer.text]).toEqual([400, 'Bad Request: MediaUrl1 is missing; MediaContentType1 is missing']);
    const history = await ok(mc.contactHistory({ businessId: BUSINESS, viewer: staff, clientId: 'ada' }));
    expect(history.entries).toEqual([]);
  });
});
