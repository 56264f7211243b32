/**
 * Lets the event loop run I/O callbacks before going on: a long fold in the process would otherwise hold back
 * the answers of the database's other connection (the runner's writer), whose next statement waits for them.
 */
export const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** How many events, rows or texts a loop works through between two yields (well under a millisecond's work). */
export const YIELD_EVERY = 128;
