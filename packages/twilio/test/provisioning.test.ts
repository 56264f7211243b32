import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { createTwilioProvisioning, type TwilioProvisioning } from '../src/index.js';
import { startTwilioStub, TEST_AUTH_TOKEN, type TwilioStub } from './support/twilio-stub.js';

let stub: TwilioStub;
let provisioning: TwilioProvisioning;
beforeAll(async () => {
  stub = await startTwilioStub();
  provisioning = createTwilioProvisioning({ accountSid: stub.accountSid, authToken: stub.authToken, client: stub.client() });
});
afterAll(async () => {
  await stub.close();
});

const last = () => {
  const r = stub.requests.at(-1);
  if (r === undefined) throw new Error('no request captured');
  return r;
};

describe('searchLocalNumbers', () => {
  it.each(['US', 'CA', 'AU', 'GB'] as const)('lists SMS-capable local numbers in %s', async (country) => {
    const result = await provisioning.searchLocalNumbers(country, { limit: 5 })();
    expect(E.isRight(result)).toBe(true);
    if (E.isRight(result)) {
      expect(result.right.length).toBeGreaterThan(0);
      for (const n of result.right) {
        expect(n.phoneNumber).toMatch(/^\+[1-9]\d+$/);
        expect(n.isoCountry).toBe(country);
        expect(n.capabilities.sms).toBe(true);
      }
    }
    const r = last();
    expect(r.method).toBe('GET');
    expect(r.path).toBe(`/2010-04-01/Accounts/${stub.accountSid}/AvailablePhoneNumbers/${country}/Local.json`);
    expect(r.query).toEqual(expect.arrayContaining([['SmsEnabled', 'true'], ['PageSize', '5']]));
    expect(r.report).toEqual({ operationId: 'ListAvailablePhoneNumberLocal', problems: [] });
  });

  it('passes area code and pattern on (US/CA)', async () => {
    const result = await provisioning.searchLocalNumbers('us', { areaCode: 415, contains: '555*', inRegion: 'CA' })();
    expect(E.isRight(result)).toBe(true);
    expect(last().query).toEqual(expect.arrayContaining([['AreaCode', '415'], ['Contains', '555*'], ['InRegion', 'CA']]));
    expect(stub.violations()).toEqual([]);
  });

  it('refuses other countries and bad options without calling Twilio', async () => {
    const before = stub.requests.length;
    expect(await provisioning.searchLocalNumbers('IE')()).toEqual(E.left(expect.objectContaining({ code: 'country-not-supported', country: 'IE' })));
    expect(await provisioning.searchLocalNumbers('GB', { areaCode: 161 })()).toEqual(E.left(expect.objectContaining({ code: 'invalid-request' })));
    expect(await provisioning.searchLocalNumbers('US', { limit: 0 })()).toEqual(E.left(expect.objectContaining({ code: 'invalid-request' })));
    expect(await provisioning.searchLocalNumbers('US', { contains: 'a b' })()).toEqual(E.left(expect.objectContaining({ code: 'invalid-request' })));
    expect(stub.requests.length).toBe(before);
  });

  it('reports a 5xx as unavailable', async () => {
    stub.script('ListAvailablePhoneNumberLocal', { kind: 'error', status: 503, code: 20503, message: 'Service Unavailable' });
    const result = await provisioning.searchLocalNumbers('US')();
    expect(result).toEqual(E.left(expect.objectContaining({ code: 'unavailable', status: 503, providerCode: 20503 })));
  });
});

describe('buyNumber', () => {
  const input = {
    phoneNumber: '+14155550101',
    smsUrl: 'https://sms.example.com/twilio/sms',
    statusCallbackUrl: 'https://sms.example.com/twilio/status',
  };

  it('buys the number with the SMS webhook (POST) and status callback set', async () => {
    const result = await provisioning.buyNumber(input)();
    expect(result).toEqual(
      E.right({
        sid: expect.stringMatching(/^PN/),
        phoneNumber: '+14155550101',
        smsUrl: 'https://sms.example.com/twilio/sms',
        smsMethod: 'POST',
        capabilities: { sms: true, mms: true, voice: true },
      }),
    );
    const r = last();
    expect(r.method).toBe('POST');
    expect(r.path).toBe(`/2010-04-01/Accounts/${stub.accountSid}/IncomingPhoneNumbers.json`);
    expect(r.form).toEqual(
      expect.arrayContaining([
        ['PhoneNumber', '+14155550101'],
        ['SmsUrl', 'https://sms.example.com/twilio/sms'],
        ['SmsMethod', 'POST'],
        ['StatusCallback', 'https://sms.example.com/twilio/status'],
        ['StatusCallbackMethod', 'POST'],
      ]),
    );
    expect(r.report).toEqual({ operationId: 'CreateIncomingPhoneNumber', problems: [] });
  });

  it('passes an Address and a Bundle on (AU, GB regulations)', async () => {
    const result = await provisioning.buyNumber({
      phoneNumber: '+61255550101',
      smsUrl: 'https://sms.example.com/twilio/sms',
      addressSid: 'AD0123456789abcdef0123456789abcdef',
      bundleSid: 'BU0123456789abcdef0123456789abcdef',
    })();
    expect(E.isRight(result)).toBe(true);
    expect(last().form).toEqual(expect.arrayContaining([['AddressSid', 'AD0123456789abcdef0123456789abcdef'], ['BundleSid', 'BU0123456789abcdef0123456789abcdef']]));
    expect(stub.violations()).toEqual([]);
  });

  it.each([
    [21422, 'number-not-available', 'PhoneNumber is not available'],
    [21421, 'invalid-number', 'PhoneNumber is invalid'],
    [21631, 'address-required', 'Phone Number Requires an Address'],
    [21452, 'rejected', 'No phone numbers found'],
  ] as const)('maps Twilio error %i to %s', async (code, expected, message) => {
    stub.script('CreateIncomingPhoneNumber', { kind: 'error', status: 400, code, message });
    const result = await provisioning.buyNumber(input)();
    expect(result).toEqual(E.left(expect.objectContaining({ code: expected, providerCode: code, message: expect.stringContaining(message) })));
    expect(JSON.stringify(result) + inspect(result, { depth: 10 })).not.toContain(TEST_AUTH_TOKEN);
  });

  it('a wrong token is authentication-failed, and the token is not in the error', async () => {
    const wrong = 'abcdefabcdefabcdefabcdefabcdef00';
    const p = createTwilioProvisioning({ accountSid: stub.accountSid, authToken: wrong, client: stub.client({ authToken: wrong }) });
    const result = await p.buyNumber(input)();
    expect(result).toEqual(E.left(expect.objectContaining({ code: 'authentication-failed', status: 401 })));
    expect(JSON.stringify(result) + inspect(result, { depth: 10 })).not.toContain(wrong);
  });

  it('refuses malformed input without calling Twilio', async () => {
    const before = stub.requests.length;
    const result = await provisioning.buyNumber({ phoneNumber: '415 555 0101', smsUrl: '/twilio/sms', addressSid: 'nope' })();
    expect(E.isLeft(result) && result.left.code === 'invalid-request' && result.left.problems).toHaveLength(3);
    expect(stub.requests.length).toBe(before);
  });
});

describe('findHeldNumber', () => {
  it("finds exactly the number among the account's IncomingPhoneNumbers", async () => {
    stub.hold('+14155550199', { smsUrl: 'https://sms.example.com/twilio/sms' });
    stub.hold('+4414155550198');
    expect(await provisioning.findHeldNumber('+14155550199')()).toEqual(
      E.right({
        sid: expect.stringMatching(/^PN/),
        phoneNumber: '+14155550199',
        smsUrl: 'https://sms.example.com/twilio/sms',
        capabilities: { sms: true, mms: true, voice: true },
      }),
    );
    expect(last().report).toEqual({ operationId: 'ListIncomingPhoneNumber', problems: [] });
    expect(await provisioning.findHeldNumber('+14155550198')()).toEqual(E.right(null));
  });

  it('refuses a number that is not E.164 without calling Twilio (a partial one would match many)', async () => {
    const before = stub.requests.length;
    expect(await provisioning.findHeldNumber('415')()).toEqual(E.left(expect.objectContaining({ code: 'invalid-request' })));
    expect(stub.requests.length).toBe(before);
  });
});
