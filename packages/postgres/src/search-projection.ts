import { DatabaseError, type ClientBase } from 'pg';
import { integerArray, storedTextArray } from './array-literals.js';
import type { StoredTexts } from './stored-text.js';
import { YIELD_EVERY, yieldToIo } from './yield-to-io.js';

// R2's tables (migrations 6, 14, 15 and 16), written by the inbox projection in its batch's transaction: the words
// of each client's current card (replaced with the card: a row per word, a count per word, and the card's text of
// words), the words of every message of a conversation (added: core's only grow; a row per word, a count per word,
// and the conversation's text of message words), and the numbers of each conversation (the one it started with;
// its client's cell phone). Words are core's (`search-rules.ts`), stored as `storedText`; numbers are E.164 as
// core's codec checked them.

/** A client's card as search sees it: its words and its cell phone. */
export interface ProfileSearch {
  readonly businessId: string;
  readonly clientId: string;
  readonly words: ReadonlyArray<string>;
  readonly phone: string | null;
}

/** The words of a batch's messages to one conversation. */
export interface TextSearch {
  readonly businessId: string;
  readonly conversationId: string;
  readonly words: ReadonlySet<string>;
}

/** The stored words of a conversation's messages that its text of message words did not hold before the batch (stored ids). */
export interface NewMessageWords {
  readonly business: string;
  readonly conversation: string;
  readonly words: ReadonlyArray<string>;
}

/** Texts of message words (migration 16: ' w1 w2 '), by {@link messageTextKey}. */
export type MessageTexts = ReadonlyMap<string, string>;

/** The key of a conversation's text of message words: its stored ids (hex digits, so no space within either). */
export const messageTextKey = (business: string, conversation: string): string => `${business} ${conversation}`;

/** A conversation started with this number. */
export interface StartedSearch {
  readonly businessId: string;
  readonly conversationId: string;
  readonly phone: string;
}

export interface SearchChanges {
  readonly profiles: ReadonlyArray<ProfileSearch>;
  readonly texts: ReadonlyArray<NewMessageWords>;
  readonly started: ReadonlyArray<StartedSearch>;
}

/** Stored words as migration 16's text: each between spaces (' ' when there is none). */
const wordText = (words: ReadonlyArray<string>): string => ` ${words.map((w) => `${w} `).join('')}`;

const writeProfiles = async (client: ClientBase, profiles: ReadonlyArray<ProfileSearch>, stored: StoredTexts): Promise<void> => {
  if (profiles.length === 0) return;
  const business = storedTextArray(profiles.map((p) => stored(p.businessId)));
  const clients = storedTextArray(profiles.map((p) => stored(p.clientId)));
  // The card's words replaced, each word's count of clients (migration 15) moved with them: down for the words
  // gone, up for the words written (two statements: one would delete and insert the same key in one command).
  // Never below zero: a count only weighs a search's ways, and one left short (a card an older runner rewrote
  // after migration 15) must not stop the projection on the count's check.
  await client.query(
    `WITH gone AS (
       DELETE FROM message_center_inbox_profile_words w
        USING unnest($1::text[], $2::text[]) AS k(business_id, client_id)
        WHERE w.business_id = k.business_id AND w.client_id = k.client_id
       RETURNING w.business_id, w.word)
     UPDATE message_center_inbox_profile_word_counts n SET clients = greatest(n.clients - g.clients, 0)
       FROM (SELECT business_id, word, count(*) AS clients FROM gone GROUP BY business_id, word) g
      WHERE n.business_id = g.business_id AND n.word = g.word`,
    [business, clients],
  );
  await client.query(
    `DELETE FROM message_center_inbox_phones p
      USING unnest($1::text[], $2::text[]) AS k(business_id, client_id)
      WHERE p.business_id = k.business_id AND p.conversation_id = k.client_id AND p.source = 'client'`,
    [business, clients],
  );
  const words = profiles.flatMap((p) => p.words.map((word) => ({ businessId: p.businessId, clientId: p.clientId, word })));
  if (words.length > 0)
    await client.query(
      `WITH added AS (
         INSERT INTO message_center_inbox_profile_words (business_id, client_id, word)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
         RETURNING business_id, word)
       INSERT INTO message_center_inbox_profile_word_counts AS n (business_id, word, clients)
       SELECT a.business_id, a.word, count(*) FROM added a GROUP BY a.business_id, a.word
       ON CONFLICT (business_id, word) DO UPDATE SET clients = n.clients + EXCLUDED.clients`,
      [storedTextArray(words.map((w) => stored(w.businessId))), storedTextArray(words.map((w) => stored(w.clientId))), storedTextArray(words.map((w) => stored(w.word)))],
    );
  // The card's text of words (migration 16), replaced whole: a card may have no word at all.
  await client.query(
    `INSERT INTO message_center_inbox_search_words AS z (business_id, conversation_id, card, messages)
     SELECT u.business_id, u.client_id, u.card, ' ' FROM unnest($1::text[], $2::text[], $3::text[]) AS u(business_id, client_id, card)
     ON CONFLICT (business_id, conversation_id) DO UPDATE SET card = EXCLUDED.card`,
    [business, clients, profiles.map((p) => wordText(p.words.map(stored)))],
  );
  const phones = profiles.flatMap((p) => (p.phone === null ? [] : [{ businessId: p.businessId, clientId: p.clientId, phone: p.phone }]));
  if (phones.length > 0)
    await client.query(
      `INSERT INTO message_center_inbox_phones (business_id, conversation_id, source, phone)
       SELECT u.business_id, u.client_id, 'client', u.phone FROM unnest($1::text[], $2::text[], $3::text[]) AS u(business_id, client_id, phone)`,
      [storedTextArray(phones.map((p) => stored(p.businessId))), storedTextArray(phones.map((p) => stored(p.clientId))), phones.map((p) => p.phone)],
    );
};

/** The texts of message words of these conversations (stored ids), those that have one. */
const loadMessageTexts = async (client: ClientBase, businesses: ReadonlyArray<string>, conversations: ReadonlyArray<string>): Promise<MessageTexts> => {
  if (businesses.length === 0) return new Map();
  const { rows } = await client.query<{ business_id: string; conversation_id: string; messages: string }>(
    `SELECT z.business_id, z.conversation_id, z.messages
       FROM message_center_inbox_search_words z
       JOIN unnest($1::text[], $2::text[]) AS k(business_id, conversation_id) ON z.business_id = k.business_id AND z.conversation_id = k.conversation_id`,
    [storedTextArray(businesses), storedTextArray(conversations)],
  );
  return new Map(rows.map((row) => [messageTextKey(row.business_id, row.conversation_id), row.messages]));
};

/** SQLSTATE of a key already there. */
const UNIQUE_VIOLATION = '23505';

/** `business conversation word` (stored forms: hex digits, so no space within a part). */
const rowKey = (business: string, conversation: string, word: string): string => `${business} ${conversation} ${word}`;

/**
 * Inserts the word rows, and answers those that were not there: all of them, unless a row was there already
 * without its word in the conversation's text (written so by a runner older than migration 12 left running after
 * it: see the README's upgrade note). Then the batch goes on from a savepoint, skipping those rows.
 */
const insertWordRows = async (client: ClientBase, businesses: ReadonlyArray<string>, conversations: ReadonlyArray<string>, words: ReadonlyArray<string>): Promise<'all' | ReadonlySet<string>> => {
  const params = [storedTextArray(businesses), storedTextArray(conversations), storedTextArray(words)];
  // A plain insert: with ON CONFLICT DO NOTHING each row costs a speculative insertion, 40 % more (7.5 → 10.4 s
  // of the server's time at 20,000 conversations, no row in conflict).
  await client.query('SAVEPOINT message_center_word_rows');
  try {
    await client.query(`INSERT INTO message_center_inbox_text_words (business_id, conversation_id, word) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`, params);
    await client.query('RELEASE SAVEPOINT message_center_word_rows');
    return 'all';
  } catch (cause: unknown) {
    if (!(cause instanceof DatabaseError) || cause.code !== UNIQUE_VIOLATION) throw cause;
    await client.query('ROLLBACK TO SAVEPOINT message_center_word_rows');
    const { rows } = await client.query<{ business_id: string; conversation_id: string; word: string }>(
      `INSERT INTO message_center_inbox_text_words (business_id, conversation_id, word) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT DO NOTHING RETURNING business_id, conversation_id, word`,
      params,
    );
    return new Set(rows.map((r) => rowKey(r.business_id, r.conversation_id, r.word)));
  }
};

/**
 * The words of each conversation's messages in the batch that its text of message words does not hold yet, and
 * the texts as the batch leaves them. A text is read through `read`, unless `known` (what the batch before left)
 * has it.
 */
export const newMessageWords = async (
  read: ClientBase,
  texts: ReadonlyArray<TextSearch>,
  stored: StoredTexts,
  known: MessageTexts,
): Promise<{ readonly added: ReadonlyArray<NewMessageWords>; readonly after: MessageTexts }> => {
  const keyed = texts.filter((t) => t.words.size > 0).map((t) => ({ business: stored(t.businessId), conversation: stored(t.conversationId), words: t.words }));
  const unknown = keyed.filter((t) => !known.has(messageTextKey(t.business, t.conversation)));
  const loaded = await loadMessageTexts(
    read,
    unknown.map((t) => t.business),
    unknown.map((t) => t.conversation),
  );
  const added: NewMessageWords[] = [];
  const after = new Map<string, string>();
  for (let i = 0; i < keyed.length; i += 1) {
    if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToIo();
    const text = keyed[i];
    if (text === undefined) continue;
    const key = messageTextKey(text.business, text.conversation);
    const before = known.get(key) ?? loaded.get(key) ?? ' ';
    // Hex words between spaces: found whole or not at all.
    const words = [...text.words].map(stored).filter((w) => !before.includes(` ${w} `));
    if (words.length === 0) {
      after.set(key, before);
      continue;
    }
    // ' w1 w2 ' and ' w3 ' make ' w1 w2 w3 ', as the write appends it.
    after.set(key, before + wordText(words).slice(1));
    added.push({ business: text.business, conversation: text.conversation, words });
  }
  return { added, after };
};

// Only the words a conversation's text does not hold yet are written: a row each (an insert into the words' btree
// is most of what a batch costs the server, and a third of a batch's words were there already), added to the
// text, and counted once more for their business (migration 14).
const writeTexts = async (client: ClientBase, texts: ReadonlyArray<NewMessageWords>): Promise<void> => {
  const businesses: string[] = [];
  const conversations: string[] = [];
  const words: string[] = [];
  for (const text of texts)
    for (const word of text.words) {
      businesses.push(text.business);
      conversations.push(text.conversation);
      words.push(word);
    }
  if (words.length === 0) return;
  const inserted = await insertWordRows(client, businesses, conversations, words);
  // ' w1 w2 ' and 'w3 ' make ' w1 w2 w3 '.
  await client.query(
    `INSERT INTO message_center_inbox_search_words AS z (business_id, conversation_id, card, messages)
     SELECT u.business_id, u.conversation_id, ' ', u.messages FROM unnest($1::text[], $2::text[], $3::text[]) AS u(business_id, conversation_id, messages)
     ON CONFLICT (business_id, conversation_id) DO UPDATE SET messages = z.messages || substr(EXCLUDED.messages, 2)`,
    [storedTextArray(texts.map((t) => t.business)), storedTextArray(texts.map((t) => t.conversation)), texts.map((t) => wordText(t.words))],
  );
  // A word's count of conversations moves with the rows that were new.
  const counts = new Map<string, { readonly business: string; readonly word: string; n: number }>();
  for (let i = 0; i < words.length; i += 1) {
    const business = businesses[i] ?? '';
    const word = words[i] ?? '';
    if (inserted !== 'all' && !inserted.has(rowKey(business, conversations[i] ?? '', word))) continue;
    const key = `${business} ${word}`;
    const count = counts.get(key);
    if (count === undefined) counts.set(key, { business, word, n: 1 });
    else count.n += 1;
  }
  if (counts.size === 0) return;
  const all = [...counts.values()];
  await client.query(
    `INSERT INTO message_center_inbox_text_word_counts AS n (business_id, word, conversations)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
     ON CONFLICT (business_id, word) DO UPDATE SET conversations = n.conversations + EXCLUDED.conversations`,
    [storedTextArray(all.map((c) => c.business)), storedTextArray(all.map((c) => c.word)), integerArray(all.map((c) => c.n))],
  );
};

const writeStarted = async (client: ClientBase, started: ReadonlyArray<StartedSearch>, stored: StoredTexts): Promise<void> => {
  if (started.length === 0) return;
  // A conversation keeps the number it started with, as core's record does.
  await client.query(
    `INSERT INTO message_center_inbox_phones (business_id, conversation_id, source, phone)
     SELECT u.business_id, u.conversation_id, 'conversation', u.phone FROM unnest($1::text[], $2::text[], $3::text[]) AS u(business_id, conversation_id, phone)
     ON CONFLICT DO NOTHING`,
    [storedTextArray(started.map((s) => stored(s.businessId))), storedTextArray(started.map((s) => stored(s.conversationId))), started.map((s) => s.phone)],
  );
};

/** Writes a batch's changes to R2's tables (on the runner's transaction), ids and words through the batch's `stored`. */
export const writeSearch = async (client: ClientBase, changes: SearchChanges, stored: StoredTexts): Promise<void> => {
  await writeProfiles(client, changes.profiles, stored);
  await writeTexts(client, changes.texts);
  await writeStarted(client, changes.started, stored);
};
