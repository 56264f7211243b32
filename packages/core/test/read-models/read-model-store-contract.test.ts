/**
 * Issue 15: core's in-memory read models, as a `ReadModelStore` apart from any facade, pass the read-model
 * store contract that every implementation (PostgreSQL's among them) must pass.
 */
import { createInMemoryReadModelStore } from '@message-center/core';
import { describeReadModelStoreContract } from '@message-center/testing';

describeReadModelStoreContract('in-memory', async () => ({
  // Caught up before each answer: "caught up" is already true of every answer it gives.
  attach: async (events) => ({ store: createInMemoryReadModelStore({ store: events }), caughtUp: async () => undefined, detach: async () => undefined }),
  numRuns: 25,
}));
