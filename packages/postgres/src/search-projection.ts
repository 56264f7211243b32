import type { ClientBase } from 'pg';
import { storedTextArray } from './array-literals.js';
import type { StoredTexts } from './stored-text.js';

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

/** New words of a conversation's messages. */
export interface TextSearch {
  readonly businessId: string;
  readonly conversationId: string;
  readonly words: ReadonlySet<string>;
}

/** A conversation started with this number. */
export interface StartedSearch {
  readonly businessId: string;
  readonly conversationId: string;
  readonly phone: string;
}

export interface SearchChanges {
  readonly profiles: ReadonlyArray<ProfileSearch>;
  readonly texts: ReadonlyArray<TextSearch>;
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

const writeTexts = async (client: ClientBase, texts: ReadonlyArray<TextSearch>, stored: StoredTexts): Promise<void> => {
  const businesses: string[] = [];
  const conversations: string[] = [];
  const words: string[] = [];
  for (const text of texts) {
    if (text.words.size === 0) continue;
    const business = stored(text.businessId);
    const conversation = stored(text.conversationId);
    for (const word of text.words) {
      businesses.push(business);
      conversations.push(conversation);
      words.push(stored(word));
    }
  }
  if (words.length === 0) return;
  // The words a conversation did not have yet (the table's key says which) are added to its text of message
  // words (migration 16: ' w1 w2 ' and 'w3 ' make ' w1 w2 w3 '), each once as the key keeps them, and counted once
  // more for their business (migration 14).
  await client.query(
    `WITH added AS (
       INSERT INTO message_center_inbox_text_words (business_id, conversation_id, word)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
       ON CONFLICT DO NOTHING
       RETURNING business_id, conversation_id, word),
     texts_of_words AS (
       INSERT INTO message_center_inbox_search_words AS z (business_id, conversation_id, card, messages)
       SELECT a.business_id, a.conversation_id, ' ', ' ' || string_agg(a.word, ' ') || ' ' FROM added a GROUP BY a.business_id, a.conversation_id
       ON CONFLICT (business_id, conversation_id) DO UPDATE SET messages = z.messages || substr(EXCLUDED.messages, 2))
     INSERT INTO message_center_inbox_text_word_counts AS n (business_id, word, conversations)
     SELECT a.business_id, a.word, count(*) FROM added a GROUP BY a.business_id, a.word
     ON CONFLICT (business_id, word) DO UPDATE SET conversations = n.conversations + EXCLUDED.conversations`,
    [storedTextArray(businesses), storedTextArray(conversations), storedTextArray(words)],
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
  await writeTexts(client, changes.texts, stored);
  await writeStarted(client, changes.started, stored);
};
