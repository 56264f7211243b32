// The adversarial id arbitraries (issue 11) must really be hostile: a generator that quietly lost its
// separators or its long ids would let the stream-name properties pass without testing anything.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BusinessId, ClientId, ConversationId } from '@message-center/core';
import {
  adversarialBusinessIdArb,
  adversarialClientIdArb,
  adversarialConversationIdArb,
  adversarialIdArb,
  businessIdArb,
  clientIdArb,
  lookAlikeIdsArb,
} from '../src/index.js';

const SAMPLE = 2000;
const sample = <A>(arb: fc.Arbitrary<A>): ReadonlyArray<A> => fc.sample(arb, { numRuns: SAMPLE, seed: 11 });
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('Streams adversarial id arbitraries', () => {
  it('Streams every id is one the codecs accept; client ids never start with the reserved tel:', () => {
    expect(sample(adversarialIdArb).every((id) => BusinessId.is(id))).toBe(true);
    expect(sample(adversarialBusinessIdArb).every((id) => BusinessId.is(id))).toBe(true);
    expect(sample(adversarialClientIdArb).every((id) => ClientId.is(id) && !id.startsWith('tel:'))).toBe(true);
    expect(sample(adversarialConversationIdArb).every((id) => ConversationId.is(id))).toBe(true);
  });

  it('Streams ids hold separators, escapes, tel: look-alikes, non-ASCII, lone surrogates, and reach 128 characters', () => {
    const ids = sample(adversarialIdArb);
    const share = (p: (id: string) => boolean): number => ids.filter(p).length / ids.length;
    expect(share((id) => id.includes('-'))).toBeGreaterThan(0.2);
    expect(share((id) => id.includes('%'))).toBeGreaterThan(0.2);
    expect(share((id) => id.includes(':'))).toBeGreaterThan(0.1);
    expect(share((id) => id.includes('tel:'))).toBeGreaterThan(0.05);
    expect(share((id) => /[^\x20-\x7E]/.test(id))).toBeGreaterThan(0.2);
    expect(share((id) => LONE_SURROGATE.test(id))).toBeGreaterThan(0.02);
    expect(Math.max(...ids.map((id) => id.length))).toBe(128);
    expect(share((id) => id.length > 100)).toBeGreaterThan(0.05);
    expect(sample(adversarialConversationIdArb).some((id) => id.startsWith('tel:+'))).toBe(true);
  });

  it('Streams look-alike pools hold ids that are prefixes and re-splits of one another', () => {
    const pools = sample(lookAlikeIdsArb);
    const withPrefix = pools.filter((pool) => pool.some((a) => pool.some((b) => a !== b && b.startsWith(a))));
    expect(withPrefix.length / pools.length).toBeGreaterThan(0.3);
    const withJoin = pools.filter((pool) => pool.some((a) => pool.some((b) => a !== b && (b.startsWith(`${a}-`) || b.startsWith(`${a}%`)))));
    expect(withJoin.length / pools.length).toBeGreaterThan(0.2);
  });

  it('Streams the small pools existing properties rely on are unchanged', () => {
    expect(new Set(sample(businessIdArb))).toEqual(new Set(['b1', 'b2', 'b3']));
    expect(new Set(sample(clientIdArb))).toEqual(new Set(['c1', 'c2', 'c3', 'c4']));
  });
});
