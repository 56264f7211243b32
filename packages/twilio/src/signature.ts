import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Form parameters as received: name/value pairs in body order. A name may repeat (Twilio sends
 * `MediaUrl0`, `MediaUrl1`… rather than repeats, but the algorithm defines repeats, so we do too).
 */
export type FormParams = ReadonlyArray<readonly [name: string, value: string]>;

/** Pairs from a plain record; an array value is one name with several values. */
export const formParamsFromRecord = (record: Readonly<Record<string, string | ReadonlyArray<string>>>): FormParams =>
  Object.entries(record).flatMap(([name, value]): Array<readonly [string, string]> =>
    typeof value === 'string' ? [[name, value]] : value.map((v): readonly [string, string] => [name, v]),
  );

// UTF-16 code unit order, which is what `Array.prototype.sort` and the twilio SDK use.
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The parameters in the order their names and values are signed: by name, a repeated name's values sorted. */
export const signedOrder = (params: FormParams): FormParams => [...params].sort(([n1, v1], [n2, v2]) => byCodeUnits(n1, n2) || byCodeUnits(v1, v2));

/**
 * The string Twilio signs (Webhooks security, "Validating signatures from Twilio"): the full URL exactly
 * as configured, then every POST parameter sorted by name with its name and value appended without any
 * delimiter. Several values of one name are appended in sorted value order, as the twilio SDK does.
 * Unlike the SDK we keep repeated identical pairs (the SDK collapses them with a Set), so that adding
 * a duplicate of a parameter changes the signature instead of passing unnoticed. Since nothing separates
 * the pieces, other cuts of the same string carry the same signature: `resplit-guard.ts` is why the
 * webhook handler never reads one as a different message.
 */
export const signedPayload = (url: string, params: FormParams): string => url + signedOrder(params).map(([name, value]) => name + value).join('');

/** The `X-Twilio-Signature` Twilio sends for a form-encoded request: base64 HMAC-SHA1 keyed by the auth token. */
export const computeTwilioSignature = (authToken: string, url: string, params: FormParams): string =>
  createHmac('sha1', authToken).update(Buffer.from(signedPayload(url, params), 'utf8')).digest('base64');

/**
 * True only if `signature` is the signature of exactly this URL and these parameters under `authToken`.
 * The comparison is constant-time; lengths are compared first because `timingSafeEqual` requires equal
 * lengths, and the expected length (28 base64 characters) is public anyway.
 * A parameter with an empty name is refused: it never comes from Twilio, and `''` + `''` would add
 * nothing to the signed string, so it could be added to a signed request unnoticed.
 */
export const isValidTwilioSignature = (
  authToken: string,
  signature: string | null | undefined,
  url: string,
  params: FormParams,
): boolean => {
  if (authToken === '' || signature === null || signature === undefined || signature === '') return false;
  if (params.some(([name]) => name === '')) return false;
  const expected = Buffer.from(computeTwilioSignature(authToken, url, params), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

/**
 * The URLs one webhook may have been signed with. Twilio has signed HTTPS callbacks both with and
 * without the port over the years, and its SDKs accept either form (`removePort`/`addPort` in
 * twilio-node's `validateRequest`); we accept the same two forms of the configured URL and nothing else.
 */
export const signedUrlCandidates = (url: string): ReadonlyArray<string> => {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/is.exec(url);
  if (match === null) return [url];
  const [, scheme = '', authority = '', rest = ''] = match;
  const at = authority.lastIndexOf('@');
  const userInfo = authority.slice(0, at + 1);
  const hostPort = authority.slice(at + 1);
  const portStart = hostPort.indexOf(':', hostPort.lastIndexOf(']') + 1);
  const host = portStart === -1 ? hostPort : hostPort.slice(0, portStart);
  const withoutPort = scheme + userInfo + host + rest;
  const defaultPort = scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  const withPort = portStart === -1 ? scheme + userInfo + host + defaultPort + rest : url;
  return [...new Set([url, withoutPort, withPort])];
};
