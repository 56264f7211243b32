// The facade's copy of a caller's input (`plainSnapshot`), against inputs a careless or hostile host may pass:
// every field read once even when shared, shared objects copied once (no blow-up), cycles and huge arrays
// refused unread wherever they sit, and values structuredClone kept as they are still kept.
import { describe, expect, it } from 'vitest';
import * as E from 'fp-ts/lib/Either.js';
import { InboxQueryInput, SendMessageInput, decodeInput } from '../src/application/facade-inputs.js';
import { B1, staffOf } from './facade/support.js';

const dana = staffOf(B1, 'dana');
const send = { businessId: B1, clientId: 'ana', actor: dana, body: 'hi' };
const inbox = { businessId: 'b1', viewer: { kind: 'staff', businessId: 'b1', staffId: 'dana', permissions: ['send'] }, view: 'all' };

/** `[x, x]` nested `depth` times: `depth + 1` objects, 2^depth paths. */
const shared = (depth: number, leaf: unknown): unknown => {
  let node: unknown = leaf;
  for (let i = 0; i < depth; i += 1) node = [node, node];
  return node;
};

const codeOf = (r: E.Either<{ readonly code: string }, unknown>): string => (E.isLeft(r) ? r.left.code : 'decoded');

class Filters {
  constructor(readonly groups: unknown) {}
}

describe('plainSnapshot: the input as plain data', () => {
  it('reads a getter of an object shared along 65,536 paths once', () => {
    let reads = 0;
    const leaf = Object.defineProperty({}, 'v', { enumerable: true, get: () => ++reads });
    expect(codeOf(decodeInput(SendMessageInput, { ...send, extra: shared(16, leaf) }))).toBe('invalid-input');
    expect(reads).toBe(1);
  });

  it('copies an object shared along 2³¹ paths once (copying every path would never end)', () => {
    expect(codeOf(decodeInput(SendMessageInput, { ...send, extra: shared(31, 0) }))).toBe('invalid-input');
  });

  it('refuses a cycle, in a plain object or an array', () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop['self'] = loop;
    const ring: unknown[] = [];
    ring.push(ring);
    expect(codeOf(decodeInput(SendMessageInput, { ...send, extra: loop }))).toBe('invalid-input');
    expect(codeOf(decodeInput(InboxQueryInput, { ...inbox, filters: { groups: ring } }))).toBe('invalid-input');
  });

  it('refuses a sparse array of 500,000 items with one problem, in a plain object or a class instance', () => {
    for (const filters of [{ groups: new Array(500_000) }, new Filters(new Array(500_000))]) {
      const decoded = decodeInput(InboxQueryInput, { ...inbox, filters });
      expect(E.isLeft(decoded) && decoded.left.code === 'invalid-input' ? decoded.left.problems.length : 0).toBe(1);
    }
  });

  it('keeps a boxed string, a date and a map as structuredClone did: refused by the codec for what they are', () => {
    for (const odd of [[new String('b1')], new Date(0), new Map([['a', 1]])]) {
      const decoded = decodeInput(SendMessageInput, { ...send, businessId: odd });
      expect(E.isLeft(decoded) && decoded.left.code === 'invalid-input' ? decoded.left.problems : []).toEqual([expect.stringMatching(/^businessId: expected BusinessId/)]);
    }
  });
});
