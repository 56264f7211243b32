import { qualified } from './schema-path.js';
import type { SearchTerms } from './search-rules.js';
import { storedText } from './stored-text.js';

// R2 in SQL: the conversations of a business a search finds, as core's `searchEntries` finds them. Every
// query word is a prefix of a word of the client's card or of a message of the conversation (all words,
// each anywhere); or the query's digits are a run of digits of one of its numbers. The words were folded
// and cut by core in the process (`search-rules.ts`), so SQL compares code units only: a word prefix is
// one btree range of the stored hex (`storedText`), and the digits a LIKE on E.164 that pg_trgm's index
// answers. Neither needs escaping: hex digits and ASCII digits hold no `%`, `_` or `\`.

export interface SearchSql {
  /** `<column> IN (…)`, a condition of the page's statement. */
  readonly condition: string;
  /** Its parameters, numbered from the `first` it was given. */
  readonly values: ReadonlyArray<unknown>;
}

/** Greater than every hex digit: `w || 'g'` is the end of the range of words starting with `w`. */
const PAST_HEX = 'g';

/** The business's conversations `terms` finds, as `column IN (…)`; `business` is the SQL of its stored id. */
export const searchCondition = (schema: string, terms: SearchTerms, column: string, business: string, first: number): SearchSql => {
  const sets: string[] = [];
  const values: unknown[] = [];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${first + values.length - 1}`;
  };
  if (terms.words.length > 0) {
    const words = param(terms.words.map(storedText));
    // Which query words (by position, so a repeated word counts once per place) each conversation matches.
    const matches = (table: string, id: string): string =>
      `SELECT s.i, w.${id} AS id
         FROM unnest(${words}::text[]) WITH ORDINALITY AS s(word, i)
         JOIN ${qualified(schema, table)} w
           ON w.business_id = ${business} AND w.word >= (s.word COLLATE "C") AND w.word < ((s.word || '${PAST_HEX}') COLLATE "C")`;
    sets.push(
      `SELECT m.id FROM (${matches('message_center_inbox_profile_words', 'client_id')} UNION ${matches('message_center_inbox_text_words', 'conversation_id')}) m
        GROUP BY m.id HAVING count(DISTINCT m.i) = cardinality(${words}::text[])`,
    );
  }
  if (terms.digits !== null) {
    // phoneQueryDigits answers ASCII digits only; anything else would be a pattern, so it finds nothing.
    const pattern = /^[0-9]+$/.test(terms.digits) ? `%${terms.digits}%` : '';
    sets.push(`SELECT p.conversation_id FROM ${qualified(schema, 'message_center_inbox_phones')} p WHERE p.business_id = ${business} AND p.phone LIKE ${param(pattern)}`);
  }
  return { condition: sets.length === 0 ? 'false' : `${column} IN (${sets.join(' UNION ')})`, values };
};
