import { qualified } from './schema-path.js';
import type { SearchTerms } from './search-rules.js';
import { storedText } from './stored-text.js';

// R2 in SQL: the conversations of a business a search finds, as core's `searchEntries` finds them. Every
// query word is a prefix of a word of the client's card or of a message of the conversation (all words,
// each anywhere); or the query's digits are a run of digits of one of its numbers. The words were folded
// and cut by core in the process (`search-rules.ts`), so SQL compares code units only: a word prefix is
// one btree range of the stored hex (`storedText`), and the digits a LIKE on E.164 that pg_trgm's index
// answers. Neither needs escaping: hex digits and ASCII digits hold no `%`, `_` or `\`.
//
// How a word is looked for is chosen here, not left to the planner: its estimate of a prefix range outside the
// most common words is about one row whatever the range holds (at 100,000 conversations "charged" matched
// 16,228 and was estimated at 1), so it fetched every match of a common word and probed a second word's whole
// range per row (1.9 s). A first statement counts each word's matches up to RARE_BELOW (`wordCountsStatement`)
// with the business's number of conversations N. The rarest word, if fetching its m matches costs less than
// walking the inbox to fill a page (m² < 4·(limit+1)·N: the walk visits about (limit+1)·N/m rows, 4 for the
// filters' share), is the set the page is fetched from (few rows, sorted); every other word is a probe of each
// row's own words once the filters passed it, on the walk in inbox order, which stops at the page.

/** Up to this many probed words, a condition each; past it, one condition over them as an array. */
const PROBES_EACH = 8;

/** Matching words counted per table at most (counting costs ~0.5 ms per 1,000 at 100,000 conversations). */
export const RARE_BELOW = 5_000;

/** Whether a page of `limit` is fetched from a word's `matches` rather than found by walking `conversations`. */
export const fetchesFrom = (matches: number, limit: number, conversations: number | null): boolean =>
  matches < RARE_BELOW && (conversations === null || matches * matches < 4 * (limit + 1) * conversations);

export interface SearchSql {
  /** Conditions on `c.conversation_id` that may drive the page (a rare word's matches, the numbers), or null. */
  readonly fetched: string | null;
  /** Conditions on `walked.conversation_id` checked on each row of the walk in inbox order, after the filters (a common word's probe), or null. */
  readonly probed: string | null;
  /** Their parameters, numbered from the `first` it was given. */
  readonly values: ReadonlyArray<unknown>;
}

/** Greater than every hex digit: `w || 'g'` is the end of the range of words starting with `w`. */
const PAST_HEX = 'g';

/** The word tables key conversations in the default collation (the clients' key is the conversation id). */
const inDefault = (column: string): string => `(${column} COLLATE "default")`;

const inRange = (business: string, word: string): string =>
  `w.business_id = ${business} AND w.word >= (${word}::text COLLATE "C") AND w.word < ((${word}::text || '${PAST_HEX}') COLLATE "C")`;

/** The ids of the conversations with a card word or a message word starting with `word` (a parameter). */
const matching = (schema: string, business: string, word: string): string =>
  `SELECT w.client_id AS id FROM ${qualified(schema, 'message_center_inbox_profile_words')} w WHERE ${inRange(business, word)}
   UNION ALL
   SELECT w.conversation_id FROM ${qualified(schema, 'message_center_inbox_text_words')} w WHERE ${inRange(business, word)}`;

/** Whether the row's own card or messages have a word starting with `word`: one probe of each table's (business, conversation, word) index. */
const probe = (schema: string, business: string, word: string, id: string): string =>
  `EXISTS (SELECT 1 FROM ${qualified(schema, 'message_center_inbox_profile_words')} w WHERE w.client_id = ${id} AND ${inRange(business, word)}
           UNION ALL
           SELECT 1 FROM ${qualified(schema, 'message_center_inbox_text_words')} w WHERE w.conversation_id = ${id} AND ${inRange(business, word)})`;

/**
 * A row per word of `words` ($2, an array): its place `i` (from 1) and `n`, how many card and message words of
 * business $1 start with it, counted up to RARE_BELOW per table; and on each, `conversations`: the business's
 * (null when it has none). Rows, not a column per word: a text may hold more words than a row may have columns.
 */
export const wordCountsStatement = (schema: string): string => {
  const capped = (table: string): string =>
    `(SELECT count(*) FROM (SELECT 1 FROM ${qualified(schema, table)} w WHERE ${inRange('$1::text', 'u.word')} LIMIT ${RARE_BELOW}) x)`;
  return `SELECT u.i, ${capped('message_center_inbox_profile_words')} + ${capped('message_center_inbox_text_words')} AS n,
                 (SELECT t.conversations FROM ${qualified(schema, 'message_center_inbox_badge_totals')} t WHERE t.business_id = $1::text) AS conversations
            FROM unnest($2::text[]) WITH ORDINALITY AS u(word, i)`;
};

/**
 * The business's conversations `terms` finds, as conditions on the conversation id of the walk (`c`) and of
 * its rows after the filters (`walked`); `business` is the SQL of its stored id; `driving` is the index of the
 * word the page is fetched from, or null (every word walked).
 */
export const searchCondition = (schema: string, terms: SearchTerms, driving: number | null, business: string, first: number): SearchSql => {
  const values: unknown[] = [];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${first + values.length - 1}`;
  };
  // The set's ids are turned to the conversations' collation ("C"), so each is one probe of their primary key.
  const inSet = (set: string): string => `c.conversation_id IN (SELECT s.id COLLATE "C" FROM (${set}) s(id))`;
  // A word as a parameter of its own; the others as one array (one each would pass PostgreSQL's 65,535
  // parameters for a long enough text). A parameter is made only where the statement uses it: PostgreSQL refuses
  // one it cannot type.
  const wordParam = (word: string): string => `${param(storedText(word))}::text`;
  // phoneQueryDigits answers ASCII digits only; anything else would be a pattern, so it finds nothing.
  const numbers =
    terms.digits === null
      ? null
      : `SELECT p.conversation_id FROM ${qualified(schema, 'message_center_inbox_phones')} p WHERE p.business_id = ${business} AND p.phone LIKE ${param(/^[0-9]+$/.test(terms.digits) ? `%${terms.digits}%` : '')}`;
  if (numbers === null) {
    if (terms.words.length === 0) return { fetched: 'false', probed: null, values };
    // One set at most: a second as a set was joined by scanning its matches once per row of the first.
    const drivingWord = driving === null ? undefined : terms.words[driving];
    const fetched = drivingWord === undefined ? [] : [inSet(matching(schema, business, wordParam(drivingWord)))];
    // The other words probed on each row: a condition each for a few (a direct index probe), past that one
    // condition over them as an array (no word of them without a match): a condition per word made the statement
    // grow with the text, and thousands of words took gigabytes to plan. The array's loop costs ~2× per row.
    const others = terms.words.filter((_, i) => i !== driving);
    const walkedId = inDefault('walked.conversation_id');
    const probed =
      others.length === 0
        ? null
        : others.length <= PROBES_EACH
          ? others.map((w) => probe(schema, business, wordParam(w), walkedId)).join(' AND ')
          : `NOT EXISTS (SELECT 1 FROM unnest(${param(others.map(storedText))}::text[]) AS o(word) WHERE NOT ${probe(schema, business, 'o.word', walkedId)})`;
    return { fetched: fetched.length === 0 ? null : fetched.join(' AND '), probed, values };
  }
  // Core finds the words or the digits. Digits read as words too ("1234"), and such words are rare: one set of
  // ids (a text with digits has one word at most).
  const wordSet = terms.words.map((w) => `(${matching(schema, business, wordParam(w))})`).join(' INTERSECT ');
  return { fetched: inSet(terms.words.length === 0 ? numbers : `${numbers} UNION (${wordSet})`), probed: null, values };
};
