import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { createInMemoryEventStore } from '@message-center/core';
import { configFromEnvironment, ENVIRONMENT_HELP } from '../../../examples/twilio-webhook-server/config.js';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from '../../../examples/twilio-webhook-server/http-limits.js';
import { startServer, type RunningServer } from '../../../examples/twilio-webhook-server/server.js';
import { startTwilioStub, type TwilioStub } from './support/twilio-stub.js';
import { inboundParams, twilioRequest } from './support/webhook-http.js';

/**
 * Issue 11: the example server set no request, headers or keep-alive timeout and no connection limit, so
 * 500 slow-body connections were held for 313 s. Each test starts the server on 127.0.0.1:0 with small
 * limits and talks to it over raw sockets, so the bytes (and their pace) are the test's; every wait is bounded.
 */

const PUBLIC = 'https://sms.example.com';
const BUSINESS = 'salon-7';
const BUSINESS_NUMBER = '+14155550100';

let stub: TwilioStub;
const running: Array<RunningServer> = [];
const sockets: Array<Socket> = [];
const timers: Array<NodeJS.Timeout> = [];

beforeAll(async () => {
  stub = await startTwilioStub();
});
afterEach(async () => {
  timers.splice(0).forEach(clearInterval);
  sockets.splice(0).forEach((s) => s.destroy());
  await Promise.all(running.splice(0).map((r) => r.close()));
});
afterAll(async () => {
  await stub.close();
});

const start = async (http: Partial<HttpLimits>, lines: Array<string> = []): Promise<RunningServer> => {
  const server = await startServer({
    accountSid: stub.accountSid,
    authToken: stub.authToken,
    publicUrl: PUBLIC,
    port: 0,
    host: '127.0.0.1',
    business: { businessId: BUSINESS, country: 'US', number: BUSINESS_NUMBER, messagesPerPeriod: 100 },
    store: createInMemoryEventStore(),
    twilioClient: stub.client(),
    log: (line) => lines.push(line),
    shutdownGraceMs: 200,
    http,
  });
  running.push(server);
  return server;
};

interface Watched {
  readonly socket: Socket;
  /** Everything the server sent so far. */
  readonly received: () => string;
  /** Resolves with the milliseconds from `since` to the close, or null if still open after `withinMs`. */
  readonly closed: (withinMs: number) => Promise<number | null>;
  readonly since: number;
}

const open = (server: RunningServer): Promise<Watched> =>
  new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    sockets.push(socket);
    let text = '';
    let closedAt: number | null = null;
    const waiters: Array<() => void> = [];
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    // A reset is one way of being cut off; it is not a test failure.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closedAt = performance.now();
      waiters.splice(0).forEach((w) => w());
    });
    socket.once('connect', () => {
      const since = performance.now();
      resolve({
        socket,
        since,
        received: () => text,
        closed: (withinMs) =>
          new Promise((done) => {
            const answer = () => done(closedAt === null ? null : closedAt - since);
            if (closedAt !== null) return answer();
            const timer = setTimeout(answer, withinMs);
            waiters.push(() => {
              clearTimeout(timer);
              answer();
            });
          }),
      });
    });
    socket.once('error', reject);
  });

/** Writes `piece` every `everyMs` until the socket closes or the test ends. */
const trickle = (w: Watched, piece: string, everyMs: number): void => {
  const timer = setInterval(() => {
    if (!w.socket.destroyed) w.socket.write(piece);
  }, everyMs);
  timers.push(timer);
};

const head = (server: RunningServer, extra: Readonly<Record<string, string>>) =>
  `POST /twilio/sms HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n${Object.entries(extra)
    .map(([n, v]) => `${n}: ${v}\r\n`)
    .join('')}`;

/** A complete signed inbound-SMS request as raw HTTP/1.1. */
const signedRequest = (server: RunningServer, sid: string, connection: 'keep-alive' | 'close'): string => {
  const r = twilioRequest('/twilio/sms', inboundParams({ sid, from: '+14155552671', to: BUSINESS_NUMBER, body: 'hello' }), `${PUBLIC}/twilio/sms`, stub.authToken);
  return `${head(server, { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)), connection })}\r\n${r.body}`;
};

describe('examples/twilio-webhook-server: HTTP limits', () => {
  it('cuts off a client that trickles its body, within the request timeout, and records nothing', async () => {
    const lines: Array<string> = [];
    const server = await start({ requestTimeoutMs: 400, headersTimeoutMs: 200 }, lines);
    const w = await open(server);
    w.socket.write(`${head(server, { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'sig', 'content-length': '10000' })}\r\n`);
    trickle(w, 'a', 50);
    const after = await w.closed(3_000);
    expect(after).not.toBeNull();
    // Not before the 400 ms request timeout (minus timer slack); the upper bound is the wait above, which is
    // generous so that a loaded CI machine does not turn scheduling delay into a failure.
    expect(after ?? Number.POSITIVE_INFINITY).toBeGreaterThanOrEqual(350);
    expect(w.received()).not.toMatch(/^HTTP\/1\.1 200/);
    expect(lines.filter((l) => l.includes('accepted'))).toEqual([]);
    // The handler that was reading the body finished too (nothing left waiting for the rest).
    await expect.poll(() => lines, { timeout: 1_000 }).toContainEqual(expect.stringMatching(/^POST +400 \/twilio\/sms Bad Request: unreadable body$/));
  }, 10_000);

  it('cuts off a client that trickles its headers, within the headers timeout', async () => {
    const server = await start({ requestTimeoutMs: 2_000, headersTimeoutMs: 300 });
    const w = await open(server);
    w.socket.write('POST /twilio/sms HTTP/1.1\r\n');
    trickle(w, 'X-Slow: 1\r\n', 50);
    const after = await w.closed(3_000);
    expect(after).not.toBeNull();
    // Before the 2 s request timeout: the headers timeout cut it.
    expect(after ?? Number.POSITIVE_INFINITY).toBeLessThan(1_900);
  }, 10_000);

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const server = await start({ keepAliveTimeoutMs: 300 });
    const w = await open(server);
    w.socket.write(signedRequest(server, 'SM00000000000000000000000000000a01', 'keep-alive'));
    const after = await w.closed(3_000);
    expect(w.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(after).not.toBeNull();
  }, 10_000);

  it('refuses connections beyond the limit at once, logs it, and still serves the open ones', async () => {
    const lines: Array<string> = [];
    const server = await start({ maxConnections: 2, requestTimeoutMs: 5_000, headersTimeoutMs: 5_000 }, lines);
    const held = [await open(server), await open(server)];
    for (const h of held) h.socket.write('POST /twilio/sms HTTP/1.1\r\n');
    // Let the server account for both before the next one arrives.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const extra = await open(server);
    const after = await extra.closed(2_000);
    expect(after).not.toBeNull();
    // Well before the held connections' 5 s timeouts: refused at once, not timed out.
    expect(after ?? Number.POSITIVE_INFINITY).toBeLessThan(2_000);
    expect(extra.received()).toBe('');
    expect(lines).toContainEqual(expect.stringMatching(/^http +refused +1 connection\(s\): 2 already open \(HTTP_MAX_CONNECTIONS\)$/));

    // One of the held connections finishes its request and is answered normally.
    held[0]?.socket.end(`Host: x\r\n\r\n`);
    held[1]?.socket.destroy();
    const fresh = await open(server);
    fresh.socket.write(signedRequest(server, 'SM00000000000000000000000000000a02', 'close'));
    expect(await fresh.closed(3_000)).not.toBeNull();
    expect(fresh.received()).toMatch(/^HTTP\/1\.1 200 /);
  }, 10_000);

  it('refuses a headers timeout longer than the request timeout at start', async () => {
    await expect(start({ requestTimeoutMs: 1_000, headersTimeoutMs: 2_000 })).rejects.toThrow(RangeError);
  });
});

describe('examples/twilio-webhook-server: HTTP limits from the environment', () => {
  const complete = {
    TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
    TWILIO_AUTH_TOKEN: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    PUBLIC_URL: 'https://sms.example.com',
    BUSINESS_ID: BUSINESS,
    BUSINESS_COUNTRY: 'US',
    BUSINESS_NUMBER: BUSINESS_NUMBER,
  };

  it('defaults to sane limits, and reads each from its variable', () => {
    expect(DEFAULT_HTTP_LIMITS).toEqual({ requestTimeoutMs: 10_000, headersTimeoutMs: 5_000, keepAliveTimeoutMs: 5_000, maxConnections: 256 });
    const defaults = configFromEnvironment(complete);
    expect(E.isRight(defaults) && defaults.right.http).toEqual(DEFAULT_HTTP_LIMITS);
    const set = configFromEnvironment({
      ...complete,
      HTTP_REQUEST_TIMEOUT_MS: '20000',
      HTTP_HEADERS_TIMEOUT_MS: '8000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
      HTTP_MAX_CONNECTIONS: '64',
    });
    expect(E.isRight(set) && set.right.http).toEqual({ requestTimeoutMs: 20_000, headersTimeoutMs: 8_000, keepAliveTimeoutMs: 1_000, maxConnections: 64 });
  });

  it('lists every unusable limit', () => {
    const result = configFromEnvironment({ ...complete, HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_HEADERS_TIMEOUT_MS: '2000', HTTP_MAX_CONNECTIONS: '0', HTTP_KEEP_ALIVE_TIMEOUT_MS: '5s' });
    expect(E.isLeft(result) && result.left.invalid).toEqual([
      'HTTP_KEEP_ALIVE_TIMEOUT_MS must be an integer from 100 to 600000, got "5s"',
      'HTTP_MAX_CONNECTIONS must be an integer from 1 to 100000, got "0"',
      'HTTP_HEADERS_TIMEOUT_MS (2000) must not be longer than HTTP_REQUEST_TIMEOUT_MS (1000)',
    ]);
  });

  it('documents the variables in --help', () => {
    for (const name of ['HTTP_REQUEST_TIMEOUT_MS', 'HTTP_HEADERS_TIMEOUT_MS', 'HTTP_KEEP_ALIVE_TIMEOUT_MS', 'HTTP_MAX_CONNECTIONS']) {
      expect(ENVIRONMENT_HELP).toContain(name);
    }
  });
});
