// R2: a search of many *distinct* words answers as core's inboxPage. The counting statement once selected a
// column per word, and PostgreSQL refuses a target list of more than 1,664 entries: from 1,664 distinct words
// the page answered database-error (found by review; now a row per word).
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { createInMemoryReadModelStore } from '@message-center/core';
import { inboxPageFromPg } from '../src/index.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { BUSINESSES, STAFF, staffOf } from './support/histories.js';
import { foldedHistory } from './support/folded-history.js';

const [B1] = BUSINESSES;
const [S1] = STAFF;
if (B1 === undefined || S1 === undefined) throw new Error('fixtures missing');

const answerOf = (e: E.Either<{ readonly code: string; readonly message?: string }, unknown>): unknown => (E.isRight(e) ? e.right : `${e.left.code}: ${e.left.message ?? ''}`);

describe('R2 search of many distinct words', () => {
  const db = useFreshDatabase('search distinct words');

  for (const searchWay of [undefined, 'fetch', 'walk', 'sieve'] as const)
    it(`R2 a search of 1,700 distinct words answers as core's inboxPage (searchWay ${searchWay ?? 'default'})`, async () => {
      const pool = db().pool;
      const { schema, world } = await foldedHistory(pool, `distinct ${searchWay ?? 'default'}`);
      // "client" (every card has it) and 1,699 other distinct words; "c" alone would find them all.
      const search = ['c', ...Array.from({ length: 1_699 }, (_, i) => `c${i}`)].join(' ');
      const viewer = staffOf(B1, S1);
      // The facade refuses a text over 200 characters; core's inboxPage (the in-memory ReadModelStore) answers it.
      const core = await createInMemoryReadModelStore({ store: world.store }).inbox({ businessId: B1, viewer, search, limit: 5 })();
      expect(E.isRight(core)).toBe(true);
      const pg = await inboxPageFromPg(pool, { businessId: B1, viewer, search, limit: 5 }, { schema, ...(searchWay === undefined ? {} : { searchWay }) })();
      expect(answerOf(pg)).toEqual(answerOf(core));
    }, 180_000);
});
