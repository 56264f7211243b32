/**
 * With Twilio credentials the web inbox uses a real number: no client panel, outbound messages go to
 * Twilio's REST API (here a loopback stub that checks each request against Twilio's OpenAPI description)
 * with the status callback under PUBLIC_URL, and inbound webhooks signed for PUBLIC_URL show live.
 * Also the environment's refusals, which never echo a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeTwilioSignature } from '@message-center/twilio';
import { startTwilioStub, type TwilioStub } from '../../../packages/twilio/test/support/twilio-stub.js';
import { configFromEnvironment } from '../app/config.js';
import { startWebInbox, type RunningWebInbox } from '../app/server.js';
import { useChromium, screenshot } from './support/browser.js';
import { openInbox, problemsOf, row, rowIds, until } from './support/inbox-app.js';

const PUBLIC_URL = 'https://inbox.example.test';
const NUMBER = '+14155550100';

const chromium = useChromium();
let stub: TwilioStub;
let app: RunningWebInbox;

beforeAll(async () => {
  stub = await startTwilioStub();
  app = await startWebInbox({
    host: '127.0.0.1',
    port: 0,
    twilio: { accountSid: stub.accountSid, authToken: stub.authToken, publicUrl: PUBLIC_URL, number: NUMBER },
    twilioClient: stub.client(),
    log: () => undefined,
  });
});
afterAll(async () => {
  await app.close();
  await stub.close();
});

const signedInbound = async (from: string, body: string, sid: string): Promise<number> => {
  const params = [
    ['MessageSid', sid],
    ['AccountSid', stub.accountSid],
    ['From', from],
    ['To', NUMBER],
    ['Body', body],
    ['NumMedia', '0'],
  ] as const;
  const response = await fetch(`${app.url}/twilio/sms`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': computeTwilioSignature(stub.authToken, `${PUBLIC_URL}/twilio/sms`, params) },
    body: new URLSearchParams(params.map(([k, v]): [string, string] => [k, v])).toString(),
  });
  return response.status;
};

describe('web inbox on a real Twilio number', () => {
  it('sends through Twilio with the status callback under PUBLIC_URL, shows signed inbound live, and has no client panel', async () => {
    const page = await openInbox(chromium(), app, 'dana');
    expect(await page.locator('#simulator').isHidden()).toBe(true);
    expect(await rowIds(page)).toEqual([]);
    const simulated = await fetch(`${app.url}/api/simulate/text`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"from":"+14155552671","body":"hi"}' });
    expect(simulated.status).toBe(404);

    expect(await signedInbound('+14155552671', 'Hello from a real phone', 'SM0123456789abcdef0123456789abcdef')).toBe(200);
    await until('the inbound row, live', () => rowIds(page), ['ana']);
    await row(page, 'ana').click();
    await page.fill('#compose-body', 'Hi Ana, got it!');
    await page.click('#compose button[type=submit]');
    await until('the reply in the history', () => page.locator('#history .msg.outbound').count(), 1);
    const sent = stub.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/Messages.json'));
    expect(sent).toHaveLength(1);
    const form = new Map(sent[0]?.form ?? []);
    expect(form.get('To')).toBe('+14155552671');
    expect(form.get('From')).toBe(NUMBER);
    expect(form.get('StatusCallback')).toBe(`${PUBLIC_URL}/twilio/status`);
    expect(stub.violations()).toEqual([]);
    // A webhook signed for another URL (or with another token) is refused.
    const forged = await fetch(`${app.url}/twilio/sms`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'Zm9yZ2Vk' }, body: 'MessageSid=SM0123456789abcdef0123456789abcdee' });
    expect(forged.status).toBe(403);
    await screenshot(page, 'real-number');
    expect(problemsOf(page)).toEqual([]);
    await page.context().close();
  });

  it('the environment: all four Twilio settings or none, and no secret in a refusal', () => {
    const secret = 'tok_5ecret_value';
    const partial = configFromEnvironment({ TWILIO_ACCOUNT_SID: 'AC0123', TWILIO_AUTH_TOKEN: secret });
    expect('problem' in partial && partial.problem).toContain('missing: PUBLIC_URL, BUSINESS_NUMBER');
    expect(JSON.stringify(partial)).not.toContain(secret);
    expect(configFromEnvironment({ PORT: 'eighty' })).toEqual({ problem: 'PORT must be an integer from 0 to 65535 (got "eighty")' });
    expect(configFromEnvironment({})).toEqual({ config: { host: '127.0.0.1', port: 3000, twilio: null } });
    const full = configFromEnvironment({ TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: secret, PUBLIC_URL: 'https://x.test/', BUSINESS_NUMBER: NUMBER, PORT: '0' });
    expect(full).toEqual({ config: { host: '127.0.0.1', port: 0, twilio: { accountSid: 'AC1', authToken: secret, publicUrl: 'https://x.test', number: NUMBER } } });
  });
});
