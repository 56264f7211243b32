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
// range per row (1.9 s). A first statement counts each word's matches (`wordCountsStatement`: the message
// words' from the counts the projection keeps per word, the card words' from their rows; up to RARE_BELOW rows
// read, COUNTED_UNDER_FILTER under a list filter), reads the clients of each list filter (R3, kept by the
// projection) and the business's number of conversations N.
// Then the cheapest of three ways (`searchWayOf`): walk the inbox in inbox order, probing each row's words once
// the filters passed it (the walk stops at the page); fetch the rarest word's matches and sort them; or, under a
// list filter, start from that filter's clients that have the rarest word (a common word under a rare filter:
// the walk would visit most of the business to find the few rows that pass both).

/** Up to this many probed words, a condition each; past it, one condition over them as an array. */
const PROBES_EACH = 8;

/** Rows read to count a word at most, card words and message-word counts each (~0.2 ms per 1,000 at 100,000 conversations). */
export const RARE_BELOW = 5_000;

/**
 * Under a list filter, words are counted further: a word of 5,000 to 20,000 matches under a filter of a few
 * thousand clients is cheaper intersected than walked (`searchWayOf`), but only a whole count says so.
 */
export const COUNTED_UNDER_FILTER = 20_000;

/** R3's list filters as migration 11 names their rows. */
export type ListFilterKind = 'client_type' | 'group' | 'home_location';

/** How a search page meets its words: `word` and `filter` name the rarest word (an index into the words). */
export type SearchWay =
  | { readonly kind: 'walk' }
  | { readonly kind: 'word'; readonly word: number }
  | { readonly kind: 'filter'; readonly word: number; readonly filter: ListFilterKind };

export const WALK: SearchWay = { kind: 'walk' };

export interface SearchCounts {
  /** The word with the fewest matches, and whether they were counted whole (under the cap), or null when none was counted. */
  readonly rarest: { readonly index: number; readonly matches: number; readonly whole: boolean } | null;
  /** Each list filter of the page and its clients. */
  readonly filters: ReadonlyArray<{ readonly kind: ListFilterKind; readonly clients: number }>;
  /** The business's conversations, or null when unknown. */
  readonly conversations: number | null;
  readonly limit: number;
  /** A folder view (V4–V7): walked through its branches, dearer than the plain order. */
  readonly folderView: boolean;
}

/** The list filter with the fewest clients, or null when the page has none: the one a page may start from. */
export const fewestClients = <F extends { readonly clients: number }>(filters: ReadonlyArray<F>): F | null =>
  filters.reduce<F | null>((a, f) => (a === null || f.clients < a.clients ? f : a), null);

/**
 * A folder view's walk costs about this many times the plain walk: B3's two branches each walk to fill the page,
 * and the fresh folder's passes over every conversation the viewer has a mark on (the slowest bench page walked
 * 10,425 marks and 3,684 fresh conversations for 73 rows).
 */
const FOLDER_WALK = 4;

/**
 * What each step of a way costs, in µs, as measured at 100,000 conversations (bench/postgres.ts's log): an index
 * entry read in a range, one hashed to intersect two sets, a row fetched by primary key and sorted, a row walked
 * in inbox order (its card joined, its filters checked), and the probes of its words once the filters passed it.
 * "Ben" over a year's activity: walked 3,027 rows in 86 ms, fetched its 4,565 matches in 18 ms; "thursday"
 * (20,810) under a group of 3,760 clients: intersected in 22 ms, fetched 144 ms, walked 49 ms; "membership"
 * (49,497) under a group of 4,483: walked 15 ms, intersected 46 ms; "cancel" (63,507) in a folder view under a
 * type of 9,198: walked 42 ms, intersected 120 ms.
 */
const ENTRY_READ = 0.3;
const ENTRY_HASHED = 0.7;
const FETCHED_ROW = 6;
const WALKED_ROW = 5;
const PROBED_ROW = 23;

/** A walk meets the rarest word about every N/m rows, and the uncounted filters (an activity range) stretch it about this much. */
const WALK_SPREAD = 2;

/** A folder view probes a fetched set in each of B3's branches. */
const FOLDER_FETCH = 2;

/**
 * The cheapest way by the counts. Walking visits about WALK_SPREAD·(limit+1)·N/m rows to fill a page, N/f times
 * more under a list filter of f clients, FOLDER_WALK times more in a folder view, and probes the words of the f/N
 * of them that pass the filter; fetching the rarest word reads its m matches and fetches each; starting from a
 * filter hashes its f clients and the word's m matches, then fetches the f·m/N rows that have both. A word's count at its cap is only a lower bound: a way that reads its
 * matches is then not taken (the intersection of a common word read its 63,000 matches). Message words are
 * counted from the counts kept per word (migration 14): a common word is one row there, where its word rows were
 * tens of thousands.
 */
export const searchWayOf = ({ rarest, filters, conversations, limit, folderView }: SearchCounts): SearchWay => {
  if (rarest === null) return WALK;
  const m = Math.max(1, rarest.matches);
  const whole = rarest.whole;
  const smallest = fewestClients(filters);
  const n = conversations;
  const f = smallest === null ? n : Math.max(1, smallest.clients);
  const fetched = folderView ? FOLDER_FETCH * FETCHED_ROW : FETCHED_ROW;
  // The rows walked, each dearer by the probes of its words once its filters passed it (about f/N of them).
  const walk =
    n === null || f === null
      ? Number.POSITIVE_INFINITY
      : ((WALK_SPREAD * (limit + 1) * n) / m) * (n / f) * (folderView ? FOLDER_WALK : 1) * (WALKED_ROW + (PROBED_ROW * f) / n);
  const word = whole ? (ENTRY_READ + fetched) * m : Number.POSITIVE_INFINITY;
  const filter = whole && smallest !== null ? ENTRY_HASHED * (smallest.clients + m) + fetched * ((smallest.clients * m) / (n ?? 1)) : Number.POSITIVE_INFINITY;
  if (smallest !== null && filter < walk && filter < word) return { kind: 'filter', word: rarest.index, filter: smallest.kind };
  return word < walk ? { kind: 'word', word: rarest.index } : WALK;
};

export interface SearchSql {
  /** Conditions on `c.conversation_id` that may drive the page (a rare word's matches, the numbers), or null. */
  readonly fetched: string | null;
  /** Conditions on `walked.conversation_id` checked on each row of the walk in inbox order, after the filters (a common word's probe), or null. */
  readonly probed: string | null;
  /**
   * A statement of one row, `ids`, that `fetched` reads as ONCE_TABLE: the statement computes it once (a
   * folder view has three branches, and each computed a set of its own, even a branch its mode leaves out).
   */
  readonly once: string | null;
  /** Their parameters, numbered from the `first` it was given. */
  readonly values: ReadonlyArray<unknown>;
}

/** The name under which the page statement holds `SearchSql.once`. */
export const ONCE_TABLE = 'search_once';

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

/**
 * Whether the row's own card or messages have a word starting with `word`: a probe of the card's words by the
 * (business, client, word) key, and one read of the conversation's row of message words (migration 12) by its
 * key. A card's few words are read whole and compared by `left`, which no index can use: with a range on the
 * word, the planner (estimating any range at one row) once took the words' own index and scanned the whole range
 * for every row probed (3 s for a name prefix under a filter of 9,000 clients).
 */
const probe = (schema: string, business: string, word: string, id: string): string =>
  `EXISTS (SELECT 1 FROM ${qualified(schema, 'message_center_inbox_profile_words')} w
            WHERE w.business_id = ${business} AND w.client_id = ${id} AND left(w.word, length(${word}::text)) = (${word}::text COLLATE "C")
           UNION ALL
           SELECT 1 FROM ${qualified(schema, 'message_center_inbox_conversation_words')} cw CROSS JOIN LATERAL unnest(cw.words) AS x(word)
            WHERE cw.business_id = ${business} AND cw.conversation_id = ${id}
              AND x.word >= (${word}::text COLLATE "C") AND x.word < ((${word}::text || '${PAST_HEX}') COLLATE "C"))`;

/**
 * The filter's clients (`kind`, any of `values`) with a word starting with `word`, as an array of ids: the two
 * sets intersected (hashed: each read once, a range of an index). Probing each of the filter's clients for the
 * word instead cost ~15 µs a client.
 */
const fromFilter = (schema: string, business: string, kind: ListFilterKind, values: string, word: string): string =>
  `SELECT ARRAY(SELECT x.id COLLATE "C" FROM (
     SELECT f.client_id FROM ${qualified(schema, 'message_center_inbox_client_filters')} f WHERE f.business_id = ${business} AND f.kind = '${kind}' AND f.value = ANY(${values})
     INTERSECT
     (${matching(schema, business, word)})) x(id)) AS ids`;

/** `SearchSql.once` for a set of ids: each once, in the conversations' collation ("C"), so that IN_ONCE probes their primary key. */
const onceIds = (set: string): string => `SELECT ARRAY(SELECT DISTINCT s.id COLLATE "C" FROM (${set}) s(id)) AS ids`;

/** The ids of ONCE_TABLE, each a primary-key probe (as a set, the planner joined it with every conversation of the business). */
const IN_ONCE = `c.conversation_id = ANY((SELECT o.ids FROM ${ONCE_TABLE} o)::text[])`;

const FILTER_KINDS: ReadonlyArray<ListFilterKind> = ['client_type', 'group', 'home_location'];

/**
 * A row per word of `words` ($2, an array): its place `i` (from 1), `n`, how many card and message word rows of
 * business $1 start with it (the cards' rows counted up to $6; the messages' summed from the kept count of each
 * word starting with it, up to $6 words), and `whole`, whether neither reached $6; and on each,
 * `conversations`: the business's (null when it has none), and per list filter (`client_type`, `group`,
 * `home_location`: $3–$5, arrays of values, null for no such filter) how many of its clients have one of the
 * values (migration 11's counts, summed over the values). Rows, not a column per word: a text may hold more words
 * than a row may have columns.
 */
export const wordCountsStatement = (schema: string): string => {
  const capped = (table: string): string =>
    `(SELECT count(*) FROM (SELECT 1 FROM ${qualified(schema, table)} w WHERE ${inRange('$1::text', 'u.word')} LIMIT $6::integer) x)`;
  // A short prefix may start tens of thousands of distinct words: their counts are read up to the cap too.
  const kept = `(SELECT coalesce(sum(x.conversations), 0), count(*) FROM (SELECT w.conversations FROM ${qualified(schema, 'message_center_inbox_text_word_counts')} w WHERE ${inRange('$1::text', 'u.word')} LIMIT $6::integer) x)`;
  // A client with two of the values counts twice: an upper bound, exact for one value.
  const clients = (kind: ListFilterKind, values: string): string =>
    `(SELECT coalesce(sum(f.clients), 0) FROM ${qualified(schema, 'message_center_inbox_filter_counts')} f
       WHERE f.business_id = $1::text AND f.kind = '${kind}' AND f.value = ANY(${values}::text[])) AS ${kind}`;
  return `SELECT u.i, p.n + t.n AS n, p.n < $6::integer AND t.words < $6::integer AS whole,
                 (SELECT t.conversations FROM ${qualified(schema, 'message_center_inbox_badge_totals')} t WHERE t.business_id = $1::text) AS conversations,
                 ${FILTER_KINDS.map((kind, i) => clients(kind, `$${i + 3}`)).join(', ')}
            FROM unnest($2::text[]) WITH ORDINALITY AS u(word, i)
           CROSS JOIN LATERAL ${capped('message_center_inbox_profile_words')} AS p(n)
           CROSS JOIN LATERAL ${kept} AS t(n, words)`;
};

/**
 * The business's conversations `terms` finds, as conditions on the conversation id of the walk (`c`) and of
 * its rows after the filters (`walked`); `business` is the SQL of its stored id; `way` says which word (and
 * filter) the page starts from (`searchWayOf`); `filterValues` is the SQL of the values of each list filter.
 */
export const searchCondition = (
  schema: string,
  terms: SearchTerms,
  way: SearchWay,
  business: string,
  first: number,
  filterValues: Readonly<Record<ListFilterKind, string>>,
): SearchSql => {
  const values: unknown[] = [];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${first + values.length - 1}`;
  };
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
    if (terms.words.length === 0) return { fetched: 'false', probed: null, once: null, values };
    // One set at most: a second as a set was joined by scanning its matches once per row of the first.
    const driving = way.kind === 'walk' ? null : way.word;
    const drivingWord = driving === null ? undefined : terms.words[driving];
    // The driving set is computed once for the statement (a folder view's branches each computed their own) and
    // read as primary-key probes.
    const fetched = drivingWord === undefined || way.kind === 'walk' ? null : IN_ONCE;
    const once =
      drivingWord === undefined || way.kind === 'walk'
        ? null
        : way.kind === 'word'
          ? onceIds(matching(schema, business, wordParam(drivingWord)))
          : fromFilter(schema, business, way.filter, filterValues[way.filter], wordParam(drivingWord));
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
    return { fetched, probed, once, values };
  }
  // Core finds the words or the digits. Digits read as words too ("1234"), and such words are rare: one set of
  // ids (a text with digits has one word at most), computed once and read as primary-key probes. Left to the
  // planner, a set of the last four digits (~10,000 numbers at 100,000 conversations) was hash-joined with every
  // conversation of the business (62 ms under a home location).
  const wordSet = terms.words.map((w) => `(${matching(schema, business, wordParam(w))})`).join(' INTERSECT ');
  const set = terms.words.length === 0 ? numbers : `${numbers} UNION (${wordSet})`;
  return { fetched: IN_ONCE, probed: null, once: onceIds(set), values };
};
