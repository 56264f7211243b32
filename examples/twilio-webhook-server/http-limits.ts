import type { ServerOptions } from 'node:http';
import * as E from 'fp-ts/lib/Either.js';

/**
 * What one client may hold of the server. Twilio sends a webhook of a few KiB in one go, so generous
 * limits cost it nothing, while a client that opens connections and trickles bytes (slowloris) is cut
 * off instead of holding sockets for minutes.
 */
export interface HttpLimits {
  /** Longest time to receive a whole request, headers and body (node:http `requestTimeout`); answered 408. */
  readonly requestTimeoutMs: number;
  /** Longest time to receive the headers (`headersTimeout`); at most `requestTimeoutMs`. */
  readonly headersTimeoutMs: number;
  /** How long an idle keep-alive connection stays open after an answer (`keepAliveTimeout`). */
  readonly keepAliveTimeoutMs: number;
  /** Most connections open at once (`maxConnections`); one more is closed as soon as it is accepted. */
  readonly maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  requestTimeoutMs: 10_000,
  headersTimeoutMs: 5_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 256,
};

/** The environment variable of each limit. */
export const HTTP_LIMIT_VARIABLES = {
  requestTimeoutMs: 'HTTP_REQUEST_TIMEOUT_MS',
  headersTimeoutMs: 'HTTP_HEADERS_TIMEOUT_MS',
  keepAliveTimeoutMs: 'HTTP_KEEP_ALIVE_TIMEOUT_MS',
  maxConnections: 'HTTP_MAX_CONNECTIONS',
} as const satisfies Record<keyof HttpLimits, string>;

const RANGES: Readonly<Record<keyof HttpLimits, readonly [min: number, max: number]>> = {
  requestTimeoutMs: [100, 600_000],
  headersTimeoutMs: [100, 600_000],
  keepAliveTimeoutMs: [100, 600_000],
  maxConnections: [1, 100_000],
};

/** The limits from `read(variable)` (undefined: the default), or one sentence per unusable value. */
export const httpLimitsFrom = (read: (variable: string) => string | undefined): E.Either<ReadonlyArray<string>, HttpLimits> => {
  const problems: Array<string> = [];
  const value = (key: keyof HttpLimits): number => {
    const name = HTTP_LIMIT_VARIABLES[key];
    const raw = read(name)?.trim();
    if (raw === undefined || raw === '') return DEFAULT_HTTP_LIMITS[key];
    const [min, max] = RANGES[key];
    if (/^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max) return Number(raw);
    problems.push(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    return DEFAULT_HTTP_LIMITS[key];
  };
  const limits: HttpLimits = {
    requestTimeoutMs: value('requestTimeoutMs'),
    headersTimeoutMs: value('headersTimeoutMs'),
    keepAliveTimeoutMs: value('keepAliveTimeoutMs'),
    maxConnections: value('maxConnections'),
  };
  const orderProblem = limitsProblem(limits);
  if (orderProblem !== null) problems.push(orderProblem);
  return problems.length === 0 ? E.right(limits) : E.left(problems);
};

/** node:http refuses a headers timeout longer than the request timeout. */
export const limitsProblem = (limits: HttpLimits): string | null =>
  limits.headersTimeoutMs > limits.requestTimeoutMs
    ? `${HTTP_LIMIT_VARIABLES.headersTimeoutMs} (${limits.headersTimeoutMs}) must not be longer than ${HTTP_LIMIT_VARIABLES.requestTimeoutMs} (${limits.requestTimeoutMs})`
    : null;

/**
 * The node:http options for `limits`. node:http enforces the request and headers timeouts on a timer that
 * runs every `connectionsCheckingInterval` (30 s by default, which would let a slow client stay up to 30 s
 * past its limit): here it runs at a quarter of the shorter timeout, at most every second.
 */
export const nodeServerOptions = (limits: HttpLimits): ServerOptions => ({
  requestTimeout: limits.requestTimeoutMs,
  headersTimeout: limits.headersTimeoutMs,
  keepAliveTimeout: limits.keepAliveTimeoutMs,
  connectionsCheckingInterval: Math.max(25, Math.min(1_000, Math.floor(Math.min(limits.requestTimeoutMs, limits.headersTimeoutMs) / 4))),
});
