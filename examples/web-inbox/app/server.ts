/**
 * The web inbox's HTTP server: the page, its JSON API, the live event stream, and Twilio's two signed
 * webhooks (a real number's, or the demo's "text as a client" panel's) on one `node:http` server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  createInMemoryEventStore,
  createInMemoryNumberProvisioning,
  createInMemorySmsTransport,
  createMessageCenter,
  type EventStore,
  type IdGenerator,
  type MessageCenter,
  type SmsTransport,
} from '@message-center/core';
import { createTwilioTransport, createTwilioWebhookHandler, toNodeListener, type TwilioMessagesClient } from '@message-center/twilio';
import { answerApi, type ApiContext } from './inbox-api.js';
import { asTwilioSendsIt, createClientSimulator, type ClientSimulator } from './client-simulator.js';
import { demoAccount, type WebInboxConfig } from './config.js';
import { startLiveUpdates } from './live-updates.js';
import { IN_MEMORY_READ_MODELS, type HostReadModels } from './read-models.js';
import { requestGuard } from './request-guard.js';
import { BUSINESS_ID, CLIENTS, STAFF } from './roster.js';
import { enableSalon, seedSalon } from './seed.js';
import { loadAssets } from './static-assets.js';

/** The demo salon's number: 555-01xx numbers are reserved for fiction. */
export const DEMO_NUMBER = '+14155550100';
const MAX_JSON_BYTES = 16 * 1024;

export interface WebInboxOptions extends WebInboxConfig {
  /** Default: the in-memory store. */
  readonly store?: EventStore;
  readonly ids?: IdGenerator;
  /** Seeds the salon's clients and first morning (default true); a second instance on the same store does not. */
  readonly seed?: boolean;
  /** Default: core's in-memory read models; `postgresReadModels(…)` for PostgreSQL (DATABASE_URL). */
  readonly readModels?: HostReadModels;
  /** Default: a twilio SDK client from the credentials. Tests pass one pointed at a loopback stub. */
  readonly twilioClient?: TwilioMessagesClient;
  readonly log?: (line: string) => void;
}

export interface RunningWebInbox {
  readonly url: string;
  readonly messageCenter: MessageCenter;
  readonly close: () => Promise<void>;
}

const readJson = async (request: IncomingMessage): Promise<Readonly<Record<string, unknown>> | null> => {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    if (!(chunk instanceof Buffer)) return null;
    size += chunk.length;
    if (size > MAX_JSON_BYTES) return null;
    chunks.push(chunk);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : null;
  } catch {
    return null;
  }
};

const sendJson = (response: ServerResponse, status: number, body: unknown): void => {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
};

export const startWebInbox = async (options: WebInboxOptions): Promise<RunningWebInbox> => {
  const log = options.log ?? ((line: string) => console.log(line));
  const account = options.twilio ?? demoAccount();
  const store = options.store ?? createInMemoryEventStore();
  const assets = await loadAssets();

  // The server listens first: the webhook URLs (and the demo's signatures) need its port.
  let listener: (request: IncomingMessage, response: ServerResponse) => void = (_, response) => sendJson(response, 503, { error: { code: 'starting', message: 'starting' } });
  const server: Server = createServer((request, response) => listener(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  const publicUrl = options.twilio?.publicUrl ?? url;

  const transport: SmsTransport =
    options.twilio === null
      ? createInMemorySmsTransport()
      : createTwilioTransport({
          accountSid: account.accountSid,
          authToken: account.authToken,
          statusCallbackUrl: () => `${publicUrl}/twilio/status`,
          ...(options.twilioClient === undefined ? {} : { client: options.twilioClient }),
        });
  const number = options.twilio?.number ?? DEMO_NUMBER;
  const readModels = options.readModels ?? IN_MEMORY_READ_MODELS;
  const mc = createMessageCenter({
    store,
    transport,
    ...(readModels.readModelStore === undefined ? {} : { readModelStore: readModels.readModelStore }),
    numbers: createInMemoryNumberProvisioning({ account: [number] }),
    ...(options.ids === undefined ? {} : { ids: options.ids }),
  });
  mc.startLive((error) => log(`read models stopped following the store: ${error.code}: ${error.message}`));
  const live = startLiveUpdates(store, readModels.reached, log);

  const businessNumber = await enableSalon(mc, number);
  const webhooks = toNodeListener(
    createTwilioWebhookHandler({
      authToken: account.authToken,
      accountSid: account.accountSid,
      publicUrl,
      target: { receiveInbound: mc.receiveInbound, recordDeliveryStatus: mc.recordDeliveryStatus },
      onRejected: ({ route, error }) => log(`${route} refused: ${error.code}: ${error.message}`),
      onError: ({ route }) => log(`${route} failed (answered 500; Twilio retries)`),
      onUnauthorized: ({ route, reason }) => log(`${route} 403: ${reason}`),
    }),
  );
  const simulator: ClientSimulator | null = options.twilio === null ? createClientSimulator({ ...account, publicUrl, localUrl: url, businessNumber: () => businessNumber }) : null;

  const settings = { individualReadStatus: false };
  const context: ApiContext = {
    mc,
    settings,
    session: () => ({
      businessId: BUSINESS_ID,
      businessNumber,
      demo: simulator !== null,
      staff: STAFF.map((s) => ({ staffId: s.actor.staffId, name: s.name, permissions: s.actor.permissions })),
      clients: CLIENTS.map((c) => ({ name: c.name, phone: asTwilioSendsIt(c.cellPhone) })),
      individualReadStatus: settings.individualReadStatus,
    }),
  };

  const simulate = async (path: string, body: Readonly<Record<string, unknown>>): Promise<{ status: number; body: unknown }> => {
    if (simulator === null) return { status: 404, body: { error: { code: 'not-demo', message: 'a real Twilio number is configured: text it from a phone' } } };
    if (path === '/api/simulate/text') {
      const from = typeof body['from'] === 'string' ? body['from'] : '';
      const text = typeof body['body'] === 'string' ? body['body'] : '';
      const pictures = typeof body['pictures'] === 'number' && Number.isInteger(body['pictures']) ? Math.min(Math.max(body['pictures'], 0), 10) : 0;
      return { status: 200, body: await simulator.text({ from, body: text, pictures }) };
    }
    const providerMessageId = typeof body['providerMessageId'] === 'string' ? body['providerMessageId'] : '';
    const status = typeof body['status'] === 'string' ? body['status'] : '';
    const errorCode = typeof body['errorCode'] === 'number' ? body['errorCode'] : null;
    return { status: 200, body: await simulator.reportStatus({ providerMessageId, status, errorCode }) };
  };

  const guard = requestGuard(url, options.twilio?.publicUrl ?? null);
  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const target = new URL(request.url ?? '/', url);
    const method = request.method ?? 'GET';
    if (target.pathname.startsWith('/twilio/')) return webhooks(request, response);
    const refusal = guard.refusal(request);
    if (refusal !== null) return sendJson(response, 403, { error: { code: 'refused', message: refusal } });
    if (method === 'GET' && target.pathname === '/api/events') return live.attach(response);
    const asset = method === 'GET' ? assets.get(target.pathname) : undefined;
    if (asset !== undefined) {
      response.writeHead(200, { 'content-type': asset.contentType, 'cache-control': 'no-store' });
      response.end(asset.body);
      return;
    }
    const body = method === 'POST' ? await readJson(request) : {};
    if (body === null) return sendJson(response, 400, { error: { code: 'invalid-json', message: `the body must be a JSON object of at most ${MAX_JSON_BYTES} bytes` } });
    if (method === 'POST' && (target.pathname === '/api/simulate/text' || target.pathname === '/api/simulate/status')) {
      const answer = await simulate(target.pathname, body);
      return sendJson(response, answer.status, answer.body);
    }
    const answer = await answerApi({ method, path: target.pathname, query: target.searchParams, body }, context);
    if (answer === null) return sendJson(response, 404, { error: { code: 'not-found', message: `nothing at ${target.pathname}` } });
    sendJson(response, answer.status, answer.body);
  };
  listener = (request, response) => {
    route(request, response).catch((error: unknown) => {
      log(`request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) sendJson(response, 500, { error: { code: 'internal-error', message: 'the server failed; see its log' } });
      else response.end();
    });
  };

  // The demo's clients are recorded either way; the morning's messages only in the demo (with a real number
  // they would be texted to the demo's fictional phones).
  if (options.seed !== false)
    await seedSalon(
    mc,
    simulator === null
      ? null
      : async (from, text, pictures) => {
          const answer = await simulator.text({ from, body: text, pictures });
          if (answer.status !== 200) throw new Error(`seeding an inbound message: webhook answered ${answer.status} ${answer.body}`);
        },
  );

  // Pages opened from now on find the seeded morning (a shared database's runners apply it a moment later).
  const head = await live.head();
  if (head !== undefined) await readModels.reached(head);

  return {
    url,
    messageCenter: mc,
    close: async () => {
      await live.close();
      await mc.stopLive();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
};

