import type { ExpectedRevision, StoreError } from '../application/ports/event-store.js';

const showExpected = (expected: ExpectedRevision): string => (typeof expected === 'bigint' ? `revision ${expected}` : expected);

export const concurrencyConflict = (streamId: string, expected: ExpectedRevision, actual: bigint): StoreError => ({
  code: 'concurrency-conflict',
  message: `stream ${streamId}: expected ${showExpected(expected)} but the stream is ${actual < 0n ? 'missing' : `at revision ${actual}`}`,
  streamId,
  expected,
  actual,
});

export const streamDeleted = (streamId: string): StoreError => ({
  code: 'stream-deleted',
  message: `stream ${streamId} has been deleted`,
  streamId,
});

export const appendTooLarge = (streamId: string, bytes: number, limit: number): StoreError => ({
  code: 'append-too-large',
  message: `append to ${streamId} is ${bytes} bytes, over the limit of ${limit}`,
  streamId,
  bytes,
});

/**
 * A request the store refuses as malformed (an id that is not a UUID, data that is not JSON, a negative
 * revision). The port has no code for it, so it is reported the way an adapter reports a request its
 * client library rejects: `store-unavailable`, with a `TypeError` as the cause. It is not retryable.
 */
export const invalidRequest = (message: string): StoreError => ({
  code: 'store-unavailable',
  message: `invalid request: ${message}`,
  cause: new TypeError(message),
});

/** A bug in the store itself; typed rather than thrown, so callers see a Left and never a rejection. */
export const unexpectedFailure = (cause: unknown): StoreError => ({
  code: 'store-unavailable',
  message: `the in-memory event store failed unexpectedly: ${cause instanceof Error ? cause.message : String(cause)}`,
  cause,
});
