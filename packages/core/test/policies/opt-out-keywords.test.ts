import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import {
  HELP_KEYWORDS,
  OPT_IN_KEYWORDS,
  OPT_OUT_KEYWORDS,
  keywordIntent,
  subscriptionIntent,
  type OptOutType,
  type SubscriptionIntent,
} from '../../src/domain/policies/opt-out-keywords.js';

// Written out independently of the implementation: every code point with the Unicode White_Space property,
// plus U+FEFF.
const WHITESPACE = [
  '\u0009', '\u000A', '\u000B', '\u000C', '\u000D', '\u0020', '\u0085', '\u00A0', '\u1680',
  '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200A',
  '\u2028', '\u2029', '\u202F', '\u205F', '\u3000', '\uFEFF',
];

const EXPECTED: ReadonlyArray<readonly [string, SubscriptionIntent]> = [
  ...['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE'].map((k) => [k, 'opt-out'] as const),
  ...['START', 'YES', 'UNSTOP'].map((k) => [k, 'opt-in'] as const),
  ...['HELP', 'INFO'].map((k) => [k, 'help'] as const),
];
const intentOf = new Map<string, SubscriptionIntent>(EXPECTED);

const keywordArb = fc.constantFrom(...EXPECTED);
const whitespaceArb = fc.array(fc.constantFrom(...WHITESPACE), { maxLength: 4 }).map((ws) => ws.join(''));
/** A keyword in random casing, surrounded by random Unicode whitespace. */
const spelledKeywordArb = fc
  .tuple(keywordArb, whitespaceArb, whitespaceArb)
  .chain(([[keyword, intent], before, after]) =>
    fc.mixedCase(fc.constant(keyword)).map((cased) => ({ keyword, intent, body: `${before}${cased}${after}` })),
  );

const OPT_OUT_TYPES: ReadonlyArray<OptOutType> = ['STOP', 'START', 'HELP'];
const TYPE_INTENT: Readonly<Record<OptOutType, SubscriptionIntent>> = { STOP: 'opt-out', START: 'opt-in', HELP: 'help' };

/** Bodies near a keyword that must stay ordinary messages. */
const nearMissArb = fc
  .tuple(keywordArb, fc.constantFrom('!', '.', '?', ' please', ' now', 'S', '1', '\u200B', ' STOP', '-'), fc.boolean())
  .map(([[keyword], extra, prefix]) => (prefix ? `${extra}${keyword}` : `${keyword}${extra}`));

const anyBodyArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 12 }),
  spelledKeywordArb.map((k) => k.body),
  nearMissArb,
);

describe('opt-out keywords', () => {
  test('V3 the keyword lists are the rule\'s words plus Twilio\'s defaults', () => {
    expect(OPT_OUT_KEYWORDS).toEqual(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
    expect(OPT_IN_KEYWORDS).toEqual(['START', 'YES', 'UNSTOP']);
    expect(HELP_KEYWORDS).toEqual(['HELP', 'INFO']);
  });

  test.prop([spelledKeywordArb])('V3 every keyword in any casing with any surrounding whitespace is recognised', (k) => {
    expect(keywordIntent(k.body)).toEqual({ intent: k.intent, keyword: k.keyword });
  });

  test.prop([anyBodyArb])('V3 a body that is not exactly a keyword after trim and case-fold is none', (body) => {
    // Oracle: strip the listed whitespace by hand, upper-case ASCII letters only, and look the result up.
    // The only non-ASCII characters that upper-case to ASCII letters (ß ı ſ ﬀ–ﬆ) are covered by an example test.
    fc.pre(!/[ßıſ\uFB00-\uFB06]/.test(body));
    let start = 0;
    let end = body.length;
    while (start < end && WHITESPACE.includes(body.charAt(start))) start++;
    while (end > start && WHITESPACE.includes(body.charAt(end - 1))) end--;
    const folded = body.slice(start, end).replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 32));
    const expected = intentOf.get(folded);
    const actual = keywordIntent(body);
    if (expected === undefined) expect(actual).toEqual({ intent: 'none', keyword: null });
    else expect(actual).toEqual({ intent: expected, keyword: folded });
  });

  test.prop([nearMissArb])('V3 a keyword with anything more ("STOP!", "stop please") is an ordinary message', (body) => {
    expect(keywordIntent(body)).toEqual({ intent: 'none', keyword: null });
  });

  test('V3 matching is locale-independent and uses full Unicode case mapping', () => {
    expect(keywordIntent('quit').keyword).toBe('QUIT'); // not QUİT as in a Turkish locale
    expect(keywordIntent('quıt').keyword).toBe('QUIT'); // dotless ı upper-cases to I
    expect(keywordIntent('ſtop').keyword).toBe('STOP'); // long s upper-cases to S
    expect(keywordIntent('ﬆart').keyword).toBe('START'); // the ﬆ ligature upper-cases to ST
    expect(keywordIntent('\u0085 Stop \u3000').keyword).toBe('STOP');
    expect(keywordIntent('')).toEqual({ intent: 'none', keyword: null });
    expect(keywordIntent('S T O P')).toEqual({ intent: 'none', keyword: null });
  });

  test.prop([anyBodyArb, fc.constantFrom(...OPT_OUT_TYPES)])('V3 OptOutType, when present, overrides the body', (body, type) => {
    const decision = subscriptionIntent(body, type);
    const fromBody = keywordIntent(body);
    expect(decision.intent).toBe(TYPE_INTENT[type]);
    expect(decision.source).toBe('opt-out-type');
    // The keyword is the body's only when it agrees with Twilio; otherwise null (custom keyword or contradiction).
    expect(decision.keyword).toBe(fromBody.intent === decision.intent ? fromBody.keyword : null);
  });

  test.prop([anyBodyArb])('V3 without OptOutType the keyword rule decides', (body) => {
    const decision = subscriptionIntent(body, null);
    const fromBody = keywordIntent(body);
    expect(decision).toEqual({ ...fromBody, source: fromBody.intent === 'none' ? null : 'keyword' });
  });

  test('V3 OptOutType contradicting the body wins', () => {
    expect(subscriptionIntent('START', 'STOP')).toEqual({ intent: 'opt-out', keyword: null, source: 'opt-out-type' });
    expect(subscriptionIntent('arrêt', 'STOP')).toEqual({ intent: 'opt-out', keyword: null, source: 'opt-out-type' });
    expect(subscriptionIntent(' stop ', 'STOP')).toEqual({ intent: 'opt-out', keyword: 'STOP', source: 'opt-out-type' });
    expect(subscriptionIntent('stop', null)).toEqual({ intent: 'opt-out', keyword: 'STOP', source: 'keyword' });
    expect(subscriptionIntent('hello', null)).toEqual({ intent: 'none', keyword: null, source: null });
  });
});
