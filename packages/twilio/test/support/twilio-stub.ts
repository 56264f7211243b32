import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import twilio from 'twilio';
import { loadOpenApi, type OpenApi, type Pairs, type ShapeReport } from './openapi.js';

/**
 * A loopback HTTP server on 127.0.0.1 that answers like Twilio's REST API v2010: Basic auth checked,
 * every request checked against Twilio's OpenAPI description (a malformed request gets Twilio's 400 and is
 * recorded as a violation), success bodies built from the documented examples, and scripted failures with
 * Twilio's JSON error body `{ code, message, more_info, status }`.
 */

export interface CapturedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Pairs;
  readonly form: Pairs;
  readonly authorization: string | null;
  readonly report: ShapeReport;
}

export type StubReply =
  | { readonly kind: 'error'; readonly status: number; readonly code?: number; readonly message?: string }
  /** Destroys the socket without an answer: a network failure for the client. */
  | { readonly kind: 'drop' }
  /** Never answers (the connection stays open until the stub closes): a hanging Twilio. */
  | { readonly kind: 'hang' }
  | { readonly kind: 'ok'; readonly body?: Readonly<Record<string, unknown>> };

/** A number the stub's account holds (its IncomingPhoneNumbers). */
export interface HeldNumberOptions {
  /** Whether it can send and receive SMS (default true). */
  readonly sms?: boolean;
  readonly smsUrl?: string;
}

export interface TwilioStub {
  readonly baseUrl: string;
  readonly accountSid: string;
  readonly authToken: string;
  readonly requests: ReadonlyArray<CapturedRequest>;
  /** Requests whose shape Twilio's OpenAPI description does not allow. */
  readonly violations: () => ReadonlyArray<string>;
  /** Replies for the next calls of an operation (`CreateMessage`, …), in order; then the default success. */
  readonly script: (operationId: string, ...replies: ReadonlyArray<StubReply>) => void;
  /**
   * Puts a number among the account's IncomingPhoneNumbers, as if bought earlier. A successful
   * `CreateIncomingPhoneNumber` adds the bought number too; `ListIncomingPhoneNumber` lists them.
   */
  readonly hold: (phoneNumber: string, options?: HeldNumberOptions) => void;
  /** A real twilio SDK client whose API domain points at this stub. */
  readonly client: (options?: { readonly authToken?: string }) => twilio.Twilio;
  readonly close: () => Promise<void>;
}

export const TEST_ACCOUNT_SID = 'AC0123456789abcdef0123456789abcdef';
// Distinctive, so that a search for it in errors and logs cannot match by accident.
export const TEST_AUTH_TOKEN = 'f00dfacecafe5eed0ddba11b16b00b5e';

const twilioError = (status: number, code: number, message: string): Record<string, unknown> => ({
  code,
  message,
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status,
});

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

interface HeldEntry {
  readonly sid: string;
  readonly sms: boolean;
  readonly smsUrl: string;
}

const hex32 = (n: number): string => n.toString(16).padStart(32, '0');

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : {};

export const startTwilioStub = async (
  options: { readonly accountSid?: string; readonly authToken?: string } = {},
): Promise<TwilioStub> => {
  const accountSid = options.accountSid ?? TEST_ACCOUNT_SID;
  const authToken = options.authToken ?? TEST_AUTH_TOKEN;
  const api: OpenApi = loadOpenApi();
  const requests: Array<CapturedRequest> = [];
  const scripts = new Map<string, Array<StubReply>>();
  const held = new Map<string, HeldEntry>();
  let counter = 0;
  const hold = (phoneNumber: string, o: HeldNumberOptions = {}): void => {
    counter += 1;
    held.set(phoneNumber, { sid: `PN${hex32(counter)}`, sms: o.sms ?? true, smsUrl: o.smsUrl ?? '' });
  };
  // Twilio matches `PhoneNumber` partially, `*` standing for any digit: a number that contains the pattern.
  const heldMatching = (pattern: string | undefined): ReadonlyArray<readonly [string, HeldEntry]> => {
    if (pattern === undefined) return [...held];
    const digits = new RegExp(pattern.replace(/[^0-9*]/g, '').replaceAll('*', '\\d'));
    return [...held].filter(([n]) => digits.test(n.replace(/\D/g, '')));
  };

  const successBody = (operationId: string, form: Pairs, query: Pairs, path: string): { status: number; body: unknown } => {
    const field = (name: string): string | undefined => form.find(([n]) => n === name)?.[1];
    counter += 1;
    switch (operationId) {
      case 'CreateMessage': {
        const sid = `SM${hex32(counter)}`;
        const example = record(api.example('CreateMessage', '201', 'create'));
        return {
          status: 201,
          body: {
            ...example,
            account_sid: accountSid,
            sid,
            to: field('To') ?? null,
            from: field('From') ?? null,
            messaging_service_sid: field('MessagingServiceSid') ?? null,
            body: field('Body') ?? '',
            status: 'queued',
            uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
          },
        };
      }
      case 'ListAvailablePhoneNumberLocal': {
        const country = /AvailablePhoneNumbers\/([^/]+)\//.exec(path)?.[1] ?? 'US';
        const example = record(api.example('ListAvailablePhoneNumberLocal', '200', 'readFull'));
        const first = record(Array.isArray(example['available_phone_numbers']) ? example['available_phone_numbers'][0] : undefined);
        const numbers: Record<string, ReadonlyArray<string>> = {
          US: ['+14155550101', '+14155550102'],
          CA: ['+16135550101'],
          AU: ['+61255550101'],
          GB: ['+441615550101'],
        };
        return {
          status: 200,
          body: {
            ...example,
            available_phone_numbers: (numbers[country] ?? []).map((n) => ({
              ...first,
              phone_number: n,
              friendly_name: n,
              iso_country: country,
              // The live API spells the capability keys this way.
              capabilities: { voice: true, SMS: true, MMS: country === 'US' || country === 'CA' },
            })),
            uri: path,
          },
        };
      }
      case 'CreateIncomingPhoneNumber': {
        const example = record(api.example('CreateIncomingPhoneNumber', '201', 'create'));
        const phoneNumber = field('PhoneNumber');
        if (phoneNumber !== undefined) held.set(phoneNumber, { sid: `PN${hex32(counter)}`, sms: true, smsUrl: field('SmsUrl') ?? '' });
        return {
          status: 201,
          body: {
            ...example,
            account_sid: accountSid,
            sid: `PN${hex32(counter)}`,
            phone_number: field('PhoneNumber') ?? null,
            sms_url: field('SmsUrl') ?? null,
            sms_method: field('SmsMethod') ?? 'POST',
            status_callback: field('StatusCallback') ?? null,
            // The numbers the stub sells can send and receive SMS (the documented example's cannot).
            capabilities: { voice: true, sms: true, mms: true, fax: false },
          },
        };
      }
      case 'ListIncomingPhoneNumber': {
        const example = record(api.example('ListIncomingPhoneNumber', '200', 'readFull'));
        const first = record(Array.isArray(example['incoming_phone_numbers']) ? example['incoming_phone_numbers'][0] : undefined);
        const uri = `${path}?${query.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&')}`;
        return {
          status: 200,
          body: {
            ...example,
            incoming_phone_numbers: heldMatching(query.find(([n]) => n === 'PhoneNumber')?.[1]).map(([n, h]) => ({
              ...first,
              account_sid: accountSid,
              sid: h.sid,
              phone_number: n,
              friendly_name: n,
              sms_url: h.smsUrl,
              capabilities: { voice: true, sms: h.sms, mms: h.sms, fax: false },
              uri: `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers/${h.sid}.json`,
            })),
            first_page_uri: uri,
            next_page_uri: null,
            uri,
          },
        };
      }
      default:
        return { status: 200, body: {} };
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const contentType = req.headers['content-type'] ?? null;
    const form: Pairs = raw === '' ? [] : [...new URLSearchParams(raw)];
    const query: Pairs = [...url.searchParams];
    const report: ShapeReport = api.validate({ method: req.method ?? 'GET', path: url.pathname, query, form, contentType });
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query, form, authorization: req.headers.authorization ?? null, report });

    const send = (status: number, body: unknown): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
    };
    const expected = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      send(401, twilioError(401, 20003, 'Authenticate'));
      return;
    }
    if (report.problems.length > 0) {
      send(400, twilioError(400, 21999, `request does not match Twilio's API description: ${report.problems.join('; ')}`));
      return;
    }
    const operationId = report.operationId ?? '';
    const reply = scripts.get(operationId)?.shift();
    if (reply?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (reply?.kind === 'hang') return;
    if (reply?.kind === 'error') {
      send(reply.status, twilioError(reply.status, reply.code ?? reply.status * 100, reply.message ?? `error ${reply.code ?? reply.status}`));
      return;
    }
    const success = successBody(operationId, form, query, url.pathname);
    send(success.status, { ...record(success.body), ...(reply?.body ?? {}) });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    accountSid,
    authToken,
    requests,
    violations: () => requests.flatMap((r) => r.report.problems.map((p) => `${r.method} ${r.path}: ${p}`)),
    script: (operationId, ...replies) => {
      scripts.set(operationId, [...(scripts.get(operationId) ?? []), ...replies]);
    },
    hold,
    client: (o = {}) => {
      const client = twilio(accountSid, o.authToken ?? authToken, { autoRetry: false });
      // Twilio's documented way to point the SDK elsewhere: the domain's base URL.
      client.api.baseUrl = baseUrl;
      return client;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((e) => (e === undefined ? resolve() : reject(e)));
        server.closeAllConnections();
      }),
  };
};
