import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import type { OutgoingSms, SmsTransport, TransportError } from '@message-center/core';
import { createTwilioTransport, type RetryEvent, type TwilioTransportOptions } from '../src/index.js';
import { backoffDelay, resolveRetry } from '../src/retry.js';
import { startTwilioStub, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, type TwilioStub } from './support/twilio-stub.js';
import { brand } from './support/brand.js';
import { AT_LEAST_1000_RUNS, PROPERTY_TIMEOUT_MS } from './support/runs.js';

let stub: TwilioStub;
beforeAll(async () => {
  stub = await startTwilioStub();
});
afterAll(async () => {
  await stub.close();
});

const sms: OutgoingSms = {
  messageId: brand.messageId('msg-1'),
  from: brand.e164('+14155550100'),
  to: brand.e164('+14155552671'),
  body: 'Your appointment is tomorrow at 10:00. Reply STOP to opt out.',
};

interface Harness {
  readonly transport: SmsTransport;
  readonly sleeps: Array<number>;
  readonly retries: Array<RetryEvent>;
}

const harness = (overrides: Partial<TwilioTransportOptions> = {}): Harness => {
  const sleeps: Array<number> = [];
  const retries: Array<RetryEvent> = [];
  const transport = createTwilioTransport({
    accountSid: TEST_ACCOUNT_SID,
    authToken: TEST_AUTH_TOKEN,
    client: stub.client(),
    statusCallbackUrl: (id) => `https://sms.example.com/twilio/status?messageId=${encodeURIComponent(id)}`,
    retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) },
    onRetry: (e) => retries.push(e),
    ...overrides,
  });
  return { transport, sleeps, retries };
};

const lastCreate = () => {
  const request = stub.requests.filter((r) => r.report.operationId === 'CreateMessage' || r.path.endsWith('/Messages.json')).at(-1);
  if (request === undefined) throw new Error('no Messages request was captured');
  return { request, field: (name: string) => request.form.filter(([n]) => n === name).map(([, v]) => v) };
};

/** Every way a secret could leak out of an error: its JSON, its string form and a deep inspection. */
const expectNoSecret = (value: unknown): void => {
  const basic = Buffer.from(`${TEST_ACCOUNT_SID}:${TEST_AUTH_TOKEN}`).toString('base64');
  for (const text of [JSON.stringify(value), String(value), inspect(value, { depth: 10, showHidden: true })]) {
    expect(text).not.toContain(TEST_AUTH_TOKEN);
    expect(text).not.toContain(basic);
  }
};

beforeEach(() => {
  expect(stub.violations()).toEqual([]);
});

describe('createTwilioTransport: sending', () => {
  it('sends To, From, Body and the status callback URL, and returns the message sid', async () => {
    const { transport } = harness();
    const result = await transport.send(sms)();
    expect(E.isRight(result)).toBe(true);
    if (E.isRight(result)) {
      expect(result.right.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
      expect(result.right.status).toBe('queued');
    }
    const { request, field } = lastCreate();
    expect(request.method).toBe('POST');
    expect(request.path).toBe(`/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/Messages.json`);
    expect(field('To')).toEqual([sms.to]);
    expect(field('From')).toEqual([sms.from]);
    expect(field('Body')).toEqual([sms.body]);
    expect(field('StatusCallback')).toEqual(['https://sms.example.com/twilio/status?messageId=msg-1']);
    expect(field('MessagingServiceSid')).toEqual([]);
  });

  it('sends through a Messaging Service instead of From when one is configured', async () => {
    const { transport } = harness({ messagingServiceSid: 'MG0123456789abcdef0123456789abcdef' });
    const result = await transport.send(sms)();
    expect(E.isRight(result)).toBe(true);
    const { field } = lastCreate();
    expect(field('MessagingServiceSid')).toEqual(['MG0123456789abcdef0123456789abcdef']);
    expect(field('From')).toEqual([]);
  });

  it("every request matches Twilio's OpenAPI description of CreateMessage", async () => {
    const { transport } = harness();
    await transport.send({ ...sms, body: 'Unicode ✓ — émojis 👍 & symbols +%=' })();
    const { request } = lastCreate();
    expect(request.report).toEqual({ operationId: 'CreateMessage', problems: [] });
    expect(stub.violations()).toEqual([]);
  });

  it('refuses a status callback URL that is not absolute, without calling Twilio', async () => {
    const before = stub.requests.length;
    const { transport } = harness({ statusCallbackUrl: () => '/twilio/status' });
    const result = await transport.send(sms)();
    expect(result).toEqual(E.left(expect.objectContaining({ code: 'rejected' })));
    expect(stub.requests.length).toBe(before);
  });
});

describe('createTwilioTransport: Twilio errors', () => {
  const finalCases: ReadonlyArray<readonly [number, TransportError['code'], string]> = [
    [21610, 'recipient-unsubscribed', 'Attempt to send to unsubscribed recipient'],
    [21211, 'invalid-number', "Invalid 'To' Phone Number"],
    [21614, 'not-a-mobile-number', "'To' number is not a valid mobile number"],
    [21635, 'not-a-mobile-number', "'To' number cannot be a landline"],
    [21408, 'region-not-enabled', 'Permission to send an SMS has not been enabled for the region'],
    [21606, 'sender-not-sms-capable', "The 'From' phone number provided is not a valid message-capable Twilio phone number"],
    [21602, 'rejected', 'Message body is required'],
  ];

  it.each(finalCases)('Twilio error %i becomes %s, without retrying', async (code, expected, message) => {
    stub.script('CreateMessage', { kind: 'error', status: 400, code, message });
    const { transport, sleeps } = harness();
    const before = stub.requests.length;
    const result = await transport.send(sms)();
    expect(E.isLeft(result)).toBe(true);
    if (E.isLeft(result)) {
      expect(result.left.code).toBe(expected);
      expect(result.left.providerCode).toBe(code);
      expect(result.left.message).toContain(message);
      expectNoSecret(result.left);
    }
    expect(stub.requests.length - before).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('retries 20429 and 5xx with backoff, then succeeds', async () => {
    stub.script(
      'CreateMessage',
      { kind: 'error', status: 429, code: 20429, message: 'Too Many Requests' },
      { kind: 'error', status: 503, code: 20503, message: 'Service Unavailable' },
    );
    const { transport, sleeps, retries } = harness();
    const before = stub.requests.length;
    const result = await transport.send(sms)();
    expect(E.isRight(result)).toBe(true);
    expect(stub.requests.length - before).toBe(3);
    // random() = 0.5: half of 100·2⁰ and of 100·2¹.
    expect(sleeps).toEqual([50, 100]);
    expect(retries.map((r) => [r.attempt, r.error.code, r.error.providerCode])).toEqual([
      [1, 'retryable', 20429],
      [2, 'retryable', 20503],
    ]);
    retries.forEach(expectNoSecret);
  });

  it('gives up after maxAttempts and reports retryable with the last status', async () => {
    stub.script('CreateMessage', ...Array.from({ length: 4 }, () => ({ kind: 'error', status: 500, code: 20500, message: 'Internal Server Error' }) as const));
    const { transport, sleeps } = harness();
    const before = stub.requests.length;
    const result = await transport.send(sms)();
    expect(stub.requests.length - before).toBe(4);
    expect(sleeps).toHaveLength(3);
    expect(result).toEqual(
      E.left(expect.objectContaining({ code: 'retryable', providerCode: 20500, status: 500, message: expect.stringContaining('after 4 attempts') })),
    );
  });

  // Issue 12: the outbox releases its claim after a 429 (Twilio certainly took nothing), so a 429 that
  // follows an attempt Twilio may have taken (a 5xx, a dropped connection) must not look like one.
  it('a 503 then a 429 is reported as a failure with no answer (status null), not as a rate limit', async () => {
    stub.script('CreateMessage', { kind: 'error', status: 503, code: 20503, message: 'Service Unavailable' }, { kind: 'error', status: 429, code: 20429, message: 'Too Many Requests' });
    const { transport } = harness({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined } });
    const result = await transport.send(sms)();
    expect(result).toEqual(E.left(expect.objectContaining({ code: 'retryable', providerCode: 20429, status: null, message: expect.stringContaining('may have reached Twilio') })));
  });

  it('retries an HTTP 429 without a Twilio code', async () => {
    stub.script('CreateMessage', { kind: 'error', status: 429, code: 0 });
    const { transport, sleeps } = harness();
    const result = await transport.send(sms)();
    expect(E.isRight(result)).toBe(true);
    expect(sleeps).toHaveLength(1);
  });

  it('retries a dropped connection and reports it as retryable when it persists', async () => {
    stub.script('CreateMessage', ...Array.from({ length: 2 }, () => ({ kind: 'drop' }) as const));
    const { transport, retries } = harness({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined } });
    const result = await transport.send(sms)();
    expect(result).toEqual(E.left(expect.objectContaining({ code: 'retryable', providerCode: null, status: null })));
    expect(retries).toHaveLength(1);
    expectNoSecret(result);
    expectNoSecret(retries);
  });

  it('reports a refused connection (no server) as retryable, never leaking the token', async () => {
    const client = stub.client();
    client.api.baseUrl = 'http://127.0.0.1:9'; // discard port: nothing listens
    const { transport } = harness({ client, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined } });
    const result = await transport.send(sms)();
    expect(result).toEqual(E.left(expect.objectContaining({ code: 'retryable' })));
    expectNoSecret(result);
  });

  // Issue 11: a token being rotated must not fail every message in the outbox for good.
  it('a wrong auth token (401, 20003) is authentication-failed, not retried here, and neither token appears in the error', async () => {
    const wrongToken = '0123456789abcdef0123456789abcdef';
    const sleeps: Array<number> = [];
    const transport = createTwilioTransport({
      accountSid: TEST_ACCOUNT_SID,
      authToken: wrongToken,
      client: stub.client({ authToken: wrongToken }),
      statusCallbackUrl: () => 'https://sms.example.com/twilio/status',
      retry: { sleep: async (ms) => void sleeps.push(ms) },
    });
    const before = stub.requests.length;
    const result = await transport.send(sms)();
    expect(result).toEqual(E.left(expect.objectContaining({ code: 'authentication-failed', providerCode: 20003 })));
    expect(E.isLeft(result) && result.left.message).toMatch(/authentication failed.*credentials/i);
    // The same credentials would fail the same way: the outbox tries again later instead.
    expect(stub.requests.length - before).toBe(1);
    expect(sleeps).toEqual([]);
    const text = JSON.stringify(result) + inspect(result, { depth: 10, showHidden: true });
    for (const secret of [wrongToken, TEST_AUTH_TOKEN, Buffer.from(`${TEST_ACCOUNT_SID}:${wrongToken}`).toString('base64')]) expect(text).not.toContain(secret);
  });

  it.each([
    [401, 20003],
    [401, 0],
    [403, 20003],
  ])('HTTP %i with Twilio code %i is authentication-failed', async (status, code) => {
    stub.script('CreateMessage', { kind: 'error', status, code, message: `Authenticate ${TEST_AUTH_TOKEN}` });
    const { transport, sleeps } = harness();
    const result = await transport.send(sms)();
    expect(result).toEqual(E.left(expect.objectContaining({ code: 'authentication-failed' })));
    expect(sleeps).toEqual([]);
    expectNoSecret(result);
  });

  // Issue 11: a Twilio that never answers must not hold a send (and the outbox) forever.
  it('a Twilio request that never answers becomes a retryable failure within timeoutMs, attempts and waits included', async () => {
    // A dropped connection (retried after a wait), then a request that never answers.
    stub.script('CreateMessage', { kind: 'drop' }, { kind: 'hang' });
    const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
    const { transport } = harness({ timeoutMs: 300, retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 50, random: () => 1, sleep } });
    const started = performance.now();
    const result = await transport.send(sms)();
    const elapsed = performance.now() - started;
    expect(result).toEqual(
      E.left(expect.objectContaining({ code: 'retryable', providerCode: null, status: null, message: 'Twilio did not answer within 300 ms (after 2 attempts)' })),
    );
    expect(elapsed).toBeGreaterThanOrEqual(290);
    // Bounded (a hang would never end); generous, so scheduling delay on a loaded machine is no failure.
    expect(elapsed).toBeLessThan(300 + 3_000);
    expectNoSecret(result);
  });

  it('refuses a timeout that is not a positive whole number of milliseconds at construction', () => {
    for (const timeoutMs of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      expect(() => harness({ timeoutMs })).toThrow(RangeError);
    }
  });

  it('redacts the token even when Twilio echoes it in an error message', async () => {
    stub.script('CreateMessage', { kind: 'error', status: 400, code: 21610, message: `echo ${TEST_AUTH_TOKEN} echo` });
    const { transport } = harness();
    const result = await transport.send(sms)();
    expect(E.isLeft(result) && result.left.message).toContain('[redacted]');
    expectNoSecret(result);
  });
});

describe('retry policy', () => {
  it('refuses nonsensical options at construction', () => {
    expect(() => resolveRetry({ maxAttempts: 0 })).toThrow(RangeError);
    expect(() => resolveRetry({ baseDelayMs: 100, maxDelayMs: 10 })).toThrow(RangeError);
    expect(() => resolveRetry({ baseDelayMs: -1 })).toThrow(RangeError);
  });

  test.prop(
    [
      fc.integer({ min: 0, max: 10_000 }),
      fc.integer({ min: 0, max: 100_000 }),
      fc.integer({ min: 1, max: 30 }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    ],
    AT_LEAST_1000_RUNS,
  )('every wait is below the capped exponential bound and never above maxDelayMs', (base, extra, retry, u) => {
    const policy = resolveRetry({ maxAttempts: 20, baseDelayMs: base, maxDelayMs: base + extra, random: () => u });
    const delay = backoffDelay(policy, retry);
    expect(delay).toBeGreaterThanOrEqual(0);
    expect(delay).toBeLessThanOrEqual(Math.min(base + extra, base * 2 ** (retry - 1)));
    expect(delay).toBeLessThanOrEqual(base + extra);
  }, PROPERTY_TIMEOUT_MS);
});
