import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PATH, TWILIO_OPERATIONS } from './support/openapi-fixture.js';
import { formatJson, refsIn, resolvePointer, trimOpenApi } from './support/openapi-trim.js';
import { loadOpenApi } from './support/openapi.js';
import { MESSAGE_STATUSES } from '../src/webhook-grammar.js';

// The fixture is read directly (not through TWILIO_OPENAPI_PATH): these tests are about the committed file.
const text = readFileSync(FIXTURE_PATH, 'utf8');
const fixture: unknown = JSON.parse(text);

describe("the trimmed fixture of Twilio's OpenAPI description", () => {
  it('is closed under $ref: every reference resolves inside it', () => {
    const refs = refsIn(fixture);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((ref) => resolvePointer(fixture, ref) === undefined)).toEqual([]);
  });

  it('is a fixed point of the trimming, in its committed form (closed, minimal, sorted, 2-space JSON)', () => {
    expect(formatJson(trimOpenApi(fixture, TWILIO_OPERATIONS))).toBe(text);
  });

  it('holds every operation the adapter calls, and the examples the stub answers with', () => {
    const api = loadOpenApi(FIXTURE_PATH);
    const account = '/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef';
    const form = 'application/x-www-form-urlencoded';
    expect(
      [
        api.validate({ method: 'POST', path: `${account}/Messages.json`, query: [], form: [['To', '+14155552671'], ['Body', 'hi']], contentType: form }),
        api.validate({ method: 'GET', path: `${account}/AvailablePhoneNumbers/US/Local.json`, query: [['SmsEnabled', 'true']], form: [], contentType: null }),
        api.validate({ method: 'POST', path: `${account}/IncomingPhoneNumbers.json`, query: [], form: [['PhoneNumber', '+14155550101']], contentType: form }),
        api.validate({ method: 'GET', path: `${account}/IncomingPhoneNumbers.json`, query: [['PhoneNumber', '+14155550101']], form: [], contentType: null }),
      ].map((r) => r.operationId),
    ).toEqual([...TWILIO_OPERATIONS]);
    expect(api.example('CreateMessage', '201', 'create')).toEqual(expect.objectContaining({ sid: expect.stringMatching(/^SM/) }));
    expect(api.example('ListAvailablePhoneNumberLocal', '200', 'readFull')).toEqual(
      expect.objectContaining({ available_phone_numbers: expect.arrayContaining([expect.objectContaining({ phone_number: expect.any(String) })]) }),
    );
    expect(api.example('CreateIncomingPhoneNumber', '201', 'create')).toEqual(expect.objectContaining({ sid: expect.stringMatching(/^PN/) }));
    expect(api.example('ListIncomingPhoneNumber', '200', 'readFull')).toEqual(
      expect.objectContaining({ incoming_phone_numbers: expect.arrayContaining([expect.objectContaining({ phone_number: expect.any(String) })]) }),
    );
  });

  it('lists the message statuses the webhook grammar accepts, exactly (the test arbitraries draw from it)', () => {
    const statuses = loadOpenApi(FIXTURE_PATH).enumOf('message_enum_status');
    expect(statuses.length).toBeGreaterThan(0);
    expect([...MESSAGE_STATUSES].sort()).toEqual([...statuses].sort());
  });

    it("keeps the description's openapi version and info block with its licence", () => {
    expect(fixture).toEqual(
      expect.objectContaining({
        openapi: expect.stringMatching(/^3\./),
        info: expect.objectContaining({ license: expect.objectContaining({ name: 'Apache 2.0' }) }),
      }),
    );
  });

  it('ships with its licence notice', () => {
    const notice = readFileSync(new URL('./fixtures/NOTICE.md', import.meta.url), 'utf8');
    expect(notice).toContain('Apache');
    expect(notice).toContain('MIT License');
    expect(notice).toContain('d50069b44ea8cd23141385bdb6db48f16ff75bb5');
  });
});

describe('trimOpenApi', () => {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const doc = {
    openapi: '3.0.1',
    info: { title: 't', license: { name: 'Apache 2.0' } },
    security: [{ basic: [] }],
    tags: [{ name: 'A' }, { name: 'B' }],
    paths: {
      '/a': { description: 'kept with its operation', get: { operationId: 'A', tags: ['A'], responses: { '200': ref('a') } }, post: { operationId: 'Other', tags: ['B'], responses: { '200': ref('unused') } } },
      '/b': { get: { operationId: 'B2', tags: ['B'], responses: {} } },
    },
    components: {
      securitySchemes: { basic: { type: 'http' }, other: { type: 'http' } },
      schemas: { a: { properties: { b: ref('b') } }, b: { items: ref('a~1c') }, 'a/c': { properties: { loop: ref('a') } }, unused: {} },
    },
  };

  it('keeps the wanted operations and what they reach transitively, through cycles and escaped names', () => {
    expect(trimOpenApi(doc, ['A'])).toEqual({
      openapi: '3.0.1',
      info: doc.info,
      security: doc.security,
      tags: [{ name: 'A' }],
      paths: { '/a': { description: 'kept with its operation', get: doc.paths['/a'].get } },
      components: {
        securitySchemes: { basic: { type: 'http' } },
        schemas: { a: doc.components.schemas.a, b: doc.components.schemas.b, 'a/c': doc.components.schemas['a/c'] },
      },
    });
  });

  it('refuses an operation that is not in the description, and a $ref that points nowhere', () => {
    expect(() => trimOpenApi(doc, ['A', 'Gone'])).toThrow(/Gone/);
    expect(() => trimOpenApi({ ...doc, paths: { '/x': { get: { operationId: 'X', responses: { '200': ref('nowhere') } } } } }, ['X'])).toThrow(/nowhere/);
  });

  it('gives the same text whatever the key order of its input', () => {
    const reversed: unknown = JSON.parse(JSON.stringify(doc), (_key, value: unknown) =>
      typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value,
    );
    expect(formatJson(trimOpenApi(reversed, ['A', 'B2']))).toBe(formatJson(trimOpenApi(doc, ['A', 'B2'])));
  });
});
