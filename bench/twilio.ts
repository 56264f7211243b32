import { Agent, createServer, request, type RequestListener, type Server } from 'node:http';
import { createInMemoryNumberProvisioning, createInMemoryEventStore, createMessageCenter, type InMemoryEventStore } from '@message-center/core';
import { must } from './outcome.js';
// By path: the root package (which runs the bench) does not depend on @message-center/twilio, so the
// package name does not resolve from bench/. The module is the same either way.
import { computeTwilioSignature, createTwilioWebhookHandler, EMPTY_TWIML, toNodeListener } from '@message-center/twilio';
import { fmt, measureAsync, ROUNDS } from './report.js';

/** Not about the number rule (issue 13): the provider's account holds every number these tests enable with. */
const everyNumber = () => createInMemoryNumberProvisioning({ account: 'any' });


const PUBLIC_URL = 'https://sms.example.com';
const PATH = '/twilio/sms';
const TOKEN = 'be0c4b0e7e1d4c2f9a3b5d6e7f8091a2';
const ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
const BUSINESS_NUMBER = '+14155550100';
// Senders cycle through this many numbers: concurrent requests hit different conversations, as they do
// when many clients text one business, and no stream grows long enough to dominate.
const SENDERS = 1_000;

export interface SignedRequest {
  readonly body: string;
  readonly signature: string;
}

/** An inbound-SMS webhook as Twilio sends it, signed for the public URL; a distinct MessageSid each. */
const inboundWebhook = (n: number): SignedRequest => {
  const sid = `SM${n.toString(16).padStart(32, '0')}`;
  const from = `+1415555${String(1_000 + (n % SENDERS)).padStart(4, '0')}`;
  const params: ReadonlyArray<readonly [string, string]> = [
    ['ToCountry', 'US'],
    ['ToState', 'CA'],
    ['SmsMessageSid', sid],
    ['NumMedia', '0'],
    ['ToCity', 'SAN FRANCISCO'],
    ['FromZip', '94105'],
    ['SmsSid', sid],
    ['FromState', 'CA'],
    ['SmsStatus', 'received'],
    ['FromCity', 'SAN FRANCISCO'],
    ['Body', 'Can I move my appointment to Thursday afternoon?'],
    ['FromCountry', 'US'],
    ['To', BUSINESS_NUMBER],
    ['ToZip', '94105'],
    ['NumSegments', '1'],
    ['MessageSid', sid],
    ['AccountSid', ACCOUNT_SID],
    ['From', from],
    ['ApiVersion', '2010-04-01'],
  ];
  return {
    body: new URLSearchParams(params.map(([k, v]): [string, string] => [k, v])).toString(),
    signature: computeTwilioSignature(TOKEN, PUBLIC_URL + PATH, params),
  };
};

export const batch = (round: number, size: number): ReadonlyArray<SignedRequest> =>
  Array.from({ length: size }, (_, i) => inboundWebhook(round * size + i));

export const listen = async (listener: RequestListener): Promise<{ readonly port: number; readonly close: () => Promise<void> }> => {
  const server: Server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e === undefined ? resolve() : reject(e)));
        server.closeAllConnections();
      }),
  };
};

/**
 * The Message Center on an in-memory store, enabled for the business number, behind the Twilio webhook on a
 * loopback port; every hook's report (refusals, failures, bad signatures) lands in `errors`.
 */
export const webhookServer = async (): Promise<{ readonly store: InMemoryEventStore; readonly errors: Array<unknown>; readonly server: Awaited<ReturnType<typeof listen>> }> => {
  const store = createInMemoryEventStore();
  const mc = createMessageCenter({ numbers: everyNumber(), store });
  await must(mc.enableMessageCenter({ businessId: 'bench-business', actor: { kind: 'host', businessId: 'bench-business' }, country: 'US', number: BUSINESS_NUMBER, allotment: { messagesPerPeriod: 10_000_000, overage: 'allow' } }));
  const errors: Array<unknown> = [];
  const server = await listen(
    toNodeListener(
      createTwilioWebhookHandler({
        authToken: TOKEN,
        target: mc,
        publicUrl: PUBLIC_URL,
        onError: ({ error }) => errors.push(error),
        onRejected: ({ error }) => errors.push(error),
        onUnauthorized: (u) => errors.push(u),
      }),
      { onError: (error) => errors.push(error) },
    ),
  );
  return { store, errors, server };
};

/** POSTs every request with at most `concurrency` in flight over keep-alive connections; counts non-200 answers. */
export const fire = async (port: number, agent: Agent, requests: ReadonlyArray<SignedRequest>, concurrency: number): Promise<number> => {
  let next = 0;
  let failures = 0;
  const post = (r: SignedRequest): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: PATH,
          agent,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': String(Buffer.byteLength(r.body)),
            'x-twilio-signature': r.signature,
          },
        },
        (res) => {
          res.resume();
          res.once('end', () => resolve(res.statusCode ?? 0));
          res.once('error', reject);
        },
      );
      req.once('error', reject);
      req.end(r.body);
    });
  const worker = async (): Promise<void> => {
    for (let i = next++; i < requests.length; i = next++) {
      const r = requests[i];
      if (r !== undefined && (await post(r)) !== 200) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failures;
};

/**
 * Issue 5: signed inbound webhooks to recorded events over loopback HTTP (signature check, form parsing,
 * the Message Center on the in-memory store, one `InboundReceived` each), beside a bare `node:http`
 * handler that reads the body and answers the same TwiML. Same client, same requests, same concurrency.
 */
export const twilioWebhookBench = async (): Promise<void> => {
  const perRound = Number(process.env['BENCH_TWILIO_REQUESTS'] ?? 3_000);
  const concurrency = Number(process.env['BENCH_TWILIO_CONCURRENCY'] ?? 16);
  console.log(`\nSigned inbound webhook → event over loopback HTTP: ${fmt(perRound)} requests per round, ${concurrency} in flight`);

  // Signed before timing (the client's signing is Twilio's work, not ours), one batch per call of `run`
  // (`measureAsync` makes a warm-up call, then ROUNDS): every round has MessageSids of its own.
  const prepared = Array.from({ length: ROUNDS + 1 }, (_, k) => batch(k, perRound));
  const requestsFor = (k: number): ReadonlyArray<SignedRequest> => prepared[k] ?? batch(k, perRound);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let failures = 0;

  const bare = await listen((req, res) => {
    req.resume();
    req.once('end', () => res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(EMPTY_TWIML));
  });
  let bareCalls = 0;
  const bareRate = await measureAsync('bare node:http handler (reads the body, answers TwiML)', perRound, async () => {
    failures += await fire(bare.port, agent, requestsFor(bareCalls++), concurrency);
  }, 'requests/s');
  await bare.close();

  const { store, errors, server: webhook } = await webhookServer();
  let webhookCalls = 0;
  const webhookRate = await measureAsync('Twilio webhook → Message Center, in-memory store', perRound, async () => {
    failures += await fire(webhook.port, agent, requestsFor(webhookCalls++), concurrency);
  }, 'requests/s');
  await webhook.close();
  agent.destroy();

  // Every request must have been answered 200 and have produced exactly one event, or the figure means nothing.
  const recorded = (await must(store.readAll({ streamPrefix: 'mc-conversation-' }))).filter((e) => e.type === 'InboundReceived').length;
  const expected = webhookCalls * perRound;
  if (failures > 0 || errors.length > 0 || recorded !== expected) {
    throw new Error(`webhook bench is invalid: ${failures} non-200 answers, ${errors.length} handler errors, ${recorded} of ${expected} events`);
  }
  console.log(
    `  ratio bare / webhook: ${(bareRate / webhookRate).toFixed(1)}× (the webhook path runs at ${((100 * webhookRate) / bareRate).toFixed(1)}% of a handler that does nothing); ${fmt(recorded)} events recorded`,
  );
};
