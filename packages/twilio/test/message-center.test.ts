import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { createInMemoryNumberProvisioning, BusinessId, ClientId, createInMemoryEventStore, createMessageCenter, type MessageCenter } from '@message-center/core';
import { conversationStream } from '@message-center/core/internals';
import { createTwilioTransport, createTwilioWebhookHandler, type WebhookRefusal, type WebhookTarget } from '../src/index.js';
import { startTwilioStub, type TwilioStub } from './support/twilio-stub.js';
import { inboundParams, listen, send, statusParams, twilioRequest, type LoopbackServer } from './support/webhook-http.js';

/** Not about the number rule (issue 13): the provider's account holds every number these tests enable with. */
const everyNumber = () => createInMemoryNumberProvisioning({ account: 'any' });

/**
 * End to end with the real Message Center on the embedded store: Twilio's webhooks over HTTP on 127.0.0.1
 * into the facade, and the facade's outbound messages through the Twilio transport to the loopback stub.
 */

const PUBLIC = 'https://sms.example.com';
const BUSINESS = 'biz-1';
/** The stream of a fixture conversation, named by core's own grammar (ids are escaped in stream names). */
const conversationStreamOf = (businessId: string, clientId: string): string => {
  if (!BusinessId.is(businessId) || !ClientId.is(clientId)) throw new RangeError('fixture ids rejected by their codecs');
  return conversationStream(businessId, clientId);
};
const BUSINESS_NUMBER = '+14155550100';
const NEW_NUMBER = '+14155550199';
const CLIENT_PHONE = '+14155552671';
const staff = { kind: 'staff', businessId: BUSINESS, staffId: 'staff-1', permissions: ['send-email-sms'] } as const;

let stub: TwilioStub;
let server: LoopbackServer;
let mc: MessageCenter;
const store = createInMemoryEventStore();
const refusals: Array<WebhookRefusal> = [];
const failures: Array<unknown> = [];
let sidCounter = 0;
const nextSid = () => `SM${(sidCounter += 1).toString(16).padStart(32, 'a')}`;

const must = async <A>(task: () => Promise<E.Either<{ readonly code: string; readonly message: string }, A>>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`${result.left.code}: ${result.left.message}`);
  return result.right;
};

const conversationEvents = async (type?: string) => {
  const all = await must(store.readAll({ streamPrefix: 'mc-conversation-' }));
  return type === undefined ? all : all.filter((e) => e.type === type);
};

const postInbound = (m: { sid: string; body: string; from?: string; to?: string; optOutType?: string }) =>
  send(server.origin, twilioRequest('/twilio/sms', inboundParams({ from: CLIENT_PHONE, to: BUSINESS_NUMBER, ...m }), `${PUBLIC}/twilio/sms`, stub.authToken));

beforeAll(async () => {
  stub = await startTwilioStub();
  const transport = createTwilioTransport({
    accountSid: stub.accountSid,
    authToken: stub.authToken,
    client: stub.client(),
    statusCallbackUrl: (messageId) => `${PUBLIC}/twilio/status?messageId=${encodeURIComponent(messageId)}`,
    retry: { sleep: async () => undefined },
  });
  mc = createMessageCenter({ numbers: everyNumber(), store, transport });
  // The facade satisfies the handler's narrow target interface as it is.
  const target: WebhookTarget = mc;
  server = await listen(
    createTwilioWebhookHandler({
      authToken: stub.authToken,
      target,
      publicUrl: PUBLIC,
      onRejected: (r) => refusals.push(r),
      onError: (f) => failures.push(f),
    }),
  );
  await must(mc.enableMessageCenter({ businessId: BUSINESS, actor: { kind: 'host', businessId: BUSINESS }, country: 'US', number: BUSINESS_NUMBER, allotment: { messagesPerPeriod: 1000, overage: 'refuse' } }));
  await must(mc.recordClient({ businessId: BUSINESS, actor: { kind: 'host', businessId: BUSINESS }, clientId: 'client-1', uid: 'U-1', name: 'Ada Lovelace', cellPhone: CLIENT_PHONE }));
});

afterAll(async () => {
  await server.close();
  await stub.close();
});

describe('Twilio webhooks into the Message Center', () => {
  it('an inbound SMS lands in the client conversation; redeliveries append exactly nothing (V2)', async () => {
    const sid = nextSid();
    const before = (await conversationEvents('InboundReceived')).length;
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await postInbound({ sid, body: 'Can I move my appointment?' }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const inbound = await conversationEvents('InboundReceived');
    expect(inbound.length - before).toBe(1);
    expect(inbound.at(-1)?.streamId).toBe(conversationStreamOf(BUSINESS, 'client-1'));
    const view = await must(mc.conversation({ businessId: BUSINESS, conversationId: 'client-1', viewer: staff }));
    expect(view.folder).toBe('unread');
    expect(failures).toEqual([]);
  });

  it('an outbound message goes through the Twilio transport; out-of-order status callbacks end delivered (V10)', async () => {
    const sent = await must(mc.sendMessage({ businessId: BUSINESS, actor: staff, clientId: 'client-1', body: 'Yes — Thursday at 3pm works.' }));
    expect(sent.status).toBe('queued');
    const create = stub.requests.filter((r) => r.path.endsWith('/Messages.json')).at(-1);
    expect(create?.form).toEqual(
      expect.arrayContaining([
        ['To', CLIENT_PHONE],
        ['From', BUSINESS_NUMBER],
        ['StatusCallback', `${PUBLIC}/twilio/status?messageId=${encodeURIComponent(sent.messageId)}`],
      ]),
    );
    expect(stub.violations()).toEqual([]);
    const view = await must(mc.conversation({ businessId: BUSINESS, conversationId: 'client-1', viewer: staff }));
    const providerMessageId = view.deliveries.find((d) => d.messageId === sent.messageId)?.providerMessageId;
    expect(providerMessageId).toMatch(/^SM/);
    if (providerMessageId === undefined || providerMessageId === null) return;

    const path = `/twilio/status?messageId=${encodeURIComponent(sent.messageId)}`;
    for (const status of ['delivered', 'sent', 'queued', 'delivered', 'sent']) {
      const answer = await send(server.origin, twilioRequest(path, statusParams({ sid: providerMessageId, status }), `${PUBLIC}${path}`, stub.authToken));
      expect(answer.status).toBe(200);
    }
    const after = await must(mc.conversation({ businessId: BUSINESS, conversationId: 'client-1', viewer: staff }));
    expect(after.deliveries.find((d) => d.messageId === sent.messageId)?.status).toBe('delivered');
    expect(failures).toEqual([]);
  });

  it('a status callback for an unknown MessageSid is answered 200 and changes nothing', async () => {
    const before = (await conversationEvents()).length;
    const path = '/twilio/status?messageId=nope';
    const answer = await send(server.origin, twilioRequest(path, statusParams({ sid: nextSid(), status: 'delivered' }), `${PUBLIC}${path}`, stub.authToken));
    expect(answer.status).toBe(200);
    expect((await conversationEvents()).length).toBe(before);
    expect(refusals.at(-1)?.error.code).toBe('message-not-found');
  });

  it("Twilio's OptOutType STOP unsubscribes the client; outbound is then refused (V3)", async () => {
    expect((await postInbound({ sid: nextSid(), body: 'please stop', optOutType: 'STOP' })).status).toBe(200);
    const view = await must(mc.conversation({ businessId: BUSINESS, conversationId: 'client-1', viewer: staff }));
    expect(view.subscription.status).toBe('unsubscribed');
    const refused = await mc.sendMessage({ businessId: BUSINESS, actor: staff, clientId: 'client-1', body: 'One more thing…' })();
    expect(E.isLeft(refused) && refused.left.code).toBe('client-unsubscribed');
    expect((await postInbound({ sid: nextSid(), body: 'START', optOutType: 'START' })).status).toBe(200);
    const back = await must(mc.conversation({ businessId: BUSINESS, conversationId: 'client-1', viewer: staff }));
    expect(back.subscription.status).toBe('subscribed');
  });

  it('Twilio 21610 on send records the opt-out (V3)', async () => {
    stub.script('CreateMessage', { kind: 'error', status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    const sent = await must(mc.sendMessage({ businessId: BUSINESS, actor: staff, clientId: 'client-1', body: 'Reminder: tomorrow 3pm' }));
    expect(sent.status).toBe('failed');
    const view = await must(mc.conversation({ businessId: BUSINESS, conversationId: 'client-1', viewer: staff }));
    expect(view.subscription.status).toBe('unsubscribed');
    expect((await postInbound({ sid: nextSid(), body: 'START', optOutType: 'START' })).status).toBe(200);
  });

  it('after a number change, inbound to the old number is refused as number-retired: 200, nothing appended (B2)', async () => {
    await must(mc.changeNumber({ businessId: BUSINESS, actor: { kind: 'host', businessId: BUSINESS }, number: NEW_NUMBER }));
    const before = (await conversationEvents()).length;
    const answer = await postInbound({ sid: nextSid(), body: 'hello?', to: BUSINESS_NUMBER });
    expect(answer.status).toBe(200);
    expect((await conversationEvents()).length).toBe(before);
    expect(refusals.at(-1)?.error.code).toBe('number-retired');
    expect((await postInbound({ sid: nextSid(), body: 'hello again', to: NEW_NUMBER })).status).toBe(200);
    expect((await conversationEvents()).length).toBe(before + 1);
  });

  it('inbound to a number no business has is refused as unknown-number, answered 200', async () => {
    const answer = await postInbound({ sid: nextSid(), body: 'hi', to: '+16505551234' });
    expect(answer.status).toBe(200);
    expect(refusals.at(-1)?.error.code).toBe('unknown-number');
    expect(failures).toEqual([]);
  });
});

// Issue 11: a 401/20003 while the auth token is being rotated used to mark every message in the outbox
// `failed` for good. The message now stays pending and goes out once the credentials are right.
describe('Twilio refuses the credentials (401, 20003)', () => {
  it('the message stays pending, nothing is recorded as failed, and it is sent once the credentials are fixed', async () => {
    const rotating = createInMemoryEventStore();
    const host = { kind: 'host', businessId: BUSINESS } as const;
    const oldToken = '00000000000000000000000000000bad';
    const withToken = (authToken: string) =>
      createMessageCenter({ numbers: everyNumber(),
        store: rotating,
        transport: createTwilioTransport({
          accountSid: stub.accountSid,
          authToken,
          client: stub.client({ authToken }),
          statusCallbackUrl: (messageId) => `${PUBLIC}/twilio/status?messageId=${encodeURIComponent(messageId)}`,
          retry: { sleep: async () => undefined },
        }),
      });
    const stale = withToken(oldToken);
    await must(stale.enableMessageCenter({ businessId: BUSINESS, actor: host, country: 'US', number: BUSINESS_NUMBER, allotment: { messagesPerPeriod: 1000, overage: 'refuse' } }));
    await must(stale.recordClient({ businessId: BUSINESS, actor: host, clientId: 'client-1', uid: 'U-1', name: 'Ada Lovelace', cellPhone: CLIENT_PHONE }));

    const sent = await must(stale.sendMessage({ businessId: BUSINESS, actor: staff, clientId: 'client-1', body: 'Your appointment is confirmed.' }));
    expect(sent.status).toBe('pending');
    expect(await must(stale.dispatchPending())).toEqual({ dispatched: 0, failed: 0, retryLater: 1 });
    const events = await must(rotating.readAll({ streamPrefix: 'mc-conversation-' }));
    expect(events.map((e) => e.type)).not.toContain('OutboundDispatchFailed');
    expect(inspect(events, { depth: 10 })).not.toContain(oldToken);

    // The host fixes the token (a restart with the new one): the outbox sends what was held back.
    const fixed = withToken(stub.authToken);
    expect(await must(fixed.dispatchPending())).toEqual({ dispatched: 1, failed: 0, retryLater: 0 });
    const view = await must(fixed.conversation({ businessId: BUSINESS, conversationId: 'client-1', viewer: staff }));
    expect(view.deliveries.find((d) => d.messageId === sent.messageId)?.status).toBe('queued');
  });
});
