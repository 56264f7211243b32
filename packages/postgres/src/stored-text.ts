/**
 * Ids and filter values as PostgreSQL keeps them: 4 hexadecimal digits per UTF-16 code unit. A core string
 * may hold NUL or a lone surrogate, which PostgreSQL's `text` refuses or the driver turns into U+FFFD
 * (two ids would become one key); core orders strings by code unit, `COLLATE "C"` by byte. This form is
 * lossless, plain ASCII, and its byte order is core's order (a shorter prefix first, as in JavaScript).
 */
export const storedText = (s: string): string => {
  if (s.length === 0) return '';
  // UTF-16 code units as written (Node's utf16le keeps lone surrogates), big-endian, in native hex: every id,
  // word and filter value of a batch goes through here (a loop of toString(16) per unit cost ~5 % of a fold).
  const units = Buffer.from(s, 'utf16le');
  units.swap16();
  return units.toString('hex');
};

/** The string `storedText` made, or null for anything it would not have written. */
export const textFromStored = (stored: string): string | null => {
  if (stored.length % 4 !== 0 || !/^[0-9a-f]*$/.test(stored)) return null;
  const units = Buffer.from(stored, 'hex');
  units.swap16();
  return units.toString('utf16le');
};

/** `storedText` for one batch: it remembers what it made, as the batch's statements turn the same ids and words on many rows. */
export type StoredTexts = (s: string) => string;

export const storedTextMemo = (): StoredTexts => {
  const made = new Map<string, string>();
  return (s) => {
    let stored = made.get(s);
    if (stored === undefined) {
      stored = storedText(s);
      made.set(s, stored);
    }
    return stored;
  };
};
