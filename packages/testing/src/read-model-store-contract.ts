import { afterAll, beforeAll, describe } from 'vitest';
import { describeAgreement } from './read-model-store-contract/agreement.js';
import { describeRules } from './read-model-store-contract/rules.js';
import type { ReadModelStoreContractTarget } from './read-model-store-contract/support.js';

export type { AttachedReadModelStore, ReadModelStoreContractTarget } from './read-model-store-contract/support.js';

/**
 * Registers the read-model store contract (issue 15) as Vitest tests for one implementation of the
 * `ReadModelStore` port: on generated histories written through the facade, a store fed live and one that
 * replayed the log answer every inbox page, badge and usage report as core's in-memory read models, and the
 * rules hold on its own answers (folders, hidden pins, phone formattings, badge = sum, tenancy).
 * `create` runs once, before the tests; `dispose` after them.
 */
export const describeReadModelStoreContract = (name: string, create: () => Promise<ReadModelStoreContractTarget>): void => {
  describe(`ReadModelStore contract: ${name}`, () => {
    let target: ReadModelStoreContractTarget | undefined;
    const current = (): ReadModelStoreContractTarget => {
      if (target === undefined) throw new Error(`the ${name} read-model store was not created (did its create() fail?)`);
      return target;
    };
    beforeAll(async () => {
      target = await create();
    });
    afterAll(async () => {
      await target?.dispose?.();
    });

    describeAgreement(current);
    describeRules(current);
  });
};
