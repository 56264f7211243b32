// R2: a search of thousands of distinct words answers as core's inboxPage (the port takes any text; the facade
// refuses one over 200 characters). Every word but one was once a probe of its own in the page statement, three
// times in a folder view: at 20,000 words planning it grew a backend to 23 GB until the kernel ended it and the
// server went into recovery (found by review). The page is asked with a statement_timeout, so that a regression
// fails this test by a refused statement rather than by taking the server down.
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

const WORDS = Number(process.env['MC_TEST_SEARCH_WORDS'] ?? 4_000);
const TIMEOUT = process.env['MC_TEST_SEARCH_TIMEOUT'] ?? '3s';

describe('R2 search of thousands of distinct words', () => {
  const db = useFreshDatabase('search thousands of words');

  for (const searchWay of [undefined, 'walk'] as const)
    it(`R2 a search of ${WORDS} distinct words in a folder view answers as core's inboxPage, asked under a ${TIMEOUT} statement_timeout (searchWay ${searchWay ?? 'default'})`, async () => {
      const pool = db().pool;
      // The page is asked on connections with a statement_timeout.
      const guarded = db().newPool({ options: `-c statement_timeout=${TIMEOUT}` });
      const { schema, world } = await foldedHistory(pool, `huge ${searchWay ?? 'default'}`);
      const search = ['c', ...Array.from({ length: WORDS - 1 }, (_, i) => `c${i}`)].join(' ');
      const viewer = staffOf(B1, S1);
      const core = await createInMemoryReadModelStore({ store: world.store }).inbox({ businessId: B1, viewer, search, view: 'unread', limit: 5 })();
      expect(E.isRight(core)).toBe(true);
      const started = performance.now();
      const pg = await inboxPageFromPg(guarded, { businessId: B1, viewer, search, view: 'unread', limit: 5 }, { schema, ...(searchWay === undefined ? {} : { searchWay }) })();
      const ms = performance.now() - started;
      console.log(`${WORDS} words, searchWay ${searchWay ?? 'default'}: ${ms.toFixed(0)} ms`);
      expect(answerOf(pg)).toEqual(answerOf(core));
    }, 300_000);
});
