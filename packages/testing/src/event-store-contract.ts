import { afterAll, beforeAll, describe } from 'vitest';
import { describeAppendAndRead } from './event-store-contract/append-and-read.js';
import { describeConcurrency } from './event-store-contract/concurrency.js';
import { describeReadAll } from './event-store-contract/read-all.js';
import { describeSubscription } from './event-store-contract/subscription.js';
import type { EventStoreContractTarget } from './event-store-contract/support.js';
import { describeTombstone } from './event-store-contract/tombstone.js';

export type { EventStoreContractTarget } from './event-store-contract/support.js';

/**
 * Registers the EventStore contract (the semantics documented on the port, which follow EventStoreDB)
 * as Vitest tests for one implementation. `create` runs once, before the tests; `dispose` after them.
 * Every test writes to streams with unique names that do not start with `mc-`, so the suite can run
 * against a shared real server.
 */
export const describeEventStoreContract = (name: string, create: () => Promise<EventStoreContractTarget>): void => {
  describe(`EventStore contract: ${name}`, () => {
    let target: EventStoreContractTarget | undefined;
    const current = (): EventStoreContractTarget => {
      if (target === undefined) throw new Error(`the ${name} event store was not created (did its create() fail?)`);
      return target;
    };
    beforeAll(async () => {
      target = await create();
    });
    afterAll(async () => {
      await target?.dispose?.();
    });

    describeAppendAndRead(current);
    describeReadAll(current);
    describeConcurrency(current);
    describeSubscription(current);
    describeTombstone(current);
  });
};
