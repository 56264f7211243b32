/**
 * What a failed Twilio SDK call tells us, read structurally from the thrown value so that both of the
 * SDK's exception classes (`RestException`, and `TwilioServiceException` for RFC 9457 bodies) and axios'
 * network errors are understood without depending on their classes. Raw errors are never kept: axios
 * errors carry the request config, including the `Authorization` header with the auth token.
 */
export type TwilioFailure =
  | { readonly kind: 'http'; readonly status: number; readonly code: number | null; readonly message: string }
  | { readonly kind: 'network'; readonly code: string; readonly message: string }
  /** No answer within the transport's `timeoutMs` (ours, not the SDK's). */
  | { readonly kind: 'timeout'; readonly afterMs: number }
  | { readonly kind: 'other'; readonly message: string };

const prop = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null && key in value ? Reflect.get(value, key) : undefined;

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

// Connection-level failures (Node and axios codes): the request may be tried again.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_NETWORK',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

export const readTwilioFailure = (error: unknown): TwilioFailure => {
  const status = prop(error, 'status');
  const code = prop(error, 'code');
  const message = str(prop(error, 'message')) ?? str(prop(error, 'detail')) ?? str(prop(error, 'title'));
  if (typeof status === 'number' && Number.isInteger(status)) {
    return {
      kind: 'http',
      status,
      code: typeof code === 'number' && Number.isInteger(code) ? code : null,
      message: message ?? `HTTP ${status}`,
    };
  }
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || prop(error, 'isAxiosError') === true)) {
    return { kind: 'network', code, message: message ?? code };
  }
  if (prop(error, 'isAxiosError') === true) return { kind: 'network', code: 'ERR_NETWORK', message: message ?? 'network error' };
  return { kind: 'other', message: message ?? 'unexpected error' };
};

/** Rate limits (20429 / HTTP 429), server errors and timeouts may succeed later; everything else is final. */
export const isRetryableFailure = (f: TwilioFailure): boolean =>
  f.kind === 'network' || f.kind === 'timeout' || (f.kind === 'http' && (f.code === 20429 || f.status === 429 || f.status >= 500));

/**
 * Twilio refused the account's credentials: HTTP 401, or error 20003 ("Authenticate"). Retrying with the
 * same credentials is pointless, but the message is not at fault either (a token being rotated).
 */
export const isAuthenticationFailure = (f: TwilioFailure): boolean => f.kind === 'http' && (f.status === 401 || f.code === 20003);
