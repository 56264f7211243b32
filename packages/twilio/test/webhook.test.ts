import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import * as TE from 'fp-ts/lib/TaskEither.js';
import {
  createTwilioWebhookHandler,
  EMPTY_TWIML,
  toNodeListener,
  type TwilioWebhookOptions,
  type WebhookFailure,
  type WebhookRefusal,
  type WebhookUnauthorized,
} from '../src/index.js';
import { fakeTarget, formBody, inboundParams, listen, send, sign, statusParams, TOKEN, twilioRequest, type LoopbackServer } from './support/webhook-http.js';

const servers: Array<LoopbackServer> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const start = async (options: Partial<TwilioWebhookOptions> & Pick<TwilioWebhookOptions, 'target'>) => {
  const server = await listen(createTwilioWebhookHandler({ authToken: TOKEN, ...options }));
  servers.push(server);
  return server;
};

const SID = 'SM0123456789abcdef0123456789abcdef';
const inbound = (over: Partial<Parameters<typeof inboundParams>[0]> = {}) =>
  inboundParams({ sid: SID, from: '+14155552671', to: '+14155550100', body: 'Hello from a client', ...over });

describe('inbound SMS webhook over HTTP', () => {
  it('passes a signed inbound SMS on and answers empty TwiML', async () => {
    const fake = fakeTarget();
    const server = await start({ target: fake.target });
    const answer = await send(server.origin, twilioRequest('/twilio/sms', inbound({ body: 'Tomorrow at 10? ✓ 50% off + more' }), `${server.origin}/twilio/sms`));
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/xml/);
    expect(answer.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
    expect(answer.body).toBe(EMPTY_TWIML);
    expect(fake.inboundCalls).toEqual([
      { to: '+14155550100', from: '+14155552671', body: 'Tomorrow at 10? ✓ 50% off + more', media: [], providerMessageId: SID, optOutType: null },
    ]);
  });

  it.each(['STOP', 'START', 'HELP'] as const)('reads OptOutType %s', async (value) => {
    const fake = fakeTarget();
    const server = await start({ target: fake.target });
    const answer = await send(server.origin, twilioRequest('/twilio/sms', inbound({ body: 'Stop', optOutType: value }), `${server.origin}/twilio/sms`));
    expect(answer.status).toBe(200);
    expect(fake.inboundCalls.map((c) => c.optOutType)).toEqual([value]);
  });

  // Issue 11: an OptOutType Twilio does not send is refused rather than read as absent, since reading it as
  // absent is exactly what a re-split that hides a STOP would want.
  it.each(['stop', 'SOMETHING-NEW'])('refuses OptOutType %s (400), passing nothing on', async (value) => {
    const fake = fakeTarget();
    const server = await start({ target: fake.target });
    const answer = await send(server.origin, twilioRequest('/twilio/sms', inbound({ body: 'Stop', optOutType: value }), `${server.origin}/twilio/sms`));
    expect(answer.status).toBe(400);
    expect(fake.inboundCalls).toEqual([]);
  });

  it('passes every redelivery on (the domain deduplicates), answering 200 each time', async () => {
    const fake = fakeTarget();
    const server = await start({ target: fake.target });
    const request = twilioRequest('/twilio/sms', inbound(), `${server.origin}/twilio/sms`);
    const answers = await Promise.all([send(server.origin, request), send(server.origin, request), send(server.origin, request)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(fake.inboundCalls).toHaveLength(3);
    expect(fake.messages.size).toBe(1);
  });

  it('accepts a chunked body', async () => {
    const fake = fakeTarget();
    const server = await start({ target: fake.target });
    const r = twilioRequest('/twilio/sms', inbound(), `${server.origin}/twilio/sms`);
    const answer = await send(server.origin, { ...r, body: [r.body.slice(0, 10), r.body.slice(10, 50), r.body.slice(50)] });
    expect(answer.status).toBe(200);
    expect(fake.inboundCalls).toHaveLength(1);
  });

  it('answers 403 to a missing or wrong signature, passing nothing on', async () => {
    const fake = fakeTarget();
    const unauthorized: Array<WebhookUnauthorized> = [];
    const server = await start({ target: fake.target, onUnauthorized: (e) => unauthorized.push(e) });
    const url = `${server.origin}/twilio/sms`;
    const good = twilioRequest('/twilio/sms', inbound(), url);
    const { 'x-twilio-signature': _omitted, ...unsigned } = good.headers;
    const answers = [
      await send(server.origin, { ...good, headers: unsigned }),
      await send(server.origin, { ...good, headers: { ...good.headers, 'x-twilio-signature': '' } }),
      await send(server.origin, { ...good, headers: { ...good.headers, 'x-twilio-signature': sign(url, inbound(), 'another-token') } }),
      // Signed, then tampered with: a different body.
      await send(server.origin, { ...good, body: formBody(inbound({ body: 'Hello from someone else' })) }),
      // Signed for another path.
      await send(server.origin, { ...good, headers: { ...good.headers, 'x-twilio-signature': sign(`${server.origin}/other`, inbound()) } }),
      // A parameter added to a signed body.
      await send(server.origin, { ...good, body: `${good.body}&OptOutType=STOP` }),
    ];
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403, 403, 403]);
    expect(fake.inboundCalls).toEqual([]);
    expect(unauthorized.map((u) => u.reason)).toEqual(['missing-signature', 'missing-signature', 'bad-signature', 'bad-signature', 'bad-signature', 'bad-signature']);
    expect(unauthorized[0]?.signedUrl).toBe(url);
  });

  it('answers 400 to malformed input, passing nothing on', async () => {
    const fake = fakeTarget();
    const server = await start({ target: fake.target });
    const url = `${server.origin}/twilio/sms`;
    const without = (name: string) => inbound().filter(([n]) => n !== name);
    const cases = [
      twilioRequest('/twilio/sms', without('From'), url),
      twilioRequest('/twilio/sms', without('To'), url),
      twilioRequest('/twilio/sms', without('MessageSid'), url),
      twilioRequest('/twilio/sms', [...inbound(), ['From', '+14155550199']], url),
      twilioRequest('/twilio/sms', inbound({ sid: 'SM with spaces' }), url),
    ];
    for (const c of cases) {
      const answer = await send(server.origin, c);
      expect(answer.status).toBe(400);
    }
    const json = twilioRequest('/twilio/sms', inbound(), url);
    const asJson = await send(server.origin, { ...json, headers: { ...json.headers, 'content-type': 'application/json' }, body: JSON.stringify({ From: '+1' }) });
    expect(asJson.status).toBe(400);
    const noType = await send(server.origin, { path: '/twilio/sms', headers: { 'x-twilio-signature': json.headers['x-twilio-signature'] }, body: json.body });
    expect(noType.status).toBe(400);
    expect(fake.inboundCalls).toEqual([]);
  });

  it('answers 413 to a body over the limit, by Content-Length or while reading a chunked body', async () => {
    const fake = fakeTarget();
    const server = await start({ target: fake.target, maxBodyBytes: 1024 });
    const big = inbound({ body: 'x'.repeat(2_000) });
    const r = twilioRequest('/twilio/sms', big, `${server.origin}/twilio/sms`);
    expect((await send(server.origin, r)).status).toBe(413);
    const chunks = Array.from({ length: 8 }, (_, i) => r.body.slice(i * 300, (i + 1) * 300));
    expect((await send(server.origin, { ...r, body: chunks })).status).toBe(413);
    expect(fake.inboundCalls).toEqual([]);
    // The default limit is 64 KiB.
    const server64 = await start({ target: fake.target });
    const huge = twilioRequest('/twilio/sms', inbound({ body: 'y'.repeat(70_000) }), `${server64.origin}/twilio/sms`);
    expect((await send(server64.origin, huge)).status).toBe(413);
  });

  it('answers 404 on other paths and 405 to other methods', async () => {
    const fake = fakeTarget();
    const server = await start({ target: fake.target });
    expect((await send(server.origin, { path: '/elsewhere', body: '' })).status).toBe(404);
    const get = await send(server.origin, { method: 'GET', path: '/twilio/sms' });
    expect(get.status).toBe(405);
    expect(get.headers['allow']).toBe('POST');
  });

  it('uses configurable paths', async () => {
    const fake = fakeTarget();
    const server = await start({ target: fake.target, paths: { inbound: '/hooks/in', status: '/hooks/status' } });
    expect((await send(server.origin, twilioRequest('/hooks/in', inbound(), `${server.origin}/hooks/in`))).status).toBe(200);
    expect((await send(server.origin, twilioRequest('/twilio/sms', inbound(), `${server.origin}/twilio/sms`))).status).toBe(404);
  });

  it('behind a proxy, checks the signature against the public URL (with its query), not the local one', async () => {
    const fake = fakeTarget();
    const server = await start({ target: fake.target, publicUrl: 'https://sms.example.com/' });
    const path = '/twilio/sms?tenant=acme&x=%20y';
    const signedPublic = twilioRequest(path, inbound(), `https://sms.example.com${path}`);
    expect((await send(server.origin, signedPublic)).status).toBe(200);
    // Twilio has also signed HTTPS URLs with an explicit :443; both forms are accepted, as the SDK does.
    const withPort = twilioRequest(path, inbound(), `https://sms.example.com:443${path}`);
    expect((await send(server.origin, withPort)).status).toBe(200);
    const signedLocal = twilioRequest(path, inbound(), `${server.origin}${path}`);
    expect((await send(server.origin, signedLocal)).status).toBe(403);
    const otherQuery = twilioRequest(path, inbound(), `https://sms.example.com/twilio/sms?tenant=evil&x=%20y`);
    expect((await send(server.origin, otherQuery)).status).toBe(403);
    expect(fake.inboundCalls).toHaveLength(2);
  });

  it('over node:http, also accepts the raw request target Twilio signed (characters the URL standard would re-encode)', async () => {
    const fake = fakeTarget();
    const server = await start({ target: fake.target, publicUrl: 'https://sms.example.com' });
    const path = "/twilio/sms?name=O'Brien&x=a|b";
    expect((await send(server.origin, twilioRequest(path, inbound(), `https://sms.example.com${path}`))).status).toBe(200);
    expect(fake.inboundCalls).toHaveLength(1);
  });

  it('refuses a misconfigured handler at construction', () => {
    const { target } = fakeTarget();
    expect(() => createTwilioWebhookHandler({ authToken: '', target })).toThrow();
    expect(() => createTwilioWebhookHandler({ authToken: TOKEN, target, publicUrl: 'sms.example.com' })).toThrow();
    expect(() => createTwilioWebhookHandler({ authToken: TOKEN, target, paths: { inbound: '/x', status: '/x' } })).toThrow();
    expect(() => createTwilioWebhookHandler({ authToken: TOKEN, target, maxBodyBytes: 0 })).toThrow();
  });
});

describe('node:http adapter', () => {
  it('answers 500 when the handler itself fails, and reports it', async () => {
    const errors: Array<unknown> = [];
    const server = createServer(
      toNodeListener(() => Promise.reject(new Error('handler bug')), { onError: (e) => errors.push(e) }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
    try {
      expect((await send(origin, { path: '/twilio/sms', body: 'a=b' })).status).toBe(500);
      expect(errors).toHaveLength(1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('what the target answers', () => {
  it('a domain refusal (number-retired) answers 200 empty TwiML, so Twilio does not retry, and is reported', async () => {
    const refusals: Array<WebhookRefusal> = [];
    const fake = fakeTarget({ inboundError: () => ({ code: 'number-retired', message: '+14155550100 is no longer the number' }) });
    const server = await start({ target: fake.target, onRejected: (r) => refusals.push(r) });
    const answer = await send(server.origin, twilioRequest('/twilio/sms', inbound(), `${server.origin}/twilio/sms`));
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(EMPTY_TWIML);
    expect(refusals).toEqual([{ route: 'inbound', providerMessageId: SID, error: { code: 'number-retired', message: '+14155550100 is no longer the number' } }]);
  });

  it('an infrastructure error answers 500 so Twilio retries, and is reported', async () => {
    const failures: Array<WebhookFailure> = [];
    const fake = fakeTarget({ inboundError: () => ({ code: 'store-unavailable', message: 'the store is down' }) });
    const server = await start({ target: fake.target, onError: (f) => failures.push(f) });
    const answer = await send(server.origin, twilioRequest('/twilio/sms', inbound(), `${server.origin}/twilio/sms`));
    expect(answer.status).toBe(500);
    expect(failures.map((f) => f.error)).toEqual([{ code: 'store-unavailable', message: 'the store is down' }]);
  });

  it('a target that throws answers 500; a hook that throws changes nothing', async () => {
    const fake = fakeTarget({ throwOn: SID });
    const server = await start({
      target: fake.target,
      onError: () => {
        throw new Error('hook failed');
      },
    });
    const answer = await send(server.origin, twilioRequest('/twilio/sms', inbound(), `${server.origin}/twilio/sms`));
    expect(answer.status).toBe(500);
  });

  it('a custom isRefusal decides what is final', async () => {
    const fake = fakeTarget({ inboundError: () => ({ code: 'store-unavailable', message: 'down' }) });
    const server = await start({ target: fake.target, isRefusal: () => true });
    const answer = await send(server.origin, twilioRequest('/twilio/sms', inbound(), `${server.origin}/twilio/sms`));
    expect(answer.status).toBe(200);
  });
});

describe('status callback webhook over HTTP', () => {
  it('passes MessageSid, MessageStatus and ErrorCode on', async () => {
    const fake = fakeTarget();
    const server = await start({ target: fake.target });
    const url = `${server.origin}/twilio/status`;
    expect((await send(server.origin, twilioRequest('/twilio/status', statusParams({ sid: SID, status: 'sent' }), url))).status).toBe(200);
    expect((await send(server.origin, twilioRequest('/twilio/status', statusParams({ sid: SID, status: 'undelivered', errorCode: 30003 }), url))).status).toBe(200);
    expect(fake.statusCalls).toEqual([
      { providerMessageId: SID, status: 'sent', errorCode: null },
      { providerMessageId: SID, status: 'undelivered', errorCode: 30003 },
    ]);
  });

  it('passes out-of-order and repeated callbacks on; the domain keeps the furthest status', async () => {
    const fake = fakeTarget();
    const server = await start({ target: fake.target });
    const path = '/twilio/status?messageId=msg-1';
    const url = `${server.origin}${path}`;
    for (const status of ['delivered', 'queued', 'sent', 'delivered', 'sent']) {
      expect((await send(server.origin, twilioRequest(path, statusParams({ sid: SID, status }), url))).status).toBe(200);
    }
    expect(fake.statusCalls.map((c) => c.status)).toEqual(['delivered', 'queued', 'sent', 'delivered', 'sent']);
    expect(fake.statuses.get(SID)).toBe('delivered');
  });

  it('answers 400 without MessageStatus or with a non-numeric ErrorCode, and 403 unsigned', async () => {
    const fake = fakeTarget();
    const server = await start({ target: fake.target });
    const url = `${server.origin}/twilio/status`;
    const noStatus = statusParams({ sid: SID, status: 'sent' }).filter(([n]) => n !== 'MessageStatus');
    expect((await send(server.origin, twilioRequest('/twilio/status', noStatus, url))).status).toBe(400);
    const badCode = [...statusParams({ sid: SID, status: 'failed' }), ['ErrorCode', 'abc'] as const];
    expect((await send(server.origin, twilioRequest('/twilio/status', badCode, url))).status).toBe(400);
    const body = formBody(statusParams({ sid: SID, status: 'sent' }));
    expect((await send(server.origin, { path: '/twilio/status', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })).status).toBe(403);
    expect(fake.statusCalls).toEqual([]);
  });

  it('an unknown MessageSid (message-not-found) is answered 200 and reported', async () => {
    const refusals: Array<WebhookRefusal> = [];
    const server = await start({
      target: {
        receiveInbound: () => TE.right(undefined),
        recordDeliveryStatus: (i) => TE.left({ code: 'message-not-found', message: `no outbound message has the provider id ${i.providerMessageId}` }),
      },
      onRejected: (r) => refusals.push(r),
    });
    const answer = await send(server.origin, twilioRequest('/twilio/status', statusParams({ sid: SID, status: 'delivered' }), `${server.origin}/twilio/status`));
    expect(answer.status).toBe(200);
    expect(refusals.map((r) => [r.route, r.error.code])).toEqual([['status', 'message-not-found']]);
  });
});
