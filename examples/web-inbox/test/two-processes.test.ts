/**
 * Two host processes of the web inbox on one store and one PostgreSQL (issue 15), each started as a user
 * starts it: main.ts under tsx, configured by the environment (PORT=0, EVENTSTOREDB_URL, DATABASE_URL; the
 * second with SEED=false). The loopback EventStoreDB server and a throwaway database stand in for the real
 * ones. A client's text received by the first shows in the second's inbox, a staff member's read on the
 * second shows in the first, the rows are in PostgreSQL's tables, and both stop cleanly on SIGTERM.
 */
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackEventStore, type LoopbackEventStoreServer } from '../../../packages/eventstoredb/test/support/loopback-server.js';
import { freshDatabase, type FreshDatabase } from '../../../packages/postgres/test/support/fresh-database.js';
import { InboxPage, type InboxRow } from '../client/wire.js';
import { screenshot, useChromium } from './support/browser.js';
import { badge, clientTexts, openInbox, problemsOf, row, rowIds, until, type Listening } from './support/inbox-app.js';
import { killAll, startInboxProcess, type InboxExit, type InboxProcess } from './support/inbox-process.js';

const chromium = useChromium();
let loopback: LoopbackEventStoreServer | undefined;
let db: FreshDatabase | undefined;

beforeAll(async () => {
  loopback = await startLoopbackEventStore();
  db = await freshDatabase('web inbox two processes');
});
// A test that timed out never reached its `finally`: its processes must not outlive it.
afterEach(killAll);
afterAll(async () => {
  await db?.drop();
  await loopback?.stop();
});

/** One row of a staff member's inbox, as the process's JSON API answers it. */
const inboxRow = async (app: Listening, staffId: string, conversationId: string): Promise<InboxRow | undefined> => {
  const response = await fetch(`${app.url}/api/inbox?staff=${staffId}`);
  const page = InboxPage.decode(await response.json());
  if (!response.ok || E.isLeft(page)) throw new Error(`GET /api/inbox answered ${response.status} with no inbox page`);
  return page.right.rows.find((r) => r.conversationId === conversationId);
};

const CLEAN_EXIT: InboxExit = { code: 0, signal: null, forced: false, strays: false };

describe('web inbox: two host processes', () => {
  it('share one store and one PostgreSQL: a text received by one shows in the other, a read on the other shows in the first', { timeout: 180_000 }, async ({ onTestFailed }) => {
    if (loopback === undefined || db === undefined) throw new Error('the store and the database were not started (did beforeAll fail?)');
    const env = { PORT: '0', EVENTSTOREDB_URL: loopback.connectionString, DATABASE_URL: db.url };
    const processes: InboxProcess[] = [];
    // The processes' own logs (a projection runner's failure, say) say why a page did not update.
    onTestFailed(() => {
      for (const [i, p] of processes.entries()) console.error(`--- stderr of the ${i === 0 ? 'first' : 'second'} web inbox (${p.url})\n${p.stderr()}`);
    });
    let exits: ReadonlyArray<InboxExit> = [];
    try {
      const first = await startInboxProcess('first web inbox', env);
      processes.push(first);
      const seeded = loopback.log.records.length;
      // Started once the first has seeded the salon: the second finds it in the store, and writes nothing.
      const second = await startInboxProcess('second web inbox', { ...env, SEED: 'false' });
      processes.push(second);
      expect(loopback.log.records.length).toBe(seeded);
      expect(first.url).not.toBe(second.url);
      for (const p of processes) {
        expect(p.banner).toContain(`store: EventStoreDB at ${loopback.connectionString}`);
        expect(p.banner).toContain(`read models: PostgreSQL at ${new URL(db.url).host}/${db.name}`);
      }

      const dana = await openInbox(chromium(), first, 'dana');
      const eli = await openInbox(chromium(), second, 'eli');
      expect(await rowIds(eli)).toEqual(['zoe', 'dev', 'ben', 'ana']);

      await clientTexts(first, '+16465550142', 'Texted to the first process');
      await until('the second process’s page shows it', () => row(eli, 'ben').locator('.last').textContent(), '← Texted to the first process', 10_000);
      await until('Eli’s badge', () => badge(eli), '5');
      expect((await inboxRow(second, 'eli', 'ben'))?.lastMessage?.text).toBe('Texted to the first process');

      await row(eli, 'ben').click();
      await until('Eli’s read shows in Dana’s page on the first process', () => row(dana, 'ben').getAttribute('data-folder'), 'read', 10_000);
      expect((await inboxRow(first, 'dana', 'ben'))?.folder).toBe('read');

      // The queries read these rows: both processes' projection runners write one set of tables (the key
      // columns hold ids in their stored form; the record, core's, holds them as they are).
      const rows = await db.pool.query<{ id: string; last: string; unread: number }>(
        `SELECT record->>'conversationId' AS id, record->'lastMessage'->>'text' AS last, shared_unread AS unread FROM message_center_inbox_conversations ORDER BY conversation_id`,
      );
      expect(rows.rows.map((r) => r.id)).toEqual(['ana', 'ben', 'dev', 'zoe']);
      expect(rows.rows.find((r) => r.id === 'ben')).toEqual({ id: 'ben', last: 'Texted to the first process', unread: 0 });

      await screenshot(eli, 'two-processes');
      expect([...problemsOf(dana), ...problemsOf(eli)]).toEqual([]);
      await dana.context().close();
      await eli.context().close();
    } finally {
      exits = await Promise.all(processes.map((p) => p.stop()));
    }
    // Reached only when the flow passed: a failure above is reported as itself.
    expect(exits).toEqual([CLEAN_EXIT, CLEAN_EXIT]);
  });
});
