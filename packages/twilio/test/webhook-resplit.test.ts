import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { createTwilioWebhookHandler, type InboundSms } from '../src/index.js';
import { readInboundWebhook, readStatusWebhook, type WebhookExpectations } from '../src/webhook-grammar.js';
import { ACCOUNT_SID, fakeTarget, formBody, inboundParams, sign, TOKEN, type Params } from './support/webhook-http.js';
import { forEachResplit, isTwilioName, signedString, type Resplit, type ResplitOptions } from './support/resplit.js';
import { inboundWebhook, statusWebhook } from './support/webhook-arbitraries.js';
import { PROPERTY_TIMEOUT_MS, scaledRuns } from './support/runs.js';

/**
 * Issue 11, "Signature malleability": Twilio signs URL + names + values with no separator, so a genuine
 * request can be cut at other places and keep its signature. These are the re-splits the issue confirmed;
 * each must be refused, or read as exactly the genuine message.
 */

const PUBLIC = 'https://sms.example.com';
const URL_SMS = `${PUBLIC}/twilio/sms`;
const SID = 'SM0123456789abcdef0123456789abcdef';

const genuine = (over: Partial<Parameters<typeof inboundParams>[0]> = {}): Params =>
  inboundParams({ sid: SID, from: '+14155552671', to: '+14155550100', body: 'Hello there', ...over });

const request = (params: Params, signature: string): Request =>
  new Request(URL_SMS, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: formBody(params),
  });

/** Replaces the pairs named in `fold` and the pair named `into` by one pair: `into` = its value + the folded pairs' names and values. */
const foldInto = (params: Params, into: string, fold: ReadonlyArray<string>): Params => {
  const sorted = [...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const at = sorted.findIndex(([n]) => n === into);
  const folded = sorted.slice(at + 1, at + 1 + fold.length);
  expect(folded.map(([n]) => n)).toEqual(fold);
  const value = (sorted[at]?.[1] ?? '') + folded.map(([n, v]) => n + v).join('');
  return [...sorted.slice(0, at), [into, value], ...sorted.slice(at + 1 + fold.length)];
};

/** Sends the genuine request, then the re-split with the genuine signature; returns what the target saw of each. */
const replay = async (params: Params, resplit: Params) => {
  expect(signedString(URL_SMS, resplit)).toBe(signedString(URL_SMS, params));
  const fake = fakeTarget();
  const handler = createTwilioWebhookHandler({ authToken: TOKEN, target: fake.target, publicUrl: PUBLIC, accountSid: ACCOUNT_SID });
  const signature = sign(URL_SMS, params);
  const first = await handler(request(params, signature));
  expect(first.status).toBe(200);
  const genuineCall: InboundSms | undefined = fake.inboundCalls[0];
  const second = await handler(request(resplit, signature));
  return { genuineCall, status: second.status, calls: fake.inboundCalls.slice(1), answer: await second.text() };
};

describe('re-splits of a genuine signed inbound SMS (issue 11)', () => {
  it('folding MessagingServiceSid and NumMedia into MessageSid does not make a new message id', async () => {
    const params = genuine();
    const r = await replay(params, foldInto(params, 'MessageSid', ['MessagingServiceSid', 'NumMedia']));
    expect(r.calls.filter((c) => c.providerMessageId !== SID)).toEqual([]);
    expect(r.status).toBe(400);
  });

  it('folding Body into ApiVersion does not erase the body', async () => {
    const params = genuine();
    const r = await replay(params, foldInto(params, 'ApiVersion', ['Body']));
    expect(r.calls.filter((c) => c.body !== 'Hello there')).toEqual([]);
    expect(r.status).toBe(400);
  });

  it('folding OptOutType=STOP into NumSegments does not neutralise the opt-out', async () => {
    const params = genuine({ body: 'STOP please', optOutType: 'STOP' });
    const r = await replay(params, foldInto(params, 'NumSegments', ['OptOutType']));
    expect(r.calls.filter((c) => c.optOutType !== 'STOP')).toEqual([]);
    expect(r.status).toBe(400);
  });

  it('cutting the body short at a capital letter does not truncate it', async () => {
    const params = genuine({ body: 'See you at Eight' });
    // Body=See you at , Eigh=t: a new parameter that sorts between Body and From.
    const resplit: Params = [...params.filter(([n]) => n !== 'Body'), ['Body', 'See you at '], ['Eigh', 't']];
    const r = await replay(params, resplit);
    expect(r.calls.filter((c) => c.body !== 'See you at Eight')).toEqual([]);
    expect(r.status).toBe(400);
  });

  it('a body that spells "From+…" cannot become the sender', async () => {
    const params = genuine({ body: 'hi From+19998887777FromAx' });
    const resplit: Params = [
      ...params.filter(([n]) => n !== 'Body' && n !== 'From'),
      ['Body', 'hi '],
      ['From', '+19998887777'],
      ['FromA', 'xFrom+14155552671'],
    ];
    const r = await replay(params, resplit);
    expect(r.calls.filter((c) => c.from !== '+14155552671' || c.body !== 'hi From+19998887777FromAx')).toEqual([]);
    expect(r.status).toBe(400);
  });
});

/**
 * The property: take genuine signed webhooks, re-split the signed string in every way within windows of
 * adjacent pairs, sign nothing new, and check that each re-split is refused or read as exactly the genuine
 * message (same sid, sender, recipient, body, opt-out, media, account). Four families of re-splits:
 *
 * - with any names (punctuation included): a boundary between a name and its value moved anywhere in the
 *   pair, or two adjacent pairs folded into one; sent to the handler itself with the genuine signature;
 * - names as Twilio writes them (letters and digits): two adjacent pairs cut again into up to three, three
 *   folded into one or two (the issue's `NumMedia0` into `MessageSid`), four folded into one.
 *
 * The second kind is read with the handler's grammar directly (the handler checks the signature, which
 * every re-split keeps, then reads exactly this way), since it is tens of thousands of re-splits per
 * request. Names that are not letters and digits are refused whatever they are (the first kind, and the
 * grammar tests).
 */
const EXPECTED: WebhookExpectations = { accountSid: ACCOUNT_SID };
const SENT_FAMILIES: ReadonlyArray<ResplitOptions> = [
  { width: 1, extraPieces: 0 },
  { width: 2, maxPieces: 1 },
];
const FAMILIES: ReadonlyArray<ResplitOptions> = [
  { width: 2, extraPieces: 1, isName: isTwilioName },
  { width: 3, extraPieces: 0, maxPieces: 2, isName: isTwilioName },
  { width: 4, extraPieces: 0, maxPieces: 1, isName: isTwilioName },
];

/** Every re-split of every family read with `read`: returns how many were read, failing on the first that reads differently. */
const readEveryResplit = <A>(url: string, params: Params, read: (p: Params) => E.Either<ReadonlyArray<string>, A>, genuine: A): number => {
  const expected = JSON.stringify(genuine);
  let count = 0;
  const differing: Array<Resplit> = [];
  for (const family of FAMILIES) {
    count += forEachResplit(url, params, family, (r) => {
      if (differing.length > 0) return;
      const decoded = read(r.params);
      if (E.isRight(decoded) && JSON.stringify(decoded.right) !== expected) differing.push(r);
    });
  }
  // Shown in full when it fails: the re-split, and what it was read as.
  for (const r of differing) expect({ resplit: r, read: read(r.params) }).toEqual({ resplit: r, read: E.right(genuine) });
  return count;
};

/** The first family, through the handler with the genuine signature: refused, or passed on exactly as the genuine request. */
const sendEveryResplit = async (path: string, params: Params, route: 'inbound' | 'status'): Promise<number> => {
  const url = PUBLIC + path;
  const signature = sign(url, params);
  const fake = fakeTarget();
  const handler = createTwilioWebhookHandler({ authToken: TOKEN, target: fake.target, publicUrl: PUBLIC, accountSid: ACCOUNT_SID });
  const post = (r: Resplit) =>
    handler(
      new Request(r.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: formBody(r.params),
      }),
    );
  expect((await post({ url, params })).status).toBe(200);
  const calls = () => (route === 'inbound' ? fake.inboundCalls : fake.statusCalls);
  const genuine = JSON.stringify(calls()[0]);
  const resplits: Array<Resplit> = [];
  for (const family of SENT_FAMILIES) {
    forEachResplit(url, params, family, (r) => {
      // A URL that is no longer one (moved into `%`, `#`…) cannot be sent at all.
      if (URL.canParse(r.url) && new URL(r.url).href === r.url) resplits.push(r);
    });
  }
  for (const r of resplits) {
    const before = calls().length;
    const answer = await post(r);
    const passed = calls().slice(before).map((c) => JSON.stringify(c));
    if (answer.status === 200) expect({ resplit: r, passed }).toEqual({ resplit: r, passed: [genuine] });
    else expect({ resplit: r, status: answer.status, passed }).toEqual({ resplit: r, status: answer.status, passed: [] });
  }
  return resplits.length;
};

describe('no re-split of a genuine signed webhook is read as a different message', () => {
  test.prop([inboundWebhook], { numRuns: scaledRuns(6) })(
    'inbound SMS and MMS',
    async (g) => {
      const genuine = readInboundWebhook(g.params, EXPECTED);
      expect(genuine).toEqual(
        E.right({
          sms: { to: g.to, from: g.from, body: g.body, media: g.media, providerMessageId: g.sid, optOutType: g.optOutType },
          accountSid: ACCOUNT_SID,
        }),
      );
      if (E.isLeft(genuine)) return;
      expect(readEveryResplit(URL_SMS, g.params, (p) => readInboundWebhook(p, EXPECTED), genuine.right)).toBeGreaterThan(0);
      expect(await sendEveryResplit('/twilio/sms', g.params, 'inbound')).toBeGreaterThan(0);
    },
    PROPERTY_TIMEOUT_MS,
  );

  test.prop([statusWebhook], { numRuns: scaledRuns(6) })(
    'message status callbacks',
    async (g) => {
      const path = '/twilio/status?messageId=m-1';
      const genuine = readStatusWebhook(g.params, EXPECTED);
      expect(genuine).toEqual(E.right({ report: { providerMessageId: g.sid, status: g.status, errorCode: g.errorCode }, accountSid: ACCOUNT_SID }));
      if (E.isLeft(genuine)) return;
      expect(readEveryResplit(PUBLIC + path, g.params, (p) => readStatusWebhook(p, EXPECTED), genuine.right)).toBeGreaterThan(0);
      expect(await sendEveryResplit(path, g.params, 'status')).toBeGreaterThan(0);
    },
    PROPERTY_TIMEOUT_MS,
  );
});
