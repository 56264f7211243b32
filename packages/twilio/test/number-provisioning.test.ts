import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import type { NumberProvisioning, SuggestNumbersQuery } from '@message-center/core';
import { createTwilioNumberProvisioning, type TwilioNumberProvisioningOptions } from '../src/index.js';
import { MAX_TIMER_MS } from '../src/deadline.js';
import { startTwilioStub, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, type TwilioStub } from './support/twilio-stub.js';
import { brand } from './support/brand.js';

// Each test gets its own stub: the numbers the account holds are the stub's state.
let stub: TwilioStub;
beforeEach(async () => {
  stub = await startTwilioStub();
});
afterEach(async () => {
  expect(stub.violations()).toEqual([]);
  await stub.close();
});

const SMS_URL = 'https://sms.example.com/twilio/sms';
const ADDRESS_SID = 'AD0123456789abcdef0123456789abcdef';
const BUNDLE_SID = 'BU0123456789abcdef0123456789abcdef';

const provisioning = (overrides: Partial<TwilioNumberProvisioningOptions> = {}): NumberProvisioning =>
  createTwilioNumberProvisioning({
    accountSid: stub.accountSid,
    authToken: stub.authToken,
    client: stub.client(),
    smsUrl: SMS_URL,
    ...overrides,
  });

const query = (country: string, areaCode: string | null = null, limit = 5): SuggestNumbersQuery => ({
  country: brand.country(country),
  areaCode,
  limit,
});

const callsTo = (operationId: string) => stub.requests.filter((r) => r.report.operationId === operationId);

/** Every way a secret could leak out of an error: its JSON, its string form and a deep inspection. */
const expectNoSecret = (value: unknown, token: string = TEST_AUTH_TOKEN): void => {
  const basic = Buffer.from(`${TEST_ACCOUNT_SID}:${token}`).toString('base64');
  for (const text of [JSON.stringify(value), String(value), inspect(value, { depth: 10, showHidden: true })]) {
    expect(text).not.toContain(token);
    expect(text).not.toContain(basic);
  }
};

const available = (phoneNumber: string, sms: boolean) => ({
  phone_number: phoneNumber,
  friendly_name: phoneNumber,
  locality: 'Hilo',
  region: 'HI',
  iso_country: 'US',
  address_requirements: 'none',
  capabilities: { voice: true, SMS: sms, MMS: sms },
});

describe('suggest', () => {
  it('suggests local numbers that can send and receive SMS, near the area code, with locality and region', async () => {
    const result = await provisioning().suggest(query('US', '415'))();
    expect(result).toEqual(
      E.right([
        { number: '+14155550101', locality: 'Hilo', region: 'HI' },
        { number: '+14155550102', locality: 'Hilo', region: 'HI' },
      ]),
    );
    const [search] = callsTo('ListAvailablePhoneNumberLocal');
    expect(search?.path).toBe(`/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/AvailablePhoneNumbers/US/Local.json`);
    expect(search?.query).toEqual(expect.arrayContaining([['SmsEnabled', 'true'], ['AreaCode', '415'], ['PageSize', '5']]));
  });

  it('searches the whole country without an area code, and answers at most `limit` numbers', async () => {
    expect(await provisioning().suggest(query('CA'))()).toEqual(E.right([{ number: '+16135550101', locality: 'Hilo', region: 'HI' }]));
    expect(callsTo('ListAvailablePhoneNumberLocal')[0]?.query.map(([name]) => name)).not.toContain('AreaCode');
    const one = await provisioning().suggest(query('US', null, 1))();
    expect(E.isRight(one) && one.right.map((n) => n.number)).toEqual(['+14155550101']);
  });

  it('drops numbers that are not valid E.164 numbers or cannot do SMS', async () => {
    stub.script('ListAvailablePhoneNumberLocal', {
      kind: 'ok',
      body: {
        available_phone_numbers: [
          available('+14155550101', true),
          available('+1415555', true),
          available('14155550103', true),
          available('+10005550104', true),
          available('+14155550105', false),
          available('+14155550106', true),
        ],
      },
    });
    const result = await provisioning().suggest(query('US', null, 10))();
    expect(E.isRight(result) && result.right.map((n) => n.number)).toEqual(['+14155550101', '+14155550106']);
  });

  it('suggests GB numbers to a business in IE, IM, JE or GG (B1)', async () => {
    const result = await provisioning().suggest(query('IE'))();
    expect(E.isRight(result) && result.right.map((n) => n.number)).toEqual(['+441615550101']);
    expect(callsTo('ListAvailablePhoneNumberLocal')[0]?.path).toMatch(/\/AvailablePhoneNumbers\/GB\/Local\.json$/);
  });

  it('refuses a country without numbers, a malformed area code and one outside US/CA, without calling Twilio', async () => {
    for (const q of [query('IT'), query('US', '41'), query('US', 'abc'), query('GB', '161'), query('US', null, 0)]) {
      expect(await provisioning().suggest(q)()).toEqual(E.left({ code: 'provisioning-refused', message: expect.any(String) }));
    }
    expect(stub.requests).toEqual([]);
  });

  it('is unavailable when Twilio fails (5xx, 429)', async () => {
    stub.script('ListAvailablePhoneNumberLocal', { kind: 'error', status: 503, code: 20503 }, { kind: 'error', status: 429, code: 20429 });
    for (let i = 0; i < 2; i += 1) {
      expect(await provisioning().suggest(query('US'))()).toEqual(E.left({ code: 'provisioning-unavailable', message: expect.stringMatching(/HTTP (503|429)/) }));
    }
  });
});

describe('lookUp', () => {
  const number = brand.e164('+14155550123');

  it('answers a number the account holds, with SMS', async () => {
    stub.hold(number);
    expect(await provisioning().lookUp(number)()).toEqual(E.right({ number, sms: true }));
    const [list] = callsTo('ListIncomingPhoneNumber');
    expect(list?.method).toBe('GET');
    expect(list?.path).toBe(`/2010-04-01/Accounts/${TEST_ACCOUNT_SID}/IncomingPhoneNumbers.json`);
    expect(list?.query).toEqual(expect.arrayContaining([['PhoneNumber', number]]));
  });

  it('answers a held number that cannot do SMS as such', async () => {
    stub.hold(number, { sms: false });
    expect(await provisioning().lookUp(number)()).toEqual(E.right({ number, sms: false }));
  });

  it('answers null for a number the account does not hold', async () => {
    stub.hold('+14155550124');
    expect(await provisioning().lookUp(number)()).toEqual(E.right(null));
    expect(callsTo('ListIncomingPhoneNumber')).toHaveLength(1);
  });

  it("answers null when only a longer number matches Twilio's partial filter", async () => {
    stub.hold(`+44${number.slice(1)}`);
    expect(await provisioning().lookUp(number)()).toEqual(E.right(null));
  });

  it('buys nothing', async () => {
    await provisioning().lookUp(number)();
    expect(callsTo('CreateIncomingPhoneNumber')).toEqual([]);
  });

  it('is unavailable when Twilio fails or the connection drops', async () => {
    stub.script('ListIncomingPhoneNumber', { kind: 'error', status: 500, code: 20500 }, { kind: 'drop' });
    expect(await provisioning().lookUp(number)()).toEqual(E.left({ code: 'provisioning-unavailable', message: expect.stringContaining('HTTP 500') }));
    expect(await provisioning().lookUp(number)()).toEqual(E.left({ code: 'provisioning-unavailable', message: expect.stringContaining('could not reach Twilio') }));
  });
});

describe('acquire', () => {
  const number = brand.e164('+14155550101');

  it('answers a number the account already holds and buys nothing', async () => {
    stub.hold(number);
    expect(await provisioning().acquire(number)()).toEqual(E.right({ number, sms: true }));
    expect(callsTo('CreateIncomingPhoneNumber')).toEqual([]);
  });

  it('answers a held number without SMS as it is, and buys nothing', async () => {
    stub.hold(number, { sms: false });
    expect(await provisioning().acquire(number)()).toEqual(E.right({ number, sms: false }));
    expect(callsTo('CreateIncomingPhoneNumber')).toEqual([]);
  });

  it("buys a new number with its SMS webhook pointed at the host's smsUrl (POST)", async () => {
    const result = await provisioning().acquire(number)();
    expect(result).toEqual(E.right({ number, sms: true }));
    const bought = callsTo('CreateIncomingPhoneNumber');
    expect(bought).toHaveLength(1);
    expect(bought[0]?.form).toEqual(expect.arrayContaining([['PhoneNumber', number], ['SmsUrl', SMS_URL], ['SmsMethod', 'POST']]));
    expect(bought[0]?.form.map(([name]) => name)).not.toContain('AddressSid');
    // Looked up first; a second acquire (a retried enable) finds it held and does not buy it again.
    expect(stub.requests.map((r) => r.report.operationId)).toEqual(['ListIncomingPhoneNumber', 'CreateIncomingPhoneNumber']);
    expect(await provisioning().acquire(number)()).toEqual(E.right({ number, sms: true }));
    expect(callsTo('CreateIncomingPhoneNumber')).toHaveLength(1);
  });

  it('passes the status callback, Address and Bundle on', async () => {
    const p = provisioning({ statusCallbackUrl: 'https://sms.example.com/twilio/voice-status', addressSid: ADDRESS_SID, bundleSid: BUNDLE_SID });
    expect(await p.acquire(brand.e164('+441615550101'))()).toEqual(E.right({ number: '+441615550101', sms: true }));
    expect(callsTo('CreateIncomingPhoneNumber')[0]?.form).toEqual(
      expect.arrayContaining([
        ['StatusCallback', 'https://sms.example.com/twilio/voice-status'],
        ['AddressSid', ADDRESS_SID],
        ['BundleSid', BUNDLE_SID],
      ]),
    );
  });

  it('answers the capabilities Twilio reports for the bought number', async () => {
    stub.script('CreateIncomingPhoneNumber', { kind: 'ok', body: { capabilities: { voice: true, sms: false, mms: false, fax: false } } });
    expect(await provisioning().acquire(number)()).toEqual(E.right({ number, sms: false }));
  });

  it.each([
    [21422, 'PhoneNumber is not available'],
    [21631, 'Phone Number Requires an Address'],
    [21452, 'No phone numbers found'],
  ] as const)('is refused when Twilio refuses the purchase (%i)', async (code, message) => {
    stub.script('CreateIncomingPhoneNumber', { kind: 'error', status: 400, code, message });
    expect(await provisioning().acquire(number)()).toEqual(
      E.left({ code: 'provisioning-refused', message: expect.stringContaining(`error ${code}: ${message}`) }),
    );
  });

  it('answers the number when the account took it meanwhile (21422 for a concurrent acquire)', async () => {
    stub.hold(number);
    stub.script('ListIncomingPhoneNumber', { kind: 'ok', body: { incoming_phone_numbers: [] } });
    stub.script('CreateIncomingPhoneNumber', { kind: 'error', status: 400, code: 21422, message: 'PhoneNumber is not available' });
    expect(await provisioning().acquire(number)()).toEqual(E.right({ number, sms: true }));
    expect(stub.requests.map((r) => r.report.operationId)).toEqual(['ListIncomingPhoneNumber', 'CreateIncomingPhoneNumber', 'ListIncomingPhoneNumber']);
  });

  it('is unavailable when the purchase fails on the server or the network, and when the look-up fails buys nothing', async () => {
    stub.script('CreateIncomingPhoneNumber', { kind: 'error', status: 503, code: 20503 }, { kind: 'drop' });
    expect(await provisioning().acquire(number)()).toEqual(E.left({ code: 'provisioning-unavailable', message: expect.stringContaining('HTTP 503') }));
    expect(await provisioning().acquire(number)()).toEqual(E.left({ code: 'provisioning-unavailable', message: expect.any(String) }));
    stub.script('ListIncomingPhoneNumber', { kind: 'error', status: 429, code: 20429 });
    const before = callsTo('CreateIncomingPhoneNumber').length;
    expect(await provisioning().acquire(number)()).toEqual(E.left({ code: 'provisioning-unavailable', message: expect.stringContaining('HTTP 429') }));
    expect(callsTo('CreateIncomingPhoneNumber')).toHaveLength(before);
  });

  it('is unavailable when Twilio does not answer within timeoutMs', async () => {
    stub.script('CreateIncomingPhoneNumber', { kind: 'hang' });
    const started = performance.now();
    expect(await provisioning({ timeoutMs: 100 }).acquire(number)()).toEqual(
      E.left({ code: 'provisioning-unavailable', message: 'Twilio did not answer within 100 ms' }),
    );
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('credentials', () => {
  it('a refused token is unavailable (nothing is wrong with the number), and the token is in no error', async () => {
    const wrong = 'abcdefabcdefabcdefabcdefabcdef00';
    const p = provisioning({ authToken: wrong, client: stub.client({ authToken: wrong }) });
    const results = [await p.suggest(query('US'))(), await p.lookUp(brand.e164('+14155550101'))(), await p.acquire(brand.e164('+14155550101'))()];
    for (const result of results) {
      expect(result).toEqual(E.left({ code: 'provisioning-unavailable', message: expect.stringContaining('HTTP 401') }));
      expectNoSecret(result, wrong);
    }
  });

  it('no error carries the auth token, even when Twilio echoes it', async () => {
    const echo = (status: number) => ({ kind: 'error' as const, status, code: 21422, message: `echo ${TEST_AUTH_TOKEN} ${encodeURIComponent(TEST_AUTH_TOKEN)}` });
    stub.script('ListAvailablePhoneNumberLocal', echo(400), echo(503));
    stub.script('ListIncomingPhoneNumber', echo(503));
    stub.script('CreateIncomingPhoneNumber', echo(400));
    const number = brand.e164('+14155550101');
    const p = provisioning();
    const results = [await p.suggest(query('US'))(), await p.suggest(query('US'))(), await p.lookUp(number)(), await p.acquire(number)()];
    expect(results.map((r) => E.isLeft(r) && r.left.code)).toEqual(['provisioning-refused', 'provisioning-unavailable', 'provisioning-unavailable', 'provisioning-refused']);
    for (const result of results) {
      expect(E.isLeft(result) && result.left.message).toContain('[redacted]');
      expectNoSecret(result);
    }
  });
});

describe('options', () => {
  it.each([
    ['smsUrl', { smsUrl: '/twilio/sms' }],
    ['smsUrl', { smsUrl: 'ftp://sms.example.com/twilio/sms' }],
    ['smsUrl', { smsUrl: '' }],
    ['statusCallbackUrl', { statusCallbackUrl: 'sms.example.com/status' }],
    ['addressSid', { addressSid: 'AD123' }],
    ['bundleSid', { bundleSid: 'nope' }],
    ['timeoutMs', { timeoutMs: 0 }],
    ['timeoutMs', { timeoutMs: 1.5 }],
    ['timeoutMs', { timeoutMs: MAX_TIMER_MS + 1 }],
  ] as const)('a malformed %s throws a RangeError at creation', (name, overrides) => {
    expect(() => provisioning(overrides)).toThrow(RangeError);
    expect(() => provisioning(overrides)).toThrow(name);
  });

  it('well-formed options call nothing at creation', () => {
    provisioning({ smsUrl: 'http://127.0.0.1:8080/twilio/sms', timeoutMs: 1, addressSid: ADDRESS_SID, bundleSid: BUNDLE_SID });
    expect(stub.requests).toEqual([]);
  });
});
