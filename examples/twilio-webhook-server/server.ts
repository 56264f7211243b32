import { createServer, type Server } from 'node:http';
import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import {
  createInMemoryEventStore,
  createInMemoryNumberProvisioning,
  createMessageCenter,
  type Clock,
  type EventStore,
  type IdGenerator,
  type MessageCenter,
} from '@message-center/core';
import {
  createTwilioTransport,
  createTwilioWebhookHandler,
  DEFAULT_WEBHOOK_PATHS,
  toNodeListener,
  type TwilioMessagesClient,
  type TwilioWebhookHandler,
  type WebhookRoute,
  type WebhookTarget,
} from '@message-center/twilio';
import type { ServerConfig } from './config.js';
import { DEFAULT_HTTP_LIMITS, limitsProblem, nodeServerOptions, type HttpLimits } from './http-limits.js';

export interface ServerOptions extends Omit<ServerConfig, 'http'> {
  /** Default: `DEFAULT_HTTP_LIMITS`, each limit replaceable on its own. */
  readonly http?: Partial<HttpLimits>;
  /** Default: the embedded in-memory store (`main.ts` passes EventStoreDB when `EVENTSTOREDB_URL` is set). */
  readonly store?: EventStore;
  readonly ids?: IdGenerator;
  readonly clock?: Clock;
  /** Default: a twilio SDK client built from the credentials. Tests pass one pointed at a loopback stub. */
  readonly twilioClient?: TwilioMessagesClient;
  /** Receives one line per webhook and per startup step; the auth token is removed before it is called. */
  readonly log?: (line: string) => void;
  /** How long `close()` lets requests in flight finish before it cuts their connections (default 5 s). */
  readonly shutdownGraceMs?: number;
}

export interface RunningServer {
  /** Where the server listens, e.g. `http://127.0.0.1:3000`. */
  readonly localUrl: string;
  readonly port: number;
  /** The URLs to configure at Twilio (both HTTP POST). */
  readonly webhookUrls: { readonly inbound: string; readonly status: string };
  /** The facade the webhooks write to; a host application sends messages and reads the inbox through it. */
  readonly messageCenter: MessageCenter;
  /** Stops accepting connections and resolves once the requests in flight are answered. */
  readonly close: () => Promise<void>;
}

const describeError = (error: unknown): string => {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) return `${String(error.code)}: ${String(error.message)}`;
  return String(error);
};

const unwrap = async <A>(what: string, task: TE.TaskEither<{ readonly code: string; readonly message: string }, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`${what}: ${result.left.code}: ${result.left.message}`);
  return result.right;
};

const pad = (route: WebhookRoute): string => route.padEnd(7);

/**
 * Enables the business and starts a `node:http` server for Twilio's two webhooks, wired to a Message
 * Center whose outbound messages go through Twilio with a status callback under `publicUrl`.
 */
export const startServer = async (options: ServerOptions): Promise<RunningServer> => {
  const token = options.authToken;
  const print = options.log ?? ((line: string) => console.log(line));
  // Defence in depth: nothing logged here should contain the token, and this makes sure of it.
  const log = (line: string): void => print(line.split(token).join('[redacted]').split(encodeURIComponent(token)).join('[redacted]'));

  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const webhookUrls = { inbound: publicUrl + DEFAULT_WEBHOOK_PATHS.inbound, status: publicUrl + DEFAULT_WEBHOOK_PATHS.status };

  const transport = createTwilioTransport({
    accountSid: options.accountSid,
    authToken: token,
    // The message id in the query lets a status callback be traced to its message in the logs.
    statusCallbackUrl: (messageId) => `${webhookUrls.status}?messageId=${encodeURIComponent(messageId)}`,
    onRetry: ({ attempt, delayMs, error }) => log(`send    retry     attempt ${attempt} failed (${error.message}); next in ${delayMs} ms`),
    ...(options.twilioClient === undefined ? {} : { client: options.twilioClient }),
  });
  // Issue 13: BUSINESS_NUMBER is the number the operator set up for two-way SMS in the Twilio console, so
  // the account holds it. A host that lets staff choose among suggested numbers wires
  // `createTwilioNumberProvisioning` here instead (docs/twilio.md, "Numbers from suggestions").
  const numbers = createInMemoryNumberProvisioning({ account: [options.business.number] });
  const messageCenter = createMessageCenter({
    store: options.store ?? createInMemoryEventStore(),
    transport,
    numbers,
    ...(options.ids === undefined ? {} : { ids: options.ids }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });

  // B1 on a fresh store. On a persistent one the business may be enabled already: the environment then
  // says what its number and plan are now (a different number is a number change, B2).
  const { business } = options;
  const allotment = { messagesPerPeriod: business.messagesPerPeriod, overage: 'refuse' } as const;
  const enabled = await messageCenter.enableMessageCenter({ businessId: business.businessId, actor: { kind: 'host', businessId: business.businessId }, country: business.country, number: business.number, allotment })();
  if (E.isRight(enabled)) {
    log(`startup enabled   business ${business.businessId} on ${enabled.right.number}`);
  } else if (enabled.left.code === 'message-center-already-enabled') {
    const changed = await unwrap(`cannot set the number of business ${business.businessId}`, messageCenter.changeNumber({ businessId: business.businessId, actor: { kind: 'host', businessId: business.businessId }, number: business.number }));
    await unwrap(`cannot set the plan of business ${business.businessId}`, messageCenter.changePlan({ businessId: business.businessId, actor: { kind: 'host', businessId: business.businessId }, allotment }));
    log(`startup enabled   business ${business.businessId} was enabled already; its number is ${changed.number}`);
  } else {
    throw new Error(`cannot enable the Message Center for business ${business.businessId}: ${enabled.left.code}: ${enabled.left.message}`);
  }
  // The outbox: messages recorded before a crash or restart but never handed to Twilio go now.
  const resumed = await unwrap('cannot resume the outbox', messageCenter.dispatchPending());
  if (resumed.dispatched + resumed.failed + resumed.retryLater > 0) {
    log(`startup outbox    ${resumed.dispatched} sent, ${resumed.failed} failed, ${resumed.retryLater} to retry later`);
  }

  // Logs each accepted webhook; refusals, 403 and 500 are logged by the handler's hooks below.
  const target: WebhookTarget = {
    receiveInbound: (sms) =>
      pipe(
        messageCenter.receiveInbound(sms),
        TE.map((received) => {
          log(
            `${pad('inbound')} 200 accepted  ${sms.providerMessageId} → conversation ${received.conversationId}` +
              `${received.duplicate ? ' (redelivery, nothing appended)' : ''}; client ${received.subscription.status}`,
          );
          return received;
        }),
      ),
    recordDeliveryStatus: (report) =>
      pipe(
        messageCenter.recordDeliveryStatus(report),
        TE.map((recorded) => {
          log(`${pad('status')} 200 accepted  ${report.providerMessageId} ${report.status} → ${recorded.status}${recorded.changed ? '' : ' (unchanged)'}`);
          return recorded;
        }),
      ),
  };
  const handler = createTwilioWebhookHandler({
    authToken: token,
    accountSid: options.accountSid,
    target,
    publicUrl,
    onRejected: ({ route, providerMessageId, error }) => log(`${pad(route)} 200 refused   ${providerMessageId} ${error.code}: ${error.message}`),
    onError: ({ route, providerMessageId, error }) => log(`${pad(route)} 500 failed    ${providerMessageId} ${describeError(error)}`),
    onUnauthorized: ({ route, reason, signedUrl }) => log(`${pad(route)} 403 forbidden ${reason}; checked against ${signedUrl}`),
  });
  // The answers no hook reports (400, 404, 405, 413) get their line here, so every request has one.
  const logged: TwilioWebhookHandler = async (request, context) => {
    const response = await handler(request, context);
    if (response.status !== 200 && response.status !== 403 && response.status !== 500) {
      const why = response.status === 400 ? ` ${await response.clone().text()}` : '';
      log(`${request.method.padEnd(7)} ${response.status} ${new URL(request.url).pathname}${why}`);
    }
    return response;
  };

  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...options.http };
  const problem = limitsProblem(limits);
  if (problem !== null) throw new RangeError(problem);
  const server: Server = createServer(nodeServerOptions(limits), toNodeListener(logged, { onError: (error) => log(`answer  failed    ${describeError(error)}`) }));
  server.maxConnections = limits.maxConnections;
  // One line for the first refused connection, then at most one every 10 s: a flood must not flood the log too.
  let refused = 0;
  let loggedAt = Number.NEGATIVE_INFINITY;
  server.on('drop', () => {
    refused += 1;
    if (performance.now() - loggedAt < 10_000) return;
    log(`http    refused   ${refused} connection(s): ${limits.maxConnections} already open (HTTP_MAX_CONNECTIONS)`);
    refused = 0;
    loggedAt = performance.now();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      const grace = setTimeout(() => server.closeAllConnections(), options.shutdownGraceMs ?? 5_000);
      grace.unref();
      server.close((error) => {
        clearTimeout(grace);
        if (error === undefined) resolve();
        else reject(error);
      });
      // Keep-alive connections with no request in flight would otherwise hold `close` open.
      server.closeIdleConnections();
    });
    return closing;
  };

  return { localUrl: `http://${host}:${port}`, port, webhookUrls, messageCenter, close };
};
