// R2: a search text of any length answers as core's: the words are bound as one array parameter (one
// parameter per word passed PostgreSQL's 65,535 for a long text) and a repeated word is asked once.
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { inboxPageFromPg } from '../src/index.js';
import { useFreshDatabase } from './support/fresh-database.js';
import { BUSINESSES, STAFF, staffOf } from './support/histories.js';
import { foldedHistory } from './support/folded-history.js';

const [B1] = BUSINESSES;
const [S1] = STAFF;
if (B1 === undefined || S1 === undefined) throw new Error('fixtures missing');

const answerOf = (e: E.Either<{ readonly code: string }, unknown>): unknown => (E.isRight(e) ? e.right : e.left.code);

describe('R2 search texts with many words', () => {
  const db = useFreshDatabase('search many words');

  it('R2 a search of 70,000 words (core\'s inboxPage answers it as one) is answered, not a database-error', async () => {
    const pool = db().pool;
    const { schema, world } = await foldedHistory(pool, 'many words');
    const search = Array.from({ length: 70_000 }, () => 'client').join(' ');
    const viewer = staffOf(B1, S1);
    // The facade refuses a text over 200 characters before core's inboxPage reads it; core's inboxPage itself
    // (and inboxPageFromPg, which takes typed values) finds with 70,000 times "client" what it finds with one.
    const core = await world.mc.inbox({ businessId: B1, viewer, search: 'client', limit: 5 })();
    expect(E.isRight(core)).toBe(true);
    const pg = await inboxPageFromPg(pool, { businessId: B1, viewer, search, limit: 5 }, { schema })();
    expect(answerOf(pg)).toEqual(answerOf(core));
  }, 120_000);

  it('R2 a facade-sized search (200 characters: 100 words) in a folder view answers as core, walked or fetched', async () => {
    const pool = db().pool;
    const { schema, world } = await foldedHistory(pool, 'hundred words');
    const search = Array.from({ length: 100 }, () => 'c').join(' ');
    const viewer = staffOf(B1, S1);
    const core = await world.mc.inbox({ businessId: B1, viewer, search, view: 'unread', limit: 5 })();
    for (const searchWay of ['walk', 'fetch', 'sieve'] as const) {
      const pg = await inboxPageFromPg(pool, { businessId: B1, viewer, search, view: 'unread', limit: 5 }, { schema, searchWay })();
      expect(answerOf(pg), searchWay).toEqual(answerOf(core));
    }
  }, 120_000);
});
