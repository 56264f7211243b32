/**
 * R2: how text is normalised for search, written once for the index and the query.
 *
 * - Case- and accent-insensitive: NFKD, combining marks dropped, lower case, and the Latin letters that
 *   do not decompose folded by hand (ß → ss, ø → o, ł → l…). "Zoë Ørsted" is found by "zoe orsted".
 * - Words: the text is cut at white space into chunks; each chunk is indexed with its punctuation removed
 *   ("O'Brien" → "obrien", "jane.doe@example.com" → "janedoeexamplecom") and, when it had punctuation,
 *   also each of its parts ("o", "brien"; "jane", "doe", "example", "com").
 * - A query word matches a conversation when it is a prefix of one of its words (partial, search as you
 *   type): "smi" finds Smith, "o'bri" finds O'Brien, "jane.doe@ex" finds the e-mail address.
 * - Phone numbers: only digits count, and leading zeros of the query (a national trunk prefix "0", or an
 *   international "00") are dropped; the query digits must appear in the E.164 digits of the number.
 *   So "(415) 555-2671", "4155552671", "+1 415 555 2671" and "555-2671" all find +14155552671, and
 *   "07400 123456" finds +447400123456.
 */
import { isImage, type Media } from '../domain/values/media.js';

const FOLDS = new Map<string, string>([
  ['ß', 'ss'],
  ['æ', 'ae'],
  ['œ', 'oe'],
  ['ø', 'o'],
  ['ł', 'l'],
  ['đ', 'd'],
  ['ð', 'd'],
  ['þ', 'th'],
  ['ı', 'i'],
]);
const UNFOLDED = /[ßæœøłđðþı]/gu;
const MARKS = /\p{M}+/gu;
const NOT_ASCII = /[^\x00-\x7f]/;

/** Lower case, without accents; ASCII text (most SMS) skips the Unicode work. */
export const foldText = (text: string): string =>
  NOT_ASCII.test(text)
    ? text
        .normalize('NFKD')
        .replace(MARKS, '')
        .toLowerCase()
        .replace(UNFOLDED, (c) => FOLDS.get(c) ?? c)
    : text.toLowerCase();

/** Long tokens (links, hashes) are cut; a query word is cut the same way, so prefixes still match. */
export const MAX_WORD = 32;

const SPACE = /\s+/u;
const NON_WORD = /[^\p{L}\p{N}]+/u;

const cut = (w: string): string => (w.length > MAX_WORD ? w.slice(0, MAX_WORD) : w);

const addChunk = (parts: ReadonlyArray<string>, into: Set<string>): void => {
  const [first] = parts;
  if (first === undefined) return;
  if (parts.length === 1) {
    into.add(cut(first));
    return;
  }
  into.add(cut(parts.join('')));
  for (const p of parts) into.add(cut(p));
};

// ASCII: white space is \t–\r and space; word characters are letters and digits (as \s and \p{L}\p{N} there).
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 97 && c <= 122);

/**
 * Adds the words of `text` (see the module comment) to `into`. Most SMS are ASCII: those are cut by a
 * scan over character codes, which gives the same words as the Unicode path below, several times faster.
 */
export const addWords = (text: string, into: Set<string>): void => {
  if (NOT_ASCII.test(text)) {
    for (const chunk of foldText(text).split(SPACE)) addChunk(chunk.split(NON_WORD).filter((p) => p !== ''), into);
    return;
  }
  const s = text.toLowerCase();
  const parts: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (isSpace(c)) {
      addChunk(parts, into);
      parts.length = 0;
      i += 1;
    } else if (isWordChar(c)) {
      const start = i;
      while (i < s.length && isWordChar(s.charCodeAt(i))) i += 1;
      parts.push(s.slice(start, i));
    } else i += 1;
  }
  addChunk(parts, into);
};

export const wordsOf = (...texts: ReadonlyArray<string | null>): Set<string> => {
  const words = new Set<string>();
  for (const t of texts) if (t !== null) addWords(t, words);
  return words;
};

/** The words of a query: one per white-space chunk, punctuation removed (so "o'bri" stays one word). */
export const queryWords = (query: string): ReadonlyArray<string> => {
  const words: string[] = [];
  for (const chunk of foldText(query).split(SPACE)) {
    const w = chunk.split(NON_WORD).join('');
    if (w !== '') words.push(cut(w));
  }
  return words;
};

// ------------------------------------------------------------------------------------------------ phones

const PHONE_LIKE = /^[\d\s().+\-/]+$/;

/** Fewer digits than this match too many numbers to be a phone search (they still match words). */
export const MIN_PHONE_DIGITS = 3;

/** At least this many digits after leading zeros make a national number whose zeros are a trunk prefix. */
const NATIONAL_DIGITS = 6;

/**
 * The digits to look for when the query looks like (part of) a phone number, else null. Leading zeros are
 * a trunk prefix (`07400 123456`) only before a national number; in a fragment (`0212`, the last four
 * digits) they are digits like any other.
 */
export const phoneQueryDigits = (query: string): string | null => {
  const q = query.trim();
  if (!PHONE_LIKE.test(q)) return null;
  const all = q.replace(/\D+/g, '');
  const national = all.replace(/^0+/, '');
  const digits = national.length >= NATIONAL_DIGITS ? national : all;
  return digits.length >= MIN_PHONE_DIGITS ? digits : null;
};

/**
 * A phone number written with separators (`+1 503 458 6020`, `(415) 555-2671`) is searched as a phone
 * number only: word by word, its short groups (`1`, `503`) would be prefixes of countless ids and words.
 * Digits alone (`100234`) may be an id as well as a number, so they are searched both ways.
 */
export const isFormattedPhoneQuery = (query: string): boolean => {
  const q = query.trim();
  return PHONE_LIKE.test(q) && /\D/.test(q) && phoneQueryDigits(q) !== null;
};

/** E.164 without its "+". */
export const phoneDigits = (e164: string): string => e164.replace(/\D+/g, '');

/**
 * The keys of the phone index: every window of 4 digits of a number (10,000 keys at most, each listing
 * few numbers, so a batch of new clients copies short lists). Four digits are one list; three are the
 * windows that begin or end with them (a number holds them in one or the other); more intersect their
 * windows and check the few numbers left.
 */
export const PHONE_WINDOW = 4;

export const phoneGramsOf = (digits: string, into: Set<string>): void => {
  for (let i = 0; i + PHONE_WINDOW <= digits.length; i += 1) into.add(digits.slice(i, i + PHONE_WINDOW));
};

// ------------------------------------------------------------------------------------------------ previews

export const PREVIEW_LENGTH = 100;

/** The first 100 characters (code points, so an emoji is never cut in half). */
export const previewOf = (body: string): { readonly text: string; readonly truncated: boolean } => {
  if (body.length <= PREVIEW_LENGTH) return { text: body, truncated: false };
  const points = Array.from(body);
  return points.length <= PREVIEW_LENGTH
    ? { text: body, truncated: false }
    : { text: points.slice(0, PREVIEW_LENGTH).join(''), truncated: true };
};

/** What stands for an MMS's files when it has no text: `📷 Photo`, `📷 3 photos`, `📎 Attachment`, `📎 3 attachments`. */
export const mediaLabel = (media: ReadonlyArray<Media>): string => {
  const photos = media.every(isImage);
  if (media.length === 1) return photos ? '📷 Photo' : '📎 Attachment';
  return photos ? `📷 ${media.length} photos` : `📎 ${media.length} attachments`;
};

/**
 * The preview of a message in the inbox and in alerts (issue 13, docs/decisions.md "MMS (issue 13)"): its
 * text when it has any, media or not; for a media-only message (a blank body) the media's label. The label
 * is shown, never indexed: search (R2) finds messages by their text only.
 */
export const messagePreviewOf = (body: string, media: ReadonlyArray<Media>): { readonly text: string; readonly truncated: boolean } =>
  media.length > 0 && body.trim() === '' ? { text: mediaLabel(media), truncated: false } : previewOf(body);
