/**
 * The web inbox with its read models in PostgreSQL (DATABASE_URL, issue 15), on a real server the test run
 * starts: the page shows what the projection runners applied, a client's text appears live once the
 * database has it, and a second instance on the same store and database shows the first one's changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryEventStore } from '@message-center/core';
import { freshDatabase, type FreshDatabase } from '../../../packages/postgres/test/support/fresh-database.js';
import { postgresReadModels, type HostReadModels } from '../app/read-models.js';
import { startWebInbox, type RunningWebInbox } from '../app/server.js';
import { useChromium, screenshot } from './support/browser.js';
import { badge, clientTexts, openInbox, problemsOf, row, rowIds, until } from './support/inbox-app.js';

const chromium = useChromium();
let db: FreshDatabase;

beforeAll(async () => {
  db = await freshDatabase('web inbox');
});
afterAll(async () => {
  await db.drop();
});

describe('web inbox on PostgreSQL read models', () => {
  it('two instances share one store and one database: each shows the other’s changes live, read from PostgreSQL', async () => {
    const store = createInMemoryEventStore();
    const log = () => undefined;
    const models: HostReadModels[] = [];
    const instances: RunningWebInbox[] = [];
    try {
      for (const seed of [true, false]) {
        const readModels = await postgresReadModels({ databaseUrl: db.url, store, log });
        models.push(readModels);
        instances.push(await startWebInbox({ host: '127.0.0.1', port: 0, twilio: null, store, readModels, log, ...(seed ? {} : { seed: false }) }));
      }
      const [first, second] = instances;
      if (first === undefined || second === undefined) throw new Error('two instances');
      // The database answers: the rows are in its tables (the in-memory read models are never folded).
      const rows = await db.pool.query('SELECT count(*)::int AS n FROM message_center_inbox_conversations');
      expect(rows.rows).toEqual([{ n: 4 }]);
      const dana = await openInbox(chromium(), first, 'dana');
      const eli = await openInbox(chromium(), second, 'eli');
      expect(await rowIds(dana)).toEqual(['zoe', 'dev', 'ben', 'ana']);
      expect(await rowIds(eli)).toEqual(['zoe', 'dev', 'ben', 'ana']);
      await clientTexts(first, '+16465550142', 'Texted to the first instance');
      await until('the second instance shows it', () => row(eli, 'ben').locator('.last').textContent(), '← Texted to the first instance');
      await until('Eli’s badge', () => badge(eli), '5');
      await row(eli, 'ben').click();
      await until('Eli’s read shows in Dana’s list (the first instance)', () => row(dana, 'ben').getAttribute('data-folder'), 'read');
      await screenshot(eli, 'postgres-two-instances');
      expect([...problemsOf(dana), ...problemsOf(eli)]).toEqual([]);
      await dana.context().close();
      await eli.context().close();
    } finally {
      for (const instance of instances) await instance.close();
      for (const m of models) await m.close();
    }
  });
});
