import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { createTwilioWebhookHandler } from '../src/index.js';
import { AT_LEAST_1000_RUNS, PROPERTY_TIMEOUT_MS } from './support/runs.js';
import { fakeTarget, formBody, inboundParams, sign, statusParams, TOKEN, type Params } from './support/webhook-http.js';

/**
 * Acceptance (issue 5): 0 forged, tampered or unsigned requests accepted in a property test of ≥ 1,000
 * cases. Each case builds a genuine signed Twilio webhook, applies one change, and sends it to the
 * web-standard handler; the target must never see it. The untouched request is the control: it must pass.
 */

const PUBLIC = 'https://sms.example.com';
const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
const phone = fc.integer({ min: 2_000_000_000, max: 9_999_999_999 }).map((n) => `+1${n}`);
const text = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }));
const name = fc.oneof(fc.constantFrom('MessageSid', 'From', 'To', 'Body', 'OptOutType', 'MessageStatus', 'ErrorCode', 'NumMedia'), fc.string({ minLength: 1, maxLength: 10 }));

interface Genuine {
  readonly path: string;
  readonly params: Params;
}

const genuine: fc.Arbitrary<Genuine> = fc.oneof(
  fc
    .record({
      sid: hex(32).map((h) => `SM${h}`),
      from: phone,
      to: phone,
      body: text,
      optOutType: fc.option(fc.constantFrom('STOP', 'START', 'HELP'), { nil: undefined }),
      // Webhook URLs as the URL standard writes them (a web `Request` only has its normalised URL;
      // the node:http adapter also checks the raw request target, tested over HTTP).
      query: fc.option(
        fc.webQueryParameters().filter((q) => new URL(`${PUBLIC}/twilio/sms?${q}`).href === `${PUBLIC}/twilio/sms?${q}`),
        { nil: undefined },
      ),
    })
    .map(({ query, optOutType, ...m }) => ({
      path: `/twilio/sms${query === undefined ? '' : `?${query}`}`,
      params: inboundParams(optOutType === undefined ? m : { ...m, optOutType }),
    })),
  fc
    .record({
      sid: hex(32).map((h) => `SM${h}`),
      status: fc.constantFrom('queued', 'sent', 'delivered', 'undelivered', 'failed'),
      errorCode: fc.option(fc.integer({ min: 30001, max: 30010 }), { nil: undefined }),
    })
    .map(({ errorCode, ...m }) => ({ path: '/twilio/status?messageId=m-1', params: statusParams(errorCode === undefined ? m : { ...m, errorCode }) })),
);

type Change =
  | { readonly kind: 'value'; readonly index: number; readonly value: string }
  | { readonly kind: 'name'; readonly index: number; readonly name: string }
  | { readonly kind: 'add'; readonly name: string; readonly value: string }
  | { readonly kind: 'remove'; readonly index: number }
  | { readonly kind: 'query'; readonly suffix: string }
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'forged'; readonly signature: string }
  | { readonly kind: 'unsigned' };

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({ kind: fc.constant('value' as const), index: fc.nat(), value: text }),
  fc.record({ kind: fc.constant('name' as const), index: fc.nat(), name }),
  fc.record({ kind: fc.constant('add' as const), name, value: text }),
  fc.record({ kind: fc.constant('remove' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('query' as const), suffix: fc.oneof(fc.constant('&x=1'), fc.webQueryParameters().map((q) => `&${q}`), fc.constant('?')) }),
  fc.record({ kind: fc.constant('token' as const), token: hex(32) }),
  fc.record({ kind: fc.constant('forged' as const), signature: fc.oneof(fc.base64String({ minLength: 28, maxLength: 28 }), fc.string({ maxLength: 40 })) }),
  fc.constant({ kind: 'unsigned' as const }),
);

interface Outgoing {
  readonly path: string;
  readonly params: Params;
  readonly signature: string | null;
}

const flat = (url: string, params: Params): string =>
  url +
  [...params]
    .sort(([n1, v1], [n2, v2]) => (n1 < n2 ? -1 : n1 > n2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0))
    .map(([n, v]) => n + v)
    .join('');

/** The genuine request with one change; null if the change leaves the signed request as it was. */
const tampered = (g: Genuine, c: Change): Outgoing | null => {
  const signature = sign(PUBLIC + g.path, g.params);
  const at = (i: number) => i % g.params.length;
  const withParams = (params: Params): Outgoing | null =>
    // Twilio's signed string has no delimiters; a change that leaves it identical is not a change.
    flat(PUBLIC + g.path, params) === flat(PUBLIC + g.path, g.params) ? null : { path: g.path, params, signature };
  switch (c.kind) {
    case 'value':
      return withParams(g.params.map((p, j) => (j === at(c.index) ? [p[0], c.value] : p)));
    case 'name':
      return withParams(g.params.map((p, j) => (j === at(c.index) ? [c.name, p[1]] : p)));
    case 'add':
      return withParams([...g.params, [c.name, c.value]]);
    case 'remove':
      return withParams(g.params.filter((_, j) => j !== at(c.index)));
    case 'query': {
      const path = g.path.includes('?') ? g.path + c.suffix : `${g.path}?${c.suffix.replace(/^[&?]/, '')}`;
      return new URL(PUBLIC + path).search === new URL(PUBLIC + g.path).search ? null : { path, params: g.params, signature };
    }
    case 'token':
      return c.token === TOKEN ? null : { path: g.path, params: g.params, signature: sign(PUBLIC + g.path, g.params, c.token) };
    case 'forged':
      return c.signature === signature ? null : { path: g.path, params: g.params, signature: c.signature };
    case 'unsigned':
      return { path: g.path, params: g.params, signature: null };
  }
};

const toRequest = (o: Outgoing): Request =>
  new Request(`http://127.0.0.1:8080${o.path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(o.signature === null ? {} : { 'x-twilio-signature': o.signature }),
    },
    body: formBody(o.params),
  });

describe('no forged, tampered or unsigned webhook reaches the Message Center', () => {
  test.prop([genuine, change], AT_LEAST_1000_RUNS)('one change → 403, target untouched; no change → accepted once', async (g, c) => {
    const fake = fakeTarget();
    const handler = createTwilioWebhookHandler({ authToken: TOKEN, target: fake.target, publicUrl: PUBLIC });

    const control = await handler(toRequest({ path: g.path, params: g.params, signature: sign(PUBLIC + g.path, g.params) }));
    expect(control.status).toBe(200);
    expect(fake.inboundCalls.length + fake.statusCalls.length).toBe(1);

    const forged = tampered(g, c);
    fc.pre(forged !== null);
    if (forged === null) return;
    const answer = await handler(toRequest(forged));
    expect(answer.status).toBe(403);
    expect(fake.inboundCalls.length + fake.statusCalls.length).toBe(1);
  }, PROPERTY_TIMEOUT_MS);
});
