// Ids and filter values reach PostgreSQL as `storedText`: lossless, plain ASCII, and ordered as core orders
// strings (by UTF-16 code unit), whatever they hold (NUL, lone surrogates, astral characters).
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { storedText, textFromStored } from '../src/stored-text.js';

const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constantFrom('', '\u0000', '\uD800', '\uDC00', '😀', '\uFF21', 'a\uD800b'));

describe('stored text', () => {
  test.prop([anyText])('round-trips every string and is plain lower-case hexadecimal', (s) => {
    const stored = storedText(s);
    expect(stored).toMatch(/^[0-9a-f]*$/);
    expect(textFromStored(stored)).toBe(s);
  });

  test.prop([anyText, anyText])('orders two strings as core does (UTF-16 code units), and tells them apart', (a, b) => {
    const core = a < b ? -1 : a > b ? 1 : 0;
    const sa = storedText(a);
    const sb = storedText(b);
    // Byte order of ASCII strings, as COLLATE "C" compares them.
    expect(Buffer.compare(Buffer.from(sa), Buffer.from(sb))).toBe(core);
  });

  test.prop([anyText])('is 4 lower-case hex digits per UTF-16 code unit, in order', (s) => {
    let units = '';
    for (let i = 0; i < s.length; i += 1) units += s.charCodeAt(i).toString(16).padStart(4, '0');
    expect(storedText(s)).toBe(units);
  });

  test.prop([fc.string()])('refuses what it would not have written', (s) => {
    const decoded = textFromStored(s);
    if (decoded !== null) expect(storedText(decoded)).toBe(s);
  });
});
