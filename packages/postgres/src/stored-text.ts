/**
 * Ids and filter values as PostgreSQL keeps them: 4 hexadecimal digits per UTF-16 code unit. A core string
 * may hold NUL or a lone surrogate, which PostgreSQL's `text` refuses or the driver turns into U+FFFD
 * (two ids would become one key); core orders strings by code unit, `COLLATE "C"` by byte. This form is
 * lossless, plain ASCII, and its byte order is core's order (a shorter prefix first, as in JavaScript).
 */
export const storedText = (s: string): string => {
  let out = '';
  for (let i = 0; i < s.length; i += 1) out += s.charCodeAt(i).toString(16).padStart(4, '0');
  return out;
};

/** The string `storedText` made, or null for anything it would not have written. */
export const textFromStored = (stored: string): string | null => {
  if (stored.length % 4 !== 0 || !/^[0-9a-f]*$/.test(stored)) return null;
  let out = '';
  for (let i = 0; i < stored.length; i += 4) out += String.fromCharCode(Number.parseInt(stored.slice(i, i + 4), 16));
  return out;
};
