// The long-search tests' common ground: one fixed generated history (seed 7), played by the real Message Center
// and folded by the inbox projection into a schema of its own.
import { fc } from '@fast-check/vitest';
import type { Pool } from 'pg';
import { inboxHistoryArb, newWorld, type World } from './histories.js';
import { foldInbox, migratedSchema } from './runner-fixtures.js';

export const foldedHistory = async (pool: Pool, label: string): Promise<{ readonly schema: string; readonly world: World }> => {
  const schema = await migratedSchema(pool, label);
  const world = newWorld();
  const [steps] = fc.sample(inboxHistoryArb(30), { numRuns: 1, seed: 7 });
  await world.play(steps ?? []);
  await foldInbox(pool, world.store, schema, 50);
  return { schema, world };
};
