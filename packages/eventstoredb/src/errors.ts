import { appendTooLarge, concurrencyConflict, streamDeleted, type ExpectedRevision, type StoreError } from '@message-center/core';

export { concurrencyConflict, invalidRequest, streamDeleted } from '@message-center/core';

/** A property of a thrown value, without trusting its class: errors may come from another copy of the client. */
const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined;

/**
 * The client's error kind, e.g. `wrong-expected-version` (`ErrorType` in the client's
 * `utils/CommandError.js`). Matched by this string, never by `instanceof`, so that errors thrown by a
 * second copy of `@eventstore/db-client` or by `@kurrent/kurrentdb-client` are recognised too.
 */
export const errorType = (error: unknown): string | undefined => {
  const type = field(error, 'type');
  return typeof type === 'string' ? type : undefined;
};

const errorMessage = (error: unknown): string => {
  const message = field(error, 'message');
  return typeof message === 'string' && message !== '' ? message : String(error);
};

/**
 * The stream's revision as a WrongExpectedVersionError reports it: v6 calls it `actualVersion`,
 * KurrentDB 1.x `actualState`; either is a revision or `no_stream` (then -1, as in the port).
 */
const actualRevision = (error: unknown): bigint | null => {
  const actual = field(error, 'actualVersion') ?? field(error, 'actualState');
  if (typeof actual === 'bigint') return actual;
  return actual === 'no_stream' ? -1n : null;
};

export const unavailable = (operation: string, cause: unknown): StoreError => ({
  code: 'store-unavailable',
  message: `EventStoreDB ${operation} failed (${errorType(cause) ?? 'error'}): ${errorMessage(cause)}`,
  cause,
});

const DELETED = new Set(['stream-deleted', 'stream-tombstoned']);
const TOO_LARGE = new Set(['maximum-append-size-exceeded', 'append-record-size-exceeded', 'transaction-max-size-exceeded']);

export const isStreamDeleted = (error: unknown): boolean => DELETED.has(errorType(error) ?? '');
export const isStreamNotFound = (error: unknown): boolean => errorType(error) === 'stream-not-found';

/** Maps what the client threw for an append; `bytes`/`limit` are the adapter's own count of the batch. */
export const appendError = (
  streamId: string,
  expected: ExpectedRevision,
  size: { readonly bytes: number; readonly limit: number },
  error: unknown,
): StoreError => {
  const type = errorType(error);
  if (type === 'wrong-expected-version') return concurrencyConflict(streamId, expected, actualRevision(error));
  if (isStreamDeleted(error)) return streamDeleted(streamId);
  if (TOO_LARGE.has(type ?? '')) return appendTooLarge(streamId, size.bytes, size.limit);
  return unavailable(`append to ${streamId}`, error);
};

/** Errors after which a dropped subscription is not tried again: retrying would fail the same way. */
const PERMANENT = new Set(['access-denied', 'invalid-argument', 'unsupported', 'stream-deleted', 'stream-tombstoned']);
export const isPermanent = (error: unknown): boolean => PERMANENT.has(errorType(error) ?? '');
