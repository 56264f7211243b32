import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { encodedLength, encodingOf, segmentCount } from '../../src/domain/policies/segments.js';

// GSM 03.38 written out by code point, independently of the implementation's string literal.
const BASIC_CODE_POINTS = [
  0x40, 0xa3, 0x24, 0xa5, 0xe8, 0xe9, 0xf9, 0xec, 0xf2, 0xc7, 0x0a, 0xd8, 0xf8, 0x0d, 0xc5, 0xe5,
  0x394, 0x5f, 0x3a6, 0x393, 0x39b, 0x3a9, 0x3a0, 0x3a8, 0x3a3, 0x398, 0x39e, 0xc6, 0xe6, 0xdf, 0xc9,
  0x20, 0x21, 0x22, 0x23, 0xa4, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
  ...Array.from({ length: 10 }, (_, i) => 0x30 + i), 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
  0xa1, ...Array.from({ length: 26 }, (_, i) => 0x41 + i), 0xc4, 0xd6, 0xd1, 0xdc, 0xa7,
  0xbf, ...Array.from({ length: 26 }, (_, i) => 0x61 + i), 0xe4, 0xf6, 0xf1, 0xfc, 0xe0,
];
const BASIC = BASIC_CODE_POINTS.map((cp) => String.fromCodePoint(cp));
const EXTENSION = [0x0c, 0x5e, 0x7b, 0x7d, 0x5c, 0x5b, 0x7e, 0x5d, 0x7c, 0x20ac].map((cp) => String.fromCodePoint(cp));
const GSM = new Set([...BASIC, ...EXTENSION]);

const basicChar = fc.constantFrom(...BASIC);
const extensionChar = fc.constantFrom(...EXTENSION);
const gsmChar = fc.oneof({ arbitrary: basicChar, weight: 4 }, { arbitrary: extensionChar, weight: 1 });
/** Any single code point (a BMP character, a lone surrogate or an astral character) that is not GSM-7. */
const nonGsmChar = fc
  .oneof(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0x10000, max: 0x10ffff }))
  .map((cp) => String.fromCodePoint(cp))
  .filter((ch) => !GSM.has(ch));
const emoji = fc.constantFrom('😀', '👍', '🎉', '❤️', '👨‍👩‍👧', '🇬🇧', '𝄞');
const bmpNonGsmChar = fc.constantFrom('ç', 'á', '`', '\t', '’', '“', '\u2126', 'ж', '中', 'ğ');
const anyChar = fc.oneof(basicChar, extensionChar, nonGsmChar, emoji, bmpNonGsmChar);

const text = (chars: fc.Arbitrary<string>, maxLength = 400): fc.Arbitrary<string> =>
  fc.array(chars, { maxLength }).map((cs) => cs.join(''));

const formula = (length: number, single: number, part: number): number => (length <= single ? 1 : Math.ceil(length / part));

describe('segments', () => {
  test('the GSM 03.38 basic table has 127 characters counting 1 septet; the extension table 10 counting 2', () => {
    expect(new Set(BASIC).size).toBe(127);
    for (const ch of BASIC) expect([encodingOf(ch), encodedLength(ch)]).toEqual(['GSM-7', 1]);
    for (const ch of EXTENSION) expect([encodingOf(ch), encodedLength(ch)]).toEqual(['GSM-7', 2]);
  });

  test('the empty body is GSM-7 and counts as one segment (Twilio bills it as one)', () => {
    expect(encodingOf('')).toBe('GSM-7');
    expect(encodedLength('')).toBe(0);
    expect(segmentCount('')).toBe(1);
  });

  test('GSM-7 boundaries: 160/161 and 153*k', () => {
    expect(segmentCount('a'.repeat(160))).toBe(1);
    expect(segmentCount('a'.repeat(161))).toBe(2);
    expect(segmentCount('a'.repeat(306))).toBe(2);
    expect(segmentCount('a'.repeat(307))).toBe(3);
    expect(segmentCount('a'.repeat(1530))).toBe(10);
  });

  test.prop([fc.integer({ min: 2, max: 12 }), basicChar])('GSM-7: 153*k septets are k segments, one more is k+1', (k, ch) => {
    expect(segmentCount(ch.repeat(153 * k))).toBe(k);
    expect(segmentCount(ch.repeat(153 * k + 1))).toBe(k + 1);
    expect(segmentCount(ch.repeat(153 * k - 1))).toBe(k);
  });

  test('UCS-2 boundaries: 70/71 and 67*k', () => {
    expect(segmentCount('ж'.repeat(70))).toBe(1);
    expect(segmentCount('ж'.repeat(71))).toBe(2);
    expect(segmentCount('ж'.repeat(134))).toBe(2);
    expect(segmentCount('ж'.repeat(135))).toBe(3);
  });

  test.prop([fc.integer({ min: 2, max: 25 }), bmpNonGsmChar])('UCS-2: 67*k units are k segments, one more is k+1', (k, ch) => {
    expect(segmentCount(ch.repeat(67 * k))).toBe(k);
    expect(segmentCount(ch.repeat(67 * k + 1))).toBe(k + 1);
    expect(segmentCount(ch.repeat(67 * k - 1))).toBe(k);
  });

  test.prop([text(basicChar, 2000)])('a basic-only GSM-7 body is 1 segment up to 160 septets, else ceil(n/153)', (body) => {
    expect(encodingOf(body)).toBe('GSM-7');
    expect(encodedLength(body)).toBe(body.length);
    expect(segmentCount(body)).toBe(formula(body.length, 160, 153));
  });

  test.prop([text(gsmChar)])('extension characters count 2 septets', (body) => {
    const extensions = [...body].filter((ch) => EXTENSION.includes(ch)).length;
    expect(encodingOf(body)).toBe('GSM-7');
    expect(encodedLength(body)).toBe(body.length + extensions);
  });

  test('extension characters: 160 septets fit one SMS, 161 do not', () => {
    expect(segmentCount('€'.repeat(80))).toBe(1);
    expect(segmentCount(`${'€'.repeat(80)}a`)).toBe(2);
    expect(segmentCount(`${'a'.repeat(158)}{`)).toBe(1);
    expect(segmentCount(`${'a'.repeat(159)}{`)).toBe(2);
  });

  test('an escape sequence is never split across two parts', () => {
    // 152 + 2 + 152 = 306 septets = 2 * 153, but the € cannot straddle the first boundary.
    expect(segmentCount(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toBe(3);
    expect(segmentCount(`${'a'.repeat(151)}€${'a'.repeat(153)}`)).toBe(2);
  });

  test('a surrogate pair is never split across two parts', () => {
    // 66 + 2 + 66 = 134 units = 2 * 67, but the emoji cannot straddle the first boundary.
    expect(segmentCount(`${'ж'.repeat(66)}😀${'ж'.repeat(66)}`)).toBe(3);
    expect(segmentCount(`${'ж'.repeat(65)}😀${'ж'.repeat(67)}`)).toBe(2);
  });

  test.prop([text(gsmChar), nonGsmChar, fc.nat()])('one non-GSM character switches the whole body to UCS-2', (body, ch, at) => {
    const i = at % (body.length + 1);
    const mixed = body.slice(0, i) + ch + body.slice(i);
    expect(encodingOf(mixed)).toBe('UCS-2');
    // In UCS-2 an extension character is one unit like any other BMP character.
    expect(encodedLength(mixed)).toBe(mixed.length);
  });

  test.prop([text(emoji, 100)])('an emoji (surrogate pair) counts 2 UTF-16 units', (body) => {
    expect(encodingOf(body)).toBe(body === '' ? 'GSM-7' : 'UCS-2');
    expect(encodedLength(body)).toBe(body.length);
    expect(encodedLength('😀')).toBe(2);
    expect(segmentCount('😀'.repeat(35))).toBe(1);
    expect(segmentCount('😀'.repeat(36))).toBe(2);
  });

  test.prop([text(anyChar)])('the count lies between ceil(n/part) and ceil(n/(part-1)) of the encoded length', (body) => {
    const n = encodedLength(body);
    const [single, part] = encodingOf(body) === 'GSM-7' ? [160, 153] : [70, 67];
    const segments = segmentCount(body);
    if (n <= single) expect(segments).toBe(1);
    else {
      expect(segments).toBeGreaterThanOrEqual(Math.ceil(n / part));
      expect(segments).toBeLessThanOrEqual(Math.ceil(n / (part - 1)));
    }
  });

  test.prop([text(anyChar), anyChar])('appending a character never decreases the count', (body, ch) => {
    expect(segmentCount(body + ch)).toBeGreaterThanOrEqual(segmentCount(body));
  });
});
