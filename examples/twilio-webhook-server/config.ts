import * as E from 'fp-ts/lib/Either.js';
import { DEFAULT_HTTP_LIMITS, httpLimitsFrom, type HttpLimits } from './http-limits.js';

/** The business the server enables on start (B1), or brings in line with when it is already enabled. */
export interface BusinessConfig {
  readonly businessId: string;
  /** ISO country of the business (US, CA, AU, GB; IE, IM, JE, GG with a GB number). */
  readonly country: string;
  /** The Twilio number, E.164 or national in the business country. */
  readonly number: string;
  /** Messages per billing period, inbound and outbound counted (B4); outbound beyond it is refused. */
  readonly messagesPerPeriod: number;
}

export interface ServerConfig {
  readonly accountSid: string;
  readonly authToken: string;
  /** Where Twilio reaches this server (scheme, host, port, path prefix): signatures are checked against it. */
  readonly publicUrl: string;
  readonly port: number;
  readonly host: string;
  readonly business: BusinessConfig;
  /** Timeouts and the connection limit of the HTTP server. */
  readonly http: HttpLimits;
}

export interface ConfigProblems {
  /** Names of required variables that are unset or empty. */
  readonly missing: ReadonlyArray<string>;
  /** One sentence per variable whose value is unusable; never quotes a secret. */
  readonly invalid: ReadonlyArray<string>;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_ALLOTMENT = 1000;

const REQUIRED = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'PUBLIC_URL', 'BUSINESS_ID', 'BUSINESS_COUNTRY', 'BUSINESS_NUMBER'] as const;

/** What `main.ts` prints about the variables, with `--help` or when some are missing. */
export const ENVIRONMENT_HELP = `Environment:
  TWILIO_ACCOUNT_SID          required  the account that owns the number (AC…)
  TWILIO_AUTH_TOKEN           required  signs the webhooks and authenticates sends; never printed
  PUBLIC_URL                  required  the URL Twilio calls, e.g. https://sms.example.com (behind a proxy: the public one)
  BUSINESS_ID                 required  the business enabled on start
  BUSINESS_COUNTRY            required  its country: US, CA, AU, GB (IE, IM, JE, GG with a GB number)
  BUSINESS_NUMBER             required  its Twilio number, e.g. +14155550100
  ALLOTMENT                   optional  messages per billing period (default ${DEFAULT_ALLOTMENT})
  PORT                        optional  default ${DEFAULT_PORT}
  HOST                        optional  default ${DEFAULT_HOST}
  EVENTSTOREDB_URL            optional  esdb://… to keep events in EventStoreDB instead of memory
  HTTP_REQUEST_TIMEOUT_MS     optional  longest time to receive a whole request (default ${DEFAULT_HTTP_LIMITS.requestTimeoutMs})
  HTTP_HEADERS_TIMEOUT_MS     optional  longest time to receive its headers (default ${DEFAULT_HTTP_LIMITS.headersTimeoutMs})
  HTTP_KEEP_ALIVE_TIMEOUT_MS  optional  how long an idle connection stays open (default ${DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs})
  HTTP_MAX_CONNECTIONS        optional  most connections at once (default ${DEFAULT_HTTP_LIMITS.maxConnections})`;

const present = (env: Environment, name: string): string | null => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? null : value;
};

// Only checks that give a clearer message than the failure they prevent; the domain validates the rest.
const publicUrlProblem = (raw: string): string | null => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `PUBLIC_URL is not an absolute URL: ${JSON.stringify(raw)}`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `PUBLIC_URL must be an http(s) URL, got ${url.protocol}`;
  if (url.search !== '' || url.hash !== '') return 'PUBLIC_URL must not have a query or a fragment';
  if (url.username !== '' || url.password !== '') return 'PUBLIC_URL must not carry credentials';
  return null;
};

const integerIn = (name: string, raw: string, min: number, max: number): E.Either<string, number> =>
  /^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max
    ? E.right(Number(raw))
    : E.left(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);

/**
 * The server's configuration from environment variables, or every problem at once (so one run tells the
 * user all that is wrong). The auth token is only ever checked for presence, so no message can contain it.
 */
export const configFromEnvironment = (env: Environment): E.Either<ConfigProblems, ServerConfig> => {
  const missing = REQUIRED.filter((name) => present(env, name) === null);
  const invalid: Array<string> = [];

  const accountSid = present(env, 'TWILIO_ACCOUNT_SID');
  // Lower-case, as Twilio writes it: the webhook handler compares it with each webhook's AccountSid.
  if (accountSid !== null && !/^AC[0-9a-f]{32}$/.test(accountSid)) {
    invalid.push('TWILIO_ACCOUNT_SID must be "AC" followed by 32 lower-case hexadecimal digits (Console → Account Info)');
  }
  const publicUrl = present(env, 'PUBLIC_URL');
  const urlProblem = publicUrl === null ? null : publicUrlProblem(publicUrl);
  if (urlProblem !== null) invalid.push(urlProblem);

  const port = integerIn('PORT', present(env, 'PORT') ?? String(DEFAULT_PORT), 0, 65_535);
  const allotment = integerIn('ALLOTMENT', present(env, 'ALLOTMENT') ?? String(DEFAULT_ALLOTMENT), 0, Number.MAX_SAFE_INTEGER);
  for (const checked of [port, allotment]) if (E.isLeft(checked)) invalid.push(checked.left);

  const http = httpLimitsFrom((name) => env[name]);
  if (E.isLeft(http)) invalid.push(...http.left);

  const country = present(env, 'BUSINESS_COUNTRY');
  if (country !== null && !/^[a-z]{2}$/i.test(country)) invalid.push(`BUSINESS_COUNTRY must be a two-letter ISO country code, got ${JSON.stringify(country)}`);

  const authToken = present(env, 'TWILIO_AUTH_TOKEN');
  const businessId = present(env, 'BUSINESS_ID');
  const number = present(env, 'BUSINESS_NUMBER');
  if (
    missing.length > 0 ||
    invalid.length > 0 ||
    accountSid === null ||
    authToken === null ||
    publicUrl === null ||
    businessId === null ||
    country === null ||
    number === null ||
    E.isLeft(port) ||
    E.isLeft(allotment) ||
    E.isLeft(http)
  ) {
    return E.left({ missing, invalid });
  }
  return E.right({
    accountSid,
    authToken,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    port: port.right,
    host: present(env, 'HOST') ?? DEFAULT_HOST,
    business: { businessId, country: country.toUpperCase(), number, messagesPerPeriod: allotment.right },
    http: http.right,
  });
};

/** The problems as the lines `main.ts` prints. */
export const describeConfigProblems = (problems: ConfigProblems): string =>
  [
    'twilio-webhook-server: cannot start, the environment is incomplete.',
    ...(problems.missing.length === 0 ? [] : [`  missing: ${problems.missing.join(', ')}`]),
    ...problems.invalid.map((line) => `  invalid: ${line}`),
    '',
    ENVIRONMENT_HELP,
  ].join('\n');
