import { addWords, isFormattedPhoneQuery, phoneQueryDigits, queryWords, wordsOf } from '@message-center/core/internals';

// R2 as core reads text (read-models/search-text.ts), so that both sides find the same conversations: the
// words indexed for a card and a message, and the terms of a search, are core's own functions. No rule of
// R2 is written here (case and accent folding, word cuts, MAX_WORD, phone digits are all core's).

/** The words core indexes for a client's card (its inbox fold's `profileWordsOf`). */
export const cardWordsOf = (card: { readonly name: string; readonly email: string | null; readonly uid: string; readonly clientId: string }): ReadonlyArray<string> => [
  ...wordsOf(card.name, card.email, card.uid, card.clientId),
];

/** The words core indexes for a message body (its `addWords`). */
export const messageWordsOf = (body: string): ReadonlyArray<string> => {
  const words = new Set<string>();
  addWords(body, words);
  return [...words];
};

/** A search as core reads it: every word must be a prefix of a word of the conversation, or the digits in one of its numbers. */
export interface SearchTerms {
  readonly words: ReadonlyArray<string>;
  /** The digits to look for in the numbers (leading zeros of a national number dropped), or null. */
  readonly digits: string | null;
}

/** What core's search looks for in `search` (its `searchEntries`), or null when it looks for nothing (blank, punctuation only): no search. */
export const searchTermsOf = (search: string): SearchTerms | null => {
  // Every word must match: a repeated one asks nothing more, nor one that starts another (a word starting with
  // `jan` starts with `ja`); each left is counted or probed by the statement.
  // In code-unit order a word's extensions follow it at once, so the next word tells.
  const sorted = isFormattedPhoneQuery(search) ? [] : [...new Set(queryWords(search))].sort();
  const words = sorted.filter((w, i) => !(sorted[i + 1]?.startsWith(w) ?? false));
  const digits = phoneQueryDigits(search);
  return words.length === 0 && digits === null ? null : { words, digits };
};
