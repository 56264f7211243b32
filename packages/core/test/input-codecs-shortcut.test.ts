// The input codecs' shortcut (`closedObject` in input-grammar.ts answers a value that passes `is`, with no
// hole in an array, as decoded) answers every value as io-ts's validation of every field does: the same value,
// or the same problems, for valid inputs and for inputs bent one field at a time (odd values, holes).
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import * as Inputs from '../src/application/facade-inputs.js';
import { ClosedObjectType } from '../src/application/input-grammar.js';

/** Where and why, without printing values (a null-prototype value cannot be printed). */
const problems = (es: t.Errors): string[] => es.map((e) => `${e.context.map((c) => c.key).join('.')}: ${e.message ?? e.context[e.context.length - 1]?.type.name ?? ''}`);

const staff = { kind: 'staff', businessId: 'b1', staffId: 'dana', permissions: ['send', 'x'] };
const host = { kind: 'host', businessId: 'b1' };
const media = { url: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME0', contentType: 'image/jpeg' };

/** A valid value of each input codec, which the property below bends. */
const BASES: ReadonlyArray<readonly [string, Record<string, unknown>]> = [
  ['EnableMessageCenterInput', { businessId: 'b1', actor: host, country: 'US', number: '+12015550124', allotment: { messagesPerPeriod: 10, overage: 'refuse' }, individualReadStatus: true }],
  ['ChangeNumberInput', { businessId: 'b1', actor: staff, number: '+12015550125' }],
  ['SuggestNumbersInput', { businessId: 'b1', actor: host, country: 'US', areaCode: '201', limit: 5 }],
  ['SetIndividualReadStatusInput', { businessId: 'b1', actor: host, individual: true }],
  ['ChangePlanInput', { businessId: 'b1', actor: host, allotment: { messagesPerPeriod: 20, overage: 'allow' } }],
  ['RecordClientInput', { businessId: 'b1', actor: host, clientId: 'ben', uid: 'B-1', name: 'Ben', cellPhone: '+14155550100', email: null, clientType: 'vip', groups: ['g', 'h'], homeLocation: 'Uptown' }],
  ['SendMessageInput', { businessId: 'b1', clientId: 'ana', actor: staff, body: 'Hello', messageId: 'm1' }],
  ['ReceiveInboundInput', { to: '+12015550123', from: '+14155552671', body: 'Hi', providerMessageId: 'SM1', optOutType: null, receivedAt: '2026-03-01T09:00:00.000Z', media: [media, media] }],
  ['RecordDeliveryStatusInput', { providerMessageId: 'SM1', status: 'delivered', errorCode: null }],
  ['ConversationActionInput', { businessId: 'b1', conversationId: 'ana', actor: { kind: 'automation', businessId: 'b1', name: 'bot' } }],
  ['StaffConversationActionInput', { businessId: 'b1', conversationId: 'tel:+14155552671', actor: staff }],
  ['ConversationQueryInput', { businessId: 'b1', conversationId: 'ana', viewer: staff }],
  ['UsageQueryInput', { businessId: 'b1', viewer: host, period: '2026-03' }],
  ['InboxQueryInput', { businessId: 'b1', viewer: staff, view: 'all', search: 'an', filters: { clientTypes: ['vip'], groups: ['g'], lastActivityFrom: '2026-01-01T00:00:00.000Z' }, limit: 10 }],
  ['FindClientsInput', { businessId: 'b1', viewer: staff, query: 'a', limit: 3 }],
  ['BadgeQueryInput', { businessId: 'b1', viewer: staff }],
  ['AlertsQueryInput', { businessId: 'b1', viewer: staff, after: 'x', limit: 10 }],
  ['ContactHistoryQueryInput', { businessId: 'b1', viewer: staff, clientId: 'ana', asOf: '2026-03-01T09:00:00.000Z' }],
];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A copy of `xs` with holes at the chosen places (length kept). */
const withHoles = (xs: ReadonlyArray<unknown>, holes: ReadonlyArray<boolean>): unknown[] => {
  const out: unknown[] = new Array(xs.length);
  xs.forEach((x, i) => {
    if (holes[i % Math.max(1, holes.length)] !== true) out[i] = x;
  });
  return out;
};

const odd: fc.Arbitrary<unknown> = fc.anything({ withBigInt: true, withNullPrototype: true, withBoxedValues: true, withDate: true, withSparseArray: true, maxDepth: 2 });

/** Replaces one field (top level, or one step in), or punches holes in an array field. */
const mutate = (base: Record<string, unknown>, path: ReadonlyArray<string>, how: { kind: 'odd'; value: unknown } | { kind: 'holes'; holes: boolean[] }): Record<string, unknown> => {
  const [head, ...rest] = path;
  if (head === undefined) return base;
  const field = base[head];
  if (rest.length > 0 && isRecord(field)) return { ...base, [head]: mutate(field, rest, how) };
  if (how.kind === 'holes') return Array.isArray(field) ? { ...base, [head]: withHoles(field, how.holes) } : base;
  return { ...base, [head]: how.value };
};

const paths = (o: Record<string, unknown>, prefix: string[] = []): string[][] =>
  Object.entries(o).flatMap(([k, v]) => (isRecord(v) ? [[...prefix, k], ...paths(v, [...prefix, k])] : [[...prefix, k]]));

const caseArb = fc.constantFrom(...BASES).chain(([name, base]) =>
  fc.tuple(
    fc.constant(name),
    fc.oneof(
      fc.constant(base),
      fc.tuple(fc.constantFrom(...paths(base)), odd).map(([p, value]) => mutate(base, p, { kind: 'odd', value })),
      fc.tuple(fc.constantFrom(...paths(base)), fc.array(fc.boolean(), { minLength: 1, maxLength: 3 })).map(([p, holes]) => mutate(base, p, { kind: 'holes', holes })),
    ),
  ),
);

/** Every closed input codec the module exports, by its export name, with its validation of every field. */
interface Closed {
  readonly codec: t.Mixed;
  readonly validateFully: t.Validate<unknown, unknown>;
}
const CODECS: ReadonlyMap<string, Closed> = new Map(
  Object.entries(Inputs).flatMap(([name, value]): Array<[string, Closed]> => (value instanceof ClosedObjectType ? [[name, { codec: value, validateFully: value.validateFully }]] : [])),
);

const codecOf = (name: string): Closed => {
  const closed = CODECS.get(name);
  if (closed === undefined) throw new Error(`no closed input codec ${name}`);
  return closed;
};

describe('the input codecs\' shortcut', () => {
  it('every closed input codec has a valid value here, which it decodes to itself', () => {
    expect([...CODECS.keys()].sort()).toEqual(BASES.map(([name]) => name).sort());
    for (const [name, base] of BASES) {
      const decoded = codecOf(name).codec.decode(base);
      expect(E.isRight(decoded) && decoded.right === base, name).toBe(true);
    }
  });

  test.prop([caseArb], { numRuns: 3000 })('every value, valid or bent, decodes as io-ts\'s validation of every field decodes it', ([name, u]) => {
    const { codec, validateFully } = codecOf(name);
    const fast = codec.decode(u);
    const full = validateFully(u, [{ key: '', type: codec, actual: u }]);
    expect(E.isRight(fast) ? fast.right : problems(fast.left)).toEqual(E.isRight(full) ? full.right : problems(full.left));
  });
});
