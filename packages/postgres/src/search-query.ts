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
// range per row (1.9 s). A first statement counts each word's matches (`wordCountsStatement`: summed from the
// counts the projection keeps per card word and per message word, migrations 14 and 15), reads the clients of
// each list filter (R3, kept by the projection) and the business's number of conversations N.
// Then the cheapest way (`searchWayOf`): walk the inbox order on an index, checking each id's conditions, where a
// condition whose set was counted whole may be hashed once (a sieve: the rarest word's matches, a list filter's
// clients) and the others are probed by key on the ids the sieves passed (the walk stops at the page); fetch the
// rarest word's matches and sort them; under a list filter, start from that filter's clients that have the
// rarest word (a common word under a rare filter: the walk would visit most of the business to find the few rows
// that pass both); or fetch a rare filter's clients (a page that never fills walks the whole business).

/** Up to this many probed words, a condition each; past it, one condition over them as an array. */
const PROBES_EACH = 8;

/**
 * Distinct words a prefix's count sums at most, card words and message words each (~0.2 ms per 1,000 at 100,000
 * conversations): a prefix that starts more (a letter or two) is taken as common, and never read as a set.
 */
export const WORDS_COUNTED = 5_000;

/** R3's list filters as migration 11 names their rows. */
export type ListFilterKind = 'client_type' | 'group' | 'home_location';

/**
 * How a search page meets its words: `word` and `filter` name the rarest word (an index into the words); a walk
 * may sieve its ids by the matches of one word (`sieve`, an index into the words), hashed once.
 */
export type SearchWay =
  | { readonly kind: 'walk'; readonly sieve: number | null }
  | { readonly kind: 'word'; readonly word: number }
  | { readonly kind: 'filter'; readonly word: number; readonly filter: ListFilterKind };

export const WALK: SearchWay = { kind: 'walk', sieve: null };

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
 * What each step of a way costs, in µs, as measured at 100,000 conversations on the bench's database (warm, each
 * statement timed whole, not under EXPLAIN ANALYZE, whose clocks tripled the cheap steps): an index entry read in a
 * range and hashed into a sieve (a hashed subplan: 20,810 word rows read in 4.1 ms), or into a set to intersect or
 * to fetch (both sets appended and hashed again: "merci"'s 16,312 matches and group Family plan's 5,027 clients
 * intersected in ~8 ms), an id walked in inbox order on an index holding the order (20,000 in 4.4 ms), a sieve's
 * check of a walked id (98,000 ids through one sieve: +0.3 µs each), a list filter probed by key (2 µs), a word
 * probed (the conversation's texts of words read by key and searched, 5.7 µs), a row fetched by primary key and
 * sorted (2,000 in 8.8 ms).
 */
const SIEVED_ENTRY = 0.25;
const HASHED_ENTRY = 0.45;
const WALKED_ID = 0.25;
const SIEVE_CHECK = 0.3;
const FILTER_PROBED = 2;
const WORD_PROBED = 6;
const FETCHED_ROW = 4.5;

/** A walk meets the rarest word about every N/m rows, and the uncounted filters (an activity range) stretch it about this much. */
const WALK_SPREAD = 2;

/** A folder view probes a fetched set, and hashes a sieve, in each of B3's branches. */
const FOLDER_FETCH = 2;

/**
 * The largest set a walk sieves by. PostgreSQL hashes a subplan only when its estimate of the set fits `work_mem`
 * × `hash_mem_multiplier` (4 MB × 2 by default on 15, × 1 on 13 and 14); otherwise it reads the whole set again for
 * every id walked, and checks it after the probes (a 6,667-client sieve under `work_mem` 64 kB: 288 ms a page).
 * 20,000 ids of up to ~200 bytes each (a stored id is 4 hex digits a code unit) fit 4 MB.
 */
export const SIEVE_AT_MOST = 20_000;

const sievable = (entries: number): boolean => Number.isFinite(entries) && entries <= SIEVE_AT_MOST;

/** A condition a walk may check on each id, or sieve by: its share of the business, its size when known whole, and its probe's cost. */
interface Condition {
  readonly share: number;
  readonly size: number | null;
  readonly probe: number;
}

/** The cost of walking with `sieved` (each hashed once) and probing the others on the ids the sieves passed, cheapest probe first. */
const walkCost = (conditions: ReadonlyArray<Condition>, sieved: ReadonlyArray<boolean>, n: number, limit: number, folderView: boolean): number => {
  const together = conditions.reduce((share, c) => share * c.share, 1);
  // Ids walked to fill the page, at most the whole business (a page that never fills walks it all).
  const walked = Math.min(n, (WALK_SPREAD * (limit + 1)) / Math.max(together, 1 / n)) * (folderView ? FOLDER_WALK : 1);
  let cost = walked * WALKED_ID;
  let passed = walked;
  conditions.forEach((c, i) => {
    if (sieved[i] === true) {
      cost += (folderView ? FOLDER_FETCH : 1) * SIEVED_ENTRY * (c.size ?? Number.POSITIVE_INFINITY) + passed * SIEVE_CHECK;
      passed *= c.share;
    }
  });
  for (const c of conditions.filter((_, i) => sieved[i] !== true).sort((a, b) => a.probe - b.probe)) {
    cost += passed * c.probe;
    passed *= c.share;
  }
  return cost;
};

/**
 * How a page meets its list filters and its words: the search way, the list filters hashed once as sieves of its
 * walk, and the list filter whose clients the page is fetched from instead of walked (no word drives it), if any.
 */
export interface PageWay {
  readonly search: SearchWay;
  readonly sieves: ReadonlyArray<ListFilterKind>;
  readonly fetchedFilter: ListFilterKind | null;
}

/** A page that meets its words by `search` and probes every list filter. */
export const probedFilters = (search: SearchWay): PageWay => ({ search, sieves: [], fetchedFilter: null });

/**
 * The cheapest way by the counts. A walk visits about WALK_SPREAD·(limit+1)/s ids to fill a page, s the share of
 * the business that passes every condition (the rarest word's m/N, each list filter's f/N), FOLDER_WALK times more
 * in a folder view; each condition is either hashed once as a sieve (its m or f entries read) or probed on the ids
 * the sieves passed. Fetching the rarest word reads its m matches and fetches each; starting from a filter hashes
 * its f clients and the word's m matches, then fetches the f·m/N rows that have both. A count at its cap is only a
 * lower bound: a way that reads its matches is then not taken (the intersection of a common word read its 63,000
 * matches). Message words are counted from the counts kept per word (migration 14).
 */
export const searchWayOf = ({ rarest, filters, conversations, limit, folderView }: SearchCounts): PageWay => {
  const n = conversations;
  if (n === null || n <= 0) return probedFilters(WALK);
  const share = (count: number): number => Math.min(1, Math.max(1, count) / n);
  const conditions: ReadonlyArray<Condition> = [
    ...filters.map((f) => ({ share: share(f.clients), size: sievable(f.clients) ? f.clients : null, probe: FILTER_PROBED })),
    ...(rarest === null ? [] : [{ share: share(rarest.matches), size: rarest.whole && sievable(rarest.matches) ? rarest.matches : null, probe: WORD_PROBED }]),
  ];
  // Every choice of sieves among the conditions that can be (at most four: three filters and a word).
  let walk = { cost: Number.POSITIVE_INFINITY, sieved: [] as ReadonlyArray<boolean> };
  for (let choice = 0; choice < 1 << conditions.length; choice++) {
    const sieved = conditions.map((_, i) => (choice & (1 << i)) !== 0);
    if (sieved.some((s, i) => s && conditions[i]?.size === null)) continue;
    const cost = walkCost(conditions, sieved, n, limit, folderView);
    if (cost < walk.cost) walk = { cost, sieved };
  }
  const sieves = filters.filter((_, i) => walk.sieved[i] === true).map((f) => f.kind);
  const walkWay: PageWay = { search: { kind: 'walk', sieve: rarest !== null && walk.sieved[filters.length] === true ? rarest.index : null }, sieves, fetchedFilter: null };
  const fetched = folderView ? FOLDER_FETCH * FETCHED_ROW : FETCHED_ROW;
  const smallest = fewestClients(filters);
  // The smallest filter's clients each fetched, the words probed on each: a rare filter's page never fills, and
  // its walk reads the whole business.
  const filterFetched = smallest === null || !Number.isFinite(smallest.clients) ? Number.POSITIVE_INFINITY : smallest.clients * (HASHED_ENTRY + fetched + (rarest === null ? 0 : WORD_PROBED));
  const best = filterFetched < walk.cost ? { way: { search: WALK, sieves: [], fetchedFilter: smallest?.kind ?? null }, cost: filterFetched } : { way: walkWay, cost: walk.cost };
  if (rarest === null || !rarest.whole) return best.way;
  const m = Math.max(1, rarest.matches);
  const word = (HASHED_ENTRY + fetched) * m;
  const filter = smallest === null ? Number.POSITIVE_INFINITY : HASHED_ENTRY * (smallest.clients + m) + fetched * ((smallest.clients * m) / n);
  if (smallest !== null && filter < best.cost && filter < word) return probedFilters({ kind: 'filter', word: rarest.index, filter: smallest.kind });
  return word < best.cost ? probedFilters({ kind: 'word', word: rarest.index }) : best.way;
};

export interface SearchSql {
  /** Conditions on `k.conversation_id`, the walked id (`inbox-page-sql.ts`), checked first: a driving set or a sieve. */
  readonly sets: ReadonlyArray<string>;
  /** Probes of the walked id, checked in this order on the ids the sets passed (after the list filters' probes). */
  readonly probes: ReadonlyArray<string>;
  /**
   * A statement of one row, `ids`, that the conditions read as ONCE_TABLE: the statement computes it once (a
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

/** The walked id, in the default collation of the word tables' keys (the clients' key is the conversation id). */
const WALKED_ID_DEFAULT = '(k.conversation_id COLLATE "default")';

const inRange = (business: string, word: string): string =>
  `w.business_id = ${business} AND w.word >= (${word}::text COLLATE "C") AND w.word < ((${word}::text || '${PAST_HEX}') COLLATE "C")`;

/** The ids of the conversations with a card word or a message word starting with `word` (a parameter). */
const matching = (schema: string, business: string, word: string): string =>
  `SELECT w.client_id AS id FROM ${qualified(schema, 'message_center_inbox_profile_words')} w WHERE ${inRange(business, word)}
   UNION ALL
   SELECT w.conversation_id FROM ${qualified(schema, 'message_center_inbox_text_words')} w WHERE ${inRange(business, word)}`;

/**
 * Whether the row's own card or messages have a word starting with `word`: one read of the conversation's texts of
 * words (migration 16) by its key, and ` <word>` looked for in each (`strpos`: a stored word is hex digits, so a
 * space starts every word and only a word). The card's word rows and an array of message words, each word
 * compared, cost 19 µs a probe at 100,000 conversations; this, 5.7. `OFFSET 0` keeps it a probe of the id it is
 * given (`inbox-page-sql.ts`'s filter probes say why).
 */
const probe = (schema: string, business: string, word: string, id: string): string =>
  `EXISTS (SELECT 1 FROM ${qualified(schema, 'message_center_inbox_search_words')} z
            WHERE z.business_id = ${business} AND z.conversation_id = ${id}
              AND (strpos(z.card, ' ' || ${word}::text) > 0 OR strpos(z.messages, ' ' || ${word}::text) > 0)
            OFFSET 0)`;

/**
 * The walked id is one of `set`'s, hashed once: `IN (…) IS TRUE` keeps the uncorrelated `IN` a subplan, which
 * PostgreSQL hashes (at the top level it becomes a join the planner may drive from the set, and the walk no longer
 * stops at the page). Its ids in the conversations' collation ("C").
 */
const sieve = (set: string): string => `(k.conversation_id IN (SELECT s.id COLLATE "C" FROM (${set}) s(id))) IS TRUE`;

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
const IN_ONCE = `k.conversation_id = ANY((SELECT o.ids FROM ${ONCE_TABLE} o)::text[])`;

/** The ids of ONCE_TABLE as a sieve of the walk. */
const SIEVE_ONCE = sieve(`SELECT unnest(o.ids) FROM ${ONCE_TABLE} o`);

const FILTER_KINDS: ReadonlyArray<ListFilterKind> = ['client_type', 'group', 'home_location'];

/**
 * A row per word of `words` ($2, an array; one row with `i` null when it has none): its place `i` (from 1), `n`,
 * how many card and message word rows of business $1 start with it (summed from the counts the projection keeps
 * per word, migrations 14 and 15, over up to $6 words each), and `whole`, whether neither reached $6 words; and
 * on each, `conversations`: the business's (null when it has none), and per list filter (`client_type`, `group`,
 * `home_location`: $3–$5, arrays of values, null for no such filter) how many of its clients have one of the
 * values (migration 11's counts, summed over the values). Rows, not a column per word: a text may hold more words
 * than a row may have columns.
 */
export const wordCountsStatement = (schema: string): string => {
  // A short prefix may start tens of thousands of distinct words: their counts are read up to the cap. A card
  // word no card holds any more keeps a zero (migration 15): not a word of the prefix.
  const kept = (table: string, column: string): string =>
    `(SELECT coalesce(sum(x.n), 0), count(*) FROM (SELECT w.${column} AS n FROM ${qualified(schema, table)} w WHERE ${inRange('$1::text', 'u.word')} AND w.${column} > 0 LIMIT $6::integer) x)`;
  // A client with two of the values counts twice: an upper bound, exact for one value.
  const clients = (kind: ListFilterKind, values: string): string =>
    `(SELECT coalesce(sum(f.clients), 0) FROM ${qualified(schema, 'message_center_inbox_filter_counts')} f
       WHERE f.business_id = $1::text AND f.kind = '${kind}' AND f.value = ANY(${values}::text[])) AS ${kind}`;
  // One row with no word (i null): a page with list filters and no word is counted too (its sieves).
  return `SELECT x.i, x.n, x.whole,
                 (SELECT t.conversations FROM ${qualified(schema, 'message_center_inbox_badge_totals')} t WHERE t.business_id = $1::text) AS conversations,
                 ${FILTER_KINDS.map((kind, i) => clients(kind, `$${i + 3}`)).join(', ')}
            FROM (SELECT 1) one
            LEFT JOIN LATERAL (
              SELECT u.i, p.n + t.n AS n, p.words < $6::integer AND t.words < $6::integer AS whole
                FROM unnest($2::text[]) WITH ORDINALITY AS u(word, i)
               CROSS JOIN LATERAL ${kept('message_center_inbox_profile_word_counts', 'clients')} AS p(n, words)
               CROSS JOIN LATERAL ${kept('message_center_inbox_text_word_counts', 'conversations')} AS t(n, words)) x ON true`;
};

/**
 * The business's conversations `terms` finds, as conditions on the walked id (`k.conversation_id`); `business`
 * is the SQL of its stored id; `way` says which word (and filter) the page starts from or sieves by
 * (`searchWayOf`); `filterValues` is the SQL of the values of each list filter.
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
    if (terms.words.length === 0) return { sets: ['false'], probes: [], once: null, values };
    // One set at most, driving or sieving: a second as a set was joined by scanning its matches once per row of the first.
    const driving = way.kind === 'walk' ? way.sieve : way.word;
    const drivingWord = driving === null ? undefined : terms.words[driving];
    // A driving set is computed once for the statement (a folder view's branches each computed their own) and
    // read as primary-key probes; a sieve is hashed where the walk reads it.
    const set =
      drivingWord === undefined
        ? null
        : way.kind === 'walk'
          ? { condition: sieve(matching(schema, business, wordParam(drivingWord))), once: null }
          : {
              condition: IN_ONCE,
              once:
                way.kind === 'word'
                  ? onceIds(matching(schema, business, wordParam(drivingWord)))
                  : fromFilter(schema, business, way.filter, filterValues[way.filter], wordParam(drivingWord)),
            };
    // The other words probed on each id the set passed: a condition each for a few (a direct index probe), past
    // that one condition over them as an array (no word of them without a match): a condition per word made the
    // statement grow with the text, and thousands of words took gigabytes to plan. The array's loop costs ~2× per row.
    const others = terms.words.filter((_, i) => drivingWord === undefined || i !== driving);
    const probed =
      others.length === 0
        ? []
        : others.length <= PROBES_EACH
          ? others.map((w) => probe(schema, business, wordParam(w), WALKED_ID_DEFAULT))
          : [`NOT EXISTS (SELECT 1 FROM unnest(${param(others.map(storedText))}::text[]) AS o(word) WHERE NOT ${probe(schema, business, 'o.word', WALKED_ID_DEFAULT)})`];
    return { sets: set === null ? [] : [set.condition], probes: probed, once: set?.once ?? null, values };
  }
  // Core finds the words or the digits. Digits read as words too ("1234"), and such words are rare: one set of
  // ids (a text with digits has one word at most), computed once, then read as primary-key probes or, for a walk
  // that sieves, hashed. Left to the planner, a set of the last four digits (~10,000 numbers at 100,000
  // conversations) was hash-joined with every conversation of the business (62 ms under a home location).
  const wordSet = terms.words.map((w) => `(${matching(schema, business, wordParam(w))})`).join(' INTERSECT ');
  const set = terms.words.length === 0 ? numbers : `${numbers} UNION (${wordSet})`;
  return { sets: [way.kind === 'walk' && way.sieve !== null ? SIEVE_ONCE : IN_ONCE], probes: [], once: onceIds(set), values };
};
