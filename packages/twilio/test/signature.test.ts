import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import twilio from 'twilio';
import {
  computeTwilioSignature,
  formParamsFromRecord,
  isValidTwilioSignature,
  signedUrlCandidates,
  type FormParams,
} from '../src/index.js';
import { AT_LEAST_1000_RUNS, PROPERTY_TIMEOUT_MS } from './support/runs.js';

const RUNS = AT_LEAST_1000_RUNS;
const TIMEOUT = PROPERTY_TIMEOUT_MS;

// Twilio auth tokens are 32 hex digits. (HMAC treats keys that differ only by trailing NULs, or a long key
// and its hash, as the same key; real tokens never differ that way, so the generator keeps to real ones.)
const token = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 });
const url = fc.webUrl({ withQueryParameters: true, withFragments: false, validSchemes: ['https', 'http'] });
const name = fc.oneof(
  fc.constantFrom('MessageSid', 'From', 'To', 'Body', 'OptOutType', 'NumMedia', 'MessageStatus', 'ErrorCode', 'AccountSid'),
  fc.string({ minLength: 1, maxLength: 12 }),
);
const value = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }));
const params: fc.Arbitrary<FormParams> = fc.array(fc.tuple(name, value), { maxLength: 12 });

describe("Twilio's documented example", () => {
  // The example of Twilio's "Webhooks security" documentation (code sample
  // TwilioDevEd/api-snippets security/signature_validation): auth token 12345, this URL and these
  // POST parameters give the signature GvWf1cFY/Q7PnoempGyD5oXAezc=.
  const exampleUrl = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const exampleParams = formParamsFromRecord({
    CallSid: 'CA1234567890ABCDE',
    Caller: '+14158675310',
    Digits: '1234',
    From: '+14158675310',
    To: '+18005551212',
  });

  it('computes the documented signature', () => {
    expect(computeTwilioSignature('12345', exampleUrl, exampleParams)).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
    expect(isValidTwilioSignature('12345', 'GvWf1cFY/Q7PnoempGyD5oXAezc=', exampleUrl, exampleParams)).toBe(true);
  });

  it('refuses the documented signature for any other token, URL or parameters', () => {
    expect(isValidTwilioSignature('12346', 'GvWf1cFY/Q7PnoempGyD5oXAezc=', exampleUrl, exampleParams)).toBe(false);
    expect(isValidTwilioSignature('12345', 'GvWf1cFY/Q7PnoempGyD5oXAezc=', `${exampleUrl}&baz=3`, exampleParams)).toBe(false);
    expect(isValidTwilioSignature('12345', 'GvWf1cFY/Q7PnoempGyD5oXAezc=', exampleUrl, [...exampleParams, ['Digits', '1']])).toBe(false);
  });
});

describe("agreement with the twilio SDK's own signature functions", () => {
  test.prop(
    [token, url, fc.dictionary(name, fc.oneof(value, fc.uniqueArray(value, { minLength: 1, maxLength: 3 })), { maxKeys: 10 })],
    RUNS,
  )('computeTwilioSignature equals getExpectedTwilioSignature, and validateRequest accepts it', (authToken, u, record) => {
    const ours = computeTwilioSignature(authToken, u, formParamsFromRecord(record));
    // The SDK types params as `Record<string, any>`; the record has only strings and string arrays.
    expect(ours).toBe(twilio.getExpectedTwilioSignature(authToken, u, record));
    expect(twilio.validateRequest(authToken, ours, u, record)).toBe(true);
  }, TIMEOUT);

  test.prop([token, url, params], RUNS)('a signature made by the SDK validates here', (authToken, u, p) => {
    const unique = [...new Map(p.map(([n, v]) => [`${n}\u0000${v}`, [n, v] as const])).values()].filter(([n]) => n !== '');
    const grouped = new Map<string, Array<string>>();
    for (const [n, v] of unique) grouped.set(n, [...(grouped.get(n) ?? []), v]);
    // fromEntries defines own properties, so a name like `__proto__` stays a parameter.
    const record = Object.fromEntries(grouped);
    const signature = twilio.getExpectedTwilioSignature(authToken, u, record);
    expect(isValidTwilioSignature(authToken, signature, u, unique)).toBe(true);
  }, TIMEOUT);
});

type Tamper =
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'name'; readonly index: number; readonly name: string }
  | { readonly kind: 'value'; readonly index: number; readonly value: string }
  | { readonly kind: 'add'; readonly pair: readonly [string, string] }
  | { readonly kind: 'remove'; readonly index: number }
  | { readonly kind: 'token'; readonly token: string };

const tamper: fc.Arbitrary<Tamper> = fc.oneof(
  fc.oneof(url, fc.string({ minLength: 1, maxLength: 3 })).map((u): Tamper => ({ kind: 'url', url: u })),
  fc.tuple(fc.nat(), name).map(([index, n]): Tamper => ({ kind: 'name', index, name: n })),
  fc.tuple(fc.nat(), value).map(([index, v]): Tamper => ({ kind: 'value', index, value: v })),
  fc.tuple(name, value).map(([n, v]): Tamper => ({ kind: 'add', pair: [n, v] })),
  fc.nat().map((index): Tamper => ({ kind: 'remove', index })),
  token.map((t): Tamper => ({ kind: 'token', token: t })),
);

interface Signed {
  readonly token: string;
  readonly url: string;
  readonly params: FormParams;
}

/** Applies one change; null when the change happens to change nothing (so there is nothing to refuse). */
const apply = (s: Signed, t: Tamper): Signed | null => {
  const at = (i: number): number => i % Math.max(1, s.params.length);
  switch (t.kind) {
    case 'url': {
      // Either a different URL, or the same URL with a few characters appended.
      const changed = t.url.includes('://') ? t.url : s.url + t.url;
      return changed === s.url ? null : { ...s, url: changed };
    }
    case 'name': {
      const i = at(t.index);
      const pair = s.params[i];
      if (pair === undefined || pair[0] === t.name) return null;
      return { ...s, params: s.params.map((p, j) => (j === i ? [t.name, p[1]] : p)) };
    }
    case 'value': {
      const i = at(t.index);
      const pair = s.params[i];
      if (pair === undefined || pair[1] === t.value) return null;
      return { ...s, params: s.params.map((p, j) => (j === i ? [p[0], t.value] : p)) };
    }
    case 'add':
      return { ...s, params: [...s.params, t.pair] };
    case 'remove': {
      if (s.params.length === 0) return null;
      const i = at(t.index);
      return { ...s, params: s.params.filter((_, j) => j !== i) };
    }
    case 'token':
      return t.token === s.token ? null : { ...s, token: t.token };
  }
};

// Twilio's signed string has no delimiters, so a *combined* change (renaming `a`=`bc` to `ab`=`c`) can keep
// it; a single change of one URL, name, value, parameter or the token never does, which is what this checks.
const sameSignedString = (a: Signed, b: Signed): boolean => {
  const flat = (s: Signed): string =>
    s.url +
    [...s.params]
      .sort(([n1, v1], [n2, v2]) => (n1 < n2 ? -1 : n1 > n2 ? 1 : v1 < v2 ? -1 : v1 > v2 ? 1 : 0))
      .map(([n, v]) => n + v)
      .join('');
  return a.token === b.token && flat(a) === flat(b);
};

describe('tampering', () => {
  test.prop([token, url, params, tamper], RUNS)('any change to the URL, a name, a value, the parameter set or the token fails validation', (authToken, u, p, t) => {
    const original: Signed = { token: authToken, url: u, params: p };
    const signature = computeTwilioSignature(authToken, u, p);
    const changed = apply(original, t);
    fc.pre(changed !== null && !sameSignedString(original, changed));
    if (changed === null) return;
    expect(isValidTwilioSignature(changed.token, signature, changed.url, changed.params)).toBe(false);
    // Nor does a signature made with a changed token validate the original request.
    if (t.kind === 'token') expect(isValidTwilioSignature(authToken, computeTwilioSignature(t.token, u, p), u, p)).toBe(false);
  }, TIMEOUT);

  test.prop([token, url, params, fc.oneof(fc.string({ maxLength: 40 }), fc.base64String({ minLength: 28, maxLength: 28 }), fc.constant(''))], RUNS)(
    'a forged or missing signature is never accepted',
    (authToken, u, p, forged) => {
      fc.pre(forged !== computeTwilioSignature(authToken, u, p));
      expect(isValidTwilioSignature(authToken, forged, u, p)).toBe(false);
      expect(isValidTwilioSignature(authToken, null, u, p)).toBe(false);
      expect(isValidTwilioSignature(authToken, undefined, u, p)).toBe(false);
    },
    TIMEOUT,
  );

  it('refuses a request with an empty parameter name, which the signed string could not reveal', () => {
    const p: FormParams = [['From', '+14155552671']];
    const signature = computeTwilioSignature('t0ken', 'https://x.example/sms', p);
    expect(isValidTwilioSignature('t0ken', signature, 'https://x.example/sms', [...p, ['', '']])).toBe(false);
  });

  it('refuses a duplicated identical parameter (which the SDK would collapse)', () => {
    const p: FormParams = [['Body', 'hi']];
    const signature = computeTwilioSignature('t0ken', 'https://x.example/sms', p);
    expect(isValidTwilioSignature('t0ken', signature, 'https://x.example/sms', [...p, ['Body', 'hi']])).toBe(false);
  });

  it('never accepts anything with an empty auth token', () => {
    const signature = computeTwilioSignature('', 'https://x.example/sms', []);
    expect(isValidTwilioSignature('', signature, 'https://x.example/sms', [])).toBe(false);
  });
});

describe('signedUrlCandidates', () => {
  it('is the URL as configured, without its port, and with the default port', () => {
    expect(signedUrlCandidates('https://sms.example.com/twilio/sms?a=1')).toEqual([
      'https://sms.example.com/twilio/sms?a=1',
      'https://sms.example.com:443/twilio/sms?a=1',
    ]);
    expect(signedUrlCandidates('https://sms.example.com:8443/twilio/sms')).toEqual([
      'https://sms.example.com:8443/twilio/sms',
      'https://sms.example.com/twilio/sms',
    ]);
    expect(signedUrlCandidates('http://[::1]:8080/x')).toEqual(['http://[::1]:8080/x', 'http://[::1]/x']);
    expect(signedUrlCandidates('not a url')).toEqual(['not a url']);
  });
});
