// The projection's arrays reach PostgreSQL as literals built by hand (`array-literals.ts`) instead of the
// driver's quoting: PostgreSQL must read each back as exactly the array the driver would have sent, whatever
// the elements (stored text, '', NULL, and anything else, which goes to the driver as it is).
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { booleanArray, integerArray, storedTextArray } from '../src/array-literals.js';
import { storedText, storedTextMemo } from '../src/stored-text.js';
import { useFreshDatabase } from './support/fresh-database.js';

const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.constantFrom('', '\u0000', '\uD800', 'NULL', 'null', '"', '\\', '{a,b}', ' x ', '+12015550123', '-7'));
const element = fc.oneof(anyText.map(storedText), fc.constant(null), fc.constant(''));
/** What else a caller could pass by mistake: plain words, quotes, braces, commas, the word NULL. */
const hostile = fc.oneof(element, fc.string({ unit: 'binary' }).filter((s) => !s.includes('\u0000')), fc.constantFrom('NULL', 'null', 'a,b', '{}', '"', '\\', ' ', 'Ab'));

describe('array literals', () => {
  const db = useFreshDatabase('array-literals');

  const readBack = async (param: unknown, type: string): Promise<unknown> => {
    const { rows } = await db().pool.query<{ a: unknown }>(`SELECT $1::${type} AS a`, [param]);
    return rows[0]?.a;
  };

  test.prop([fc.array(element, { maxLength: 40 })])('a stored-text array reads back as the driver would have sent it', async (values) => {
    const literal = storedTextArray(values);
    expect(typeof literal).toBe('string');
    expect(await readBack(literal, 'text[]')).toEqual(await readBack(values, 'text[]'));
  });

  test.prop([fc.array(hostile, { maxLength: 20 })])('any other element leaves the array to the driver, and it still reads back', async (values) => {
    const param = storedTextArray(values);
    expect(await readBack(param, 'text[]')).toEqual(values);
  });

  test.prop([fc.array(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.maxSafeInteger().map((n) => -n), fc.double()), { maxLength: 40 })])(
    'integers as a literal (bigint); anything else left to the driver',
    async (values) => {
      const param = integerArray(values);
      if (values.every(Number.isSafeInteger)) {
        expect(typeof param).toBe('string');
        expect(await readBack(param, 'bigint[]')).toEqual(values.map(String));
      } else expect(param).toBe(values);
    },
  );

  test.prop([fc.array(fc.boolean(), { maxLength: 40 })])('booleans', async (values) => {
    expect(await readBack(booleanArray(values), 'boolean[]')).toEqual(values);
  });

  test.prop([fc.array(anyText, { maxLength: 30 })])('the memo gives what storedText gives', (texts) => {
    const stored = storedTextMemo();
    for (const s of [...texts, ...texts]) expect(stored(s)).toBe(storedText(s));
  });
});
