import type { ExpectedRevision, StoreError } from '../application/ports/event-store.js';

// The StoreError values every EventStore implementation reports, built once so that the in-memory store
// and the adapters say the same things in the same words.

const showExpected = (expected: ExpectedRevision): string => (typeof expected === 'bigint' ? `revision ${expected}` : expected);

/** `actual`: the stream's revision, -1n when it does not exist, null when the store does not say. */
export const concurrencyConflict = (streamId: string, expected: ExpectedRevision, actual: bigint | null): StoreError => ({
  code: 'concurrency-conflict',
  message: `stream ${streamId}: expected ${showExpected(expected)} but the stream is ${
    actual === null ? 'elsewhere' : actual < 0n ? 'missing' : `at revision ${actual}`
  }`,
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

/** A request the store refuses as malformed (an id that is not a UUID, data JSON cannot carry, a negative revision); not retryable. */
export const invalidRequest = (message: string): StoreError => ({ code: 'invalid-request', message: `invalid request: ${message}` });

/** A bug in the in-memory store itself; typed rather than thrown, so callers see a Left and never a rejection. */
export const unexpectedFailure = (cause: unknown): StoreError => ({
  code: 'store-unavailable',
  message: `the in-memory event store failed unexpectedly: ${cause instanceof Error ? cause.message : String(cause)}`,
  cause,
});
