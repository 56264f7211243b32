import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { createInMemoryEventStore } from '@message-center/core';
import { configFromEnvironment, describeConfigProblems } from '../../../examples/twilio-webhook-server/config.js';
import { DEFAULT_HTTP_LIMITS } from '../../../examples/twilio-webhook-server/http-limits.js';
import { startServer, type RunningServer } from '../../../examples/twilio-webhook-server/server.js';
import { startTwilioStub, type TwilioStub } from './support/twilio-stub.js';
import { formBody, inboundParams, send, statusParams, twilioRequest } from './support/webhook-http.js';

/**
 * The example server (`examples/twilio-webhook-server`) end to end: its `startServer` on 127.0.0.1:0 with
 * the loopback Twilio stub as the REST API, and signed webhooks over real HTTP, signed for PUBLIC_URL as
 * they would be behind a proxy. `main.ts` itself runs as a child process for the exit codes and signals.
 */

const PUBLIC = 'https://sms.example.com';
const BUSINESS = 'salon-42';
const BUSINESS_NUMBER = '+14155550100';
const CLIENT_PHONE = '+14155552671';
const staff = { kind: 'staff', businessId: BUSINESS, staffId: 'dana', permissions: ['send-email-sms'] } as const;
const EXAMPLE_DIR = fileURLToPath(new URL('../../../examples/twilio-webhook-server/', import.meta.url));

let stub: TwilioStub;
let running: RunningServer;
const store = createInMemoryEventStore();
const lines: Array<string> = [];
let sidCounter = 0;
const nextSid = () => `SM${(sidCounter += 1).toString(16).padStart(32, 'e')}`;

const must = async <A>(task: () => Promise<E.Either<{ readonly code: string; readonly message: string }, A>>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`${result.left.code}: ${result.left.message}`);
  return result.right;
};

const conversationEvents = async (type: string) => (await must(store.readAll({ streamPrefix: 'mc-conversation-' }))).filter((e) => e.type === type);

const origin = () => running.localUrl;
const postInbound = (m: { readonly sid: string; readonly body: string; readonly optOutType?: string }) =>
  send(origin(), twilioRequest('/twilio/sms', inboundParams({ from: CLIENT_PHONE, to: BUSINESS_NUMBER, ...m }), `${PUBLIC}/twilio/sms`, stub.authToken));
const view = () => must(running.messageCenter.conversation({ businessId: BUSINESS, conversationId: 'ana', viewer: staff }));

beforeAll(async () => {
  stub = await startTwilioStub();
  running = await startServer({
    accountSid: stub.accountSid,
    authToken: stub.authToken,
    // With a trailing slash, as users paste it.
    publicUrl: `${PUBLIC}/`,
    port: 0,
    host: '127.0.0.1',
    business: { businessId: BUSINESS, country: 'US', number: BUSINESS_NUMBER, messagesPerPeriod: 100 },
    store,
    twilioClient: stub.client(),
    log: (line) => lines.push(line),
  });
  await must(running.messageCenter.recordClient({ businessId: BUSINESS, actor: { kind: 'host', businessId: BUSINESS }, clientId: 'ana', uid: 'U-1', name: 'Ana Ruiz', cellPhone: CLIENT_PHONE }));
});

afterAll(async () => {
  await running.close();
  await stub.close();
});

describe('examples/twilio-webhook-server: startServer', () => {
  it('enables the business on start and derives both webhook URLs from PUBLIC_URL', () => {
    expect(running.localUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.webhookUrls).toEqual({ inbound: `${PUBLIC}/twilio/sms`, status: `${PUBLIC}/twilio/status` });
    expect(lines).toContainEqual(expect.stringContaining(`enabled   business ${BUSINESS} on ${BUSINESS_NUMBER}`));
  });

  it('a signed inbound SMS becomes one event; its redelivery appends nothing (V2)', async () => {
    const sid = nextSid();
    const first = await postInbound({ sid, body: 'Can I come at 4 instead?' });
    const again = await postInbound({ sid, body: 'Can I come at 4 instead?' });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(first.body).toContain('<Response></Response>');
    expect(first.headers['content-type']).toMatch(/^text\/xml/);
    const inbound = await conversationEvents('InboundReceived');
    expect(inbound.filter((e) => JSON.stringify(e.data).includes(sid))).toHaveLength(1);
    expect((await view()).messageCount).toBe(1);
    expect(lines.filter((l) => l.includes(sid))).toEqual([
      expect.stringMatching(/^inbound +200 accepted .* conversation ana; client subscribed$/),
      expect.stringMatching(/redelivery, nothing appended/),
    ]);
  });

  it('sends through Twilio with a status callback under PUBLIC_URL; out-of-order callbacks end delivered (V10)', async () => {
    const sent = await must(running.messageCenter.sendMessage({ businessId: BUSINESS, actor: staff, clientId: 'ana', body: 'Sure, 4pm it is.' }));
    expect(sent.status).toBe('queued');
    const create = stub.requests.filter((r) => r.path.endsWith('/Messages.json')).at(-1);
    const statusPath = `/twilio/status?messageId=${encodeURIComponent(sent.messageId)}`;
    expect(create?.form).toEqual(
      expect.arrayContaining([
        ['To', CLIENT_PHONE],
        ['From', BUSINESS_NUMBER],
        ['StatusCallback', `${PUBLIC}${statusPath}`],
      ]),
    );
    expect(stub.violations()).toEqual([]);
    const sid = (await view()).deliveries.find((d) => d.messageId === sent.messageId)?.providerMessageId ?? '';
    expect(sid).toMatch(/^SM/);

    for (const status of ['delivered', 'sent', 'delivered']) {
      const answer = await send(origin(), twilioRequest(statusPath, statusParams({ sid, status }), `${PUBLIC}${statusPath}`, stub.authToken));
      expect(answer.status).toBe(200);
    }
    expect((await view()).deliveries.find((d) => d.messageId === sent.messageId)?.status).toBe('delivered');
    expect(lines.filter((l) => l.startsWith('status') && l.includes(sid))).toEqual([
      expect.stringMatching(/200 accepted .* delivered → delivered$/),
      expect.stringMatching(/sent → delivered \(unchanged\)$/),
      expect.stringMatching(/delivered → delivered \(unchanged\)$/),
    ]);
  });

  it('STOP unsubscribes the client; a later send is refused and never reaches Twilio (V3)', async () => {
    const answer = await postInbound({ sid: nextSid(), body: 'STOP', optOutType: 'STOP' });
    expect(answer.status).toBe(200);
    expect((await view()).subscription.status).toBe('unsubscribed');
    expect(lines.at(-1)).toMatch(/client unsubscribed$/);
    const creates = stub.requests.length;
    const refused = await running.messageCenter.sendMessage({ businessId: BUSINESS, actor: staff, clientId: 'ana', body: 'See you!' })();
    expect(E.isLeft(refused) && refused.left.code).toBe('client-unsubscribed');
    expect(stub.requests.length).toBe(creates);
  });

  it('an unknown MessageSid in a status callback is answered 200 and logged as refused', async () => {
    const sid = nextSid();
    const answer = await send(origin(), twilioRequest('/twilio/status', statusParams({ sid, status: 'delivered' }), `${PUBLIC}/twilio/status`, stub.authToken));
    expect(answer.status).toBe(200);
    expect(lines.at(-1)).toMatch(new RegExp(`^status +200 refused +${sid} message-not-found`));
  });

  it('forged, unsigned and malformed webhooks are refused before anything is appended, each with one log line', async () => {
    const before = (await conversationEvents('InboundReceived')).length;
    const logged = lines.length;
    const params = inboundParams({ sid: nextSid(), from: CLIENT_PHONE, to: BUSINESS_NUMBER, body: 'forged' });
    const forged = await send(origin(), twilioRequest('/twilio/sms', params, `${PUBLIC}/twilio/sms`, 'not-the-auth-token'));
    // Signed for the address the server listens on rather than PUBLIC_URL: what a proxy setup gets wrong.
    const wrongUrl = await send(origin(), twilioRequest('/twilio/sms', params, `${origin()}/twilio/sms`, stub.authToken));
    const unsigned = await send(origin(), {
      path: '/twilio/sms',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: formBody(params),
    });
    const withoutSid = inboundParams({ sid: '', from: CLIENT_PHONE, to: BUSINESS_NUMBER, body: 'no sid' }).filter(([n]) => !n.endsWith('Sid') || n === 'AccountSid');
    const malformed = await send(origin(), twilioRequest('/twilio/sms', withoutSid, `${PUBLIC}/twilio/sms`, stub.authToken));
    expect([forged.status, wrongUrl.status, unsigned.status, malformed.status]).toEqual([403, 403, 403, 400]);
    expect((await conversationEvents('InboundReceived')).length).toBe(before);
    expect(lines.slice(logged)).toEqual([
      expect.stringMatching(`^inbound +403 forbidden bad-signature; checked against ${PUBLIC}/twilio/sms$`),
      expect.stringMatching(/^inbound +403 forbidden bad-signature/),
      expect.stringMatching(/^inbound +403 forbidden missing-signature/),
      expect.stringMatching(/^POST +400 \/twilio\/sms Bad Request: MessageSid is missing$/),
    ]);
  });

  it('never logs the auth token', () => {
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.filter((l) => l.includes(stub.authToken))).toEqual([]);
  });
});

describe('examples/twilio-webhook-server: configuration', () => {
  const token = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
  const complete = {
    TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
    TWILIO_AUTH_TOKEN: token,
    PUBLIC_URL: 'https://sms.example.com/hooks/',
    BUSINESS_ID: BUSINESS,
    BUSINESS_COUNTRY: 'us',
    BUSINESS_NUMBER: BUSINESS_NUMBER,
  };

  it('reads the environment with its defaults', () => {
    expect(configFromEnvironment(complete)).toEqual(
      E.right({
        accountSid: complete.TWILIO_ACCOUNT_SID,
        authToken: token,
        publicUrl: 'https://sms.example.com/hooks',
        port: 3000,
        host: '127.0.0.1',
        business: { businessId: BUSINESS, country: 'US', number: BUSINESS_NUMBER, messagesPerPeriod: 1000 },
        http: DEFAULT_HTTP_LIMITS,
      }),
    );
  });

  it('lists every missing and invalid variable at once, without the token', () => {
    const result = configFromEnvironment({ TWILIO_AUTH_TOKEN: token, PUBLIC_URL: 'sms.example.com', PORT: '70000', BUSINESS_ID: ' ' });
    expect(E.isLeft(result)).toBe(true);
    if (E.isRight(result)) return;
    expect(result.left.missing).toEqual(['TWILIO_ACCOUNT_SID', 'BUSINESS_ID', 'BUSINESS_COUNTRY', 'BUSINESS_NUMBER']);
    expect(result.left.invalid).toEqual([
      'PUBLIC_URL is not an absolute URL: "sms.example.com"',
      'PORT must be an integer from 0 to 65535, got "70000"',
    ]);
    expect(describeConfigProblems(result.left)).not.toContain(token);
  });
});

interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `main.ts` as `pnpm start` runs it (tsx, source condition), with exactly this environment. */
const runMain = (env: Readonly<Record<string, string>>, onStdout?: (text: string, signal: (s: NodeJS.Signals) => void) => void): Promise<Exit> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@message-center/source', '--import', 'tsx', 'main.ts'], {
      cwd: EXAMPLE_DIR,
      env: { ...env, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      onStdout?.(stdout, (s) => child.kill(s));
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });

describe('examples/twilio-webhook-server: main.ts', () => {
  const token = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

  it('exits 2 listing what is missing, and never prints the token', async () => {
    const exit = await runMain({ TWILIO_AUTH_TOKEN: token, PUBLIC_URL: 'https://sms.example.com' });
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain('missing: TWILIO_ACCOUNT_SID, BUSINESS_ID, BUSINESS_COUNTRY, BUSINESS_NUMBER');
    expect(exit.stdout + exit.stderr).not.toContain(token);
  }, 30_000);

  it.each(['SIGTERM', 'SIGINT'] as const)('starts on 127.0.0.1 and exits 0 on %s', async (signal) => {
    let sent = false;
    const exit = await runMain(
      {
        TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
        TWILIO_AUTH_TOKEN: token,
        PUBLIC_URL: 'https://sms.example.com',
        BUSINESS_ID: BUSINESS,
        BUSINESS_COUNTRY: 'US',
        BUSINESS_NUMBER: BUSINESS_NUMBER,
        PORT: '0',
      },
      (stdout, kill) => {
        if (!sent && stdout.includes('status callbacks:')) {
          sent = true;
          kill(signal);
        }
      },
    );
    expect(exit.stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ \(store: in-memory/);
    expect(exit.stdout).toContain(`${signal}: stopping`);
    expect(exit.stdout).toContain('stopped');
    expect(exit.code).toBe(0);
    expect(exit.stdout + exit.stderr).not.toContain(token);
  }, 30_000);
});
