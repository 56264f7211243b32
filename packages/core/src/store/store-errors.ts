import type { StoreError } from '../application/ports/event-store.js';

export { appendTooLarge, concurrencyConflict, invalidRequest, streamDeleted } from '../application/ports/store-errors.js';

/** A bug in the store itself; typed rather than thrown, so callers see a Left and never a rejection. */
export const unexpectedFailure = (cause: unknown): StoreError => ({
  code: 'store-unavailable',
  message: `the in-memory event store failed unexpectedly: ${cause instanceof Error ? cause.message : String(cause)}`,
  cause,
});
