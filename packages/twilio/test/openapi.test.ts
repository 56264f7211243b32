import { describe, expect, it } from 'vitest';
import { loadOpenApi } from './support/openapi.js';

// The request-shape checks of the other tests are only worth something if the validator can fail.
describe("the validator built on Twilio's OpenAPI description", () => {
  const api = loadOpenApi();
  const messages = '/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json';
  const form = 'application/x-www-form-urlencoded';

  it('accepts a documented CreateMessage request', () => {
    expect(
      api.validate({ method: 'POST', path: messages, query: [], form: [['To', '+14155552671'], ['From', '+14155550100'], ['Body', 'hi'], ['StatusCallback', 'https://x.example/s']], contentType: form }),
    ).toEqual({ operationId: 'CreateMessage', problems: [] });
  });

  it('finds a missing required field, an unknown field, a bad format and a bad path parameter', () => {
    const report = api.validate({ method: 'POST', path: messages, query: [], form: [['Body', 'hi'], ['Colour', 'red'], ['StatusCallback', 'not a url']], contentType: form });
    expect(report.operationId).toBe('CreateMessage');
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('required parameter To'),
        expect.stringContaining('unknown parameter Colour'),
        expect.stringContaining('StatusCallback'),
      ]),
    );
    expect(api.validate({ method: 'POST', path: '/2010-04-01/Accounts/XX1/Messages.json', query: [], form: [['To', '+14155552671']], contentType: form }).problems).toEqual(
      expect.arrayContaining([expect.stringContaining('path AccountSid')]),
    );
  });

  it('finds wrong enum, boolean and integer values, and an undocumented operation', () => {
    const numbers = '/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/IncomingPhoneNumbers.json';
    expect(api.validate({ method: 'POST', path: numbers, query: [], form: [['SmsMethod', 'PUT']], contentType: form }).problems).toEqual([
      expect.stringContaining('SmsMethod'),
    ]);
    const local = '/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/AvailablePhoneNumbers/US/Local.json';
    expect(api.validate({ method: 'GET', path: local, query: [['SmsEnabled', 'yes'], ['AreaCode', '4x5']], form: [], contentType: null }).problems).toHaveLength(2);
    expect(api.validate({ method: 'PATCH', path: messages, query: [], form: [], contentType: null }).operationId).toBeNull();
  });

  it('serves documented examples', () => {
    expect(api.example('CreateMessage', '201', 'create')).toEqual(expect.objectContaining({ sid: expect.stringMatching(/^SM/), status: 'queued' }));
  });
});
