import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { copyJsonBounded } from '../../src/store/json-value.js';
import { prepareBatch } from '../../src/store/prepare-batch.js';

// Issue 14: the in-memory store no longer serializes every append to measure it; the bound found during
// the copy must never be below the real size, or an oversized append would be accepted.
const exact = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');

// Every kind of string (lone surrogates, control characters, quotes, astral characters) and of number
// (the longest decimal forms: -0.0000012345678901234567 is 25 characters).
const hostileString = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.constantFrom('\u0000', '"\\', '\uD800', '\uDC00x', '😀', '\u2028'));
const hostileNumber = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-1.2345678901234567e-6, -1.7976931348623157e308, -5e-324, -123456789012345680000));
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), hostileString, hostileNumber, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 6 }),
  object: fc.dictionary(hostileString, tie('value'), { maxKeys: 6 }),
})).value;

describe('append size bound (in-memory store)', () => {
  test.prop([json])('the bound of a copy is at least its UTF-8 JSON size', (value) => {
    const copied = copyJsonBounded(value);
    if (E.isLeft(copied)) throw new Error(`a JSON value was refused: ${copied.left}`);
    expect(copied.right.maxBytes).toBeGreaterThanOrEqual(exact(copied.right.value));
  });

  it('counts an array lengthened by a getter during the copy (found by review: its commas were missed)', () => {
    const grown: unknown[] = [];
    Object.defineProperty(grown, 0, {
      enumerable: true,
      get() {
        if (grown.length === 1) for (let i = 0; i < 1000; i += 1) grown.push([]);
        return 1;
      },
    });
    const copied = copyJsonBounded(grown);
    if (E.isLeft(copied)) throw new Error(copied.left);
    expect(copied.right.maxBytes).toBeGreaterThanOrEqual(exact(copied.right.value));
  });

  test.prop([fc.array(json, { minLength: 1, maxLength: 4 }), fc.nat({ max: 400 })])('a batch is reported oversize exactly when it is over the limit, with its exact size', (datas, limit) => {
    const events = datas.map((data, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, type: 'T', data, metadata: { schemaVersion: 1 } }));
    const prepared = prepareBatch(events, limit);
    if (E.isLeft(prepared)) throw new Error(`a batch of JSON values was refused: ${prepared.left}`);
    const size = prepared.right.events.reduce((sum, e) => sum + exact(e.data) + exact(e.metadata), 0);
    expect(prepared.right.oversize).toBe(size > limit ? size : null);
  });
});
