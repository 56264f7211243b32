/**
 * Issue 11: whatever a careless host or an attacker passes, the facade answers with a typed result — it never
 * throws, never rejects, and a refusal leaves the log exactly as it was. Inputs are bounded and exact.
 */
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import type { MessageCenter, MessageCenterError } from '@message-center/core';
import { B1, START, enableUs, globalLog, must, newWorld, ok, refusedAppendingNothing, staffOf, type World } from './support.js';
import { E164 } from '@message-center/core';

const NUMBER = must(E164.is, '+12015550123');
const CLIENT_PHONE = '+14155552671';
const dana = staffOf(B1, 'dana');
const SID = 'SM0123456789abcdef0123456789abcdef';

/** A valid input for every method that takes one: the base each hostile case mutates. */
const VALID: { readonly [K in keyof MessageCenter]?: Record<string, unknown> } = {
  enableMessageCenter: { businessId: B1, country: 'US', number: '+12015550124', allotment: { messagesPerPeriod: 10, overage: 'refuse' } },
  changeNumber: { businessId: B1, number: '+12015550125' },
  setIndividualReadStatus: { businessId: B1, individual: true },
  changePlan: { businessId: B1, allotment: { messagesPerPeriod: 20, overage: 'allow' } },
  recordClient: { businessId: B1, clientId: 'ben', uid: 'B-1', name: 'Ben', cellPhone: '+14155550100', email: 'ben@example.com', clientType: 'vip', groups: ['g'], homeLocation: 'Uptown' },
  sendMessage: { businessId: B1, clientId: 'ana', actor: dana, body: 'Hello' },
  receiveInbound: {
    to: NUMBER,
    from: CLIENT_PHONE,
    body: 'Hi',
    providerMessageId: 'SMfedcba9876543210fedcba9876543210',
    media: [{ url: 'https://api.twilio.com/2010-04-01/Accounts/AC0/Messages/MM0/Media/ME0', contentType: 'image/jpeg' }],
  },
  recordDeliveryStatus: { providerMessageId: SID, status: 'delivered', errorCode: null },
  markRead: { businessId: B1, conversationId: 'ana', actor: dana },
  markUnread: { businessId: B1, conversationId: 'ana', actor: dana },
  archive: { businessId: B1, conversationId: 'ana', actor: dana },
  unarchive: { businessId: B1, conversationId: 'ana', actor: dana },
  mute: { businessId: B1, conversationId: 'ana', actor: dana },
  unmute: { businessId: B1, conversationId: 'ana', actor: dana },
  pin: { businessId: B1, conversationId: 'ana', actor: dana },
  unpin: { businessId: B1, conversationId: 'ana', actor: dana },
  conversation: { businessId: B1, conversationId: 'ana', viewer: dana },
  inbox: { businessId: B1, viewer: dana, view: 'all', search: 'an', filters: { clientTypes: ['vip'] }, limit: 10 },
  unreadBadge: { businessId: B1, viewer: dana },
  alerts: { businessId: B1, viewer: dana, limit: 10 },
  usage: { businessId: B1, viewer: dana },
  contactHistory: { businessId: B1, viewer: dana, clientId: 'ana' },
};
const METHODS = Object.keys(VALID).filter((m): m is keyof MessageCenter => m in VALID);

/** Values no codec expects, including the ones that make naive code throw. */
const throwingGetter = (): object =>
  Object.defineProperty({}, 'businessId', {
    enumerable: true,
    get: () => {
      throw new Error('getter exploded');
    },
  });
const cyclic = (): object => {
  const o: Record<string, unknown> = { businessId: B1 };
  o['self'] = o;
  return o;
};
const nullPrototypeWithBigint = (): object => Object.assign(Object.create(null), { businessId: B1, limit: 10n });
const throwingProxy = (): object =>
  new Proxy(
    {},
    {
      ownKeys: () => {
        throw new Error('ownKeys exploded');
      },
      get: () => {
        throw new Error('get exploded');
      },
    },
  );
const hostileArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ withBigInt: true, withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true, maxDepth: 2 }),
  fc.constantFrom(NaN, Infinity, -1, 1.5, 2 ** 60, '', '\u0000', 'tel:+1', 'a-b', '%2D'),
  fc.string({ minLength: 129, maxLength: 2000 }),
  fc.constant(null).map(throwingGetter),
  fc.constant(null).map(cyclic),
  fc.constant(null).map(nullPrototypeWithBigint),
  fc.constant(null).map(throwingProxy),
  fc.constant(null).map(() => () => 'a function'),
  fc.constant(null).map(() => Symbol('s')),
);

/** A valid input with one field (top level or nested one step) replaced by a hostile value, or a hostile input whole. */
const hostileInputArb = (method: keyof MessageCenter): fc.Arbitrary<unknown> => {
  const base = VALID[method] ?? {};
  const keys = Object.keys(base);
  return fc.oneof(
    hostileArb,
    fc.tuple(fc.constantFrom(...keys, 'unexpectedKey'), hostileArb).map(([key, value]) => ({ ...base, [key]: value })),
    fc.tuple(fc.constantFrom(...keys), fc.string({ maxLength: 12 }), hostileArb).map(([key, inner, value]) => {
      const field = base[key];
      return { ...base, [key]: typeof field === 'object' && field !== null && !Array.isArray(field) ? { ...field, [inner]: value } : { [inner]: value } };
    }),
  );
};

const seeded = async (): Promise<World> => {
  const world = newWorld();
  await enableUs(world, B1, NUMBER);
  await ok(world.mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: 'ana', uid: 'A-1', name: 'Ana Lima', cellPhone: CLIENT_PHONE }));
  await ok(world.mc.sendMessage({ businessId: B1, clientId: 'ana', actor: dana, body: 'See you at 10' }));
  return world;
};

/** Calls a method with any value, as untyped JavaScript would. */
const callUntyped = (mc: MessageCenter, method: keyof MessageCenter, input: unknown): Promise<unknown> => {
  const f: unknown = mc[method];
  if (typeof f !== 'function') throw new Error(`${method} is not a method`);
  const task: unknown = Reflect.apply(f, mc, [input]);
  if (typeof task !== 'function') return Promise.resolve(task);
  return Promise.resolve(Reflect.apply(task, undefined, []));
};

const isEither = (u: unknown): u is { readonly _tag: 'Left'; readonly left: MessageCenterError } | { readonly _tag: 'Right'; readonly right: unknown } =>
  typeof u === 'object' && u !== null && '_tag' in u && (u._tag === 'Left' || u._tag === 'Right');

describe('the facade never throws (issue 11)', () => {
  test.prop([fc.constantFrom(...METHODS).chain((m) => fc.tuple(fc.constant(m), hostileInputArb(m)))], { numRuns: 300 })(
    'every command and query answers a hostile input with an Either, and a refusal appends nothing',
    async ([method, input]) => {
      const world = await seeded();
      const before = await globalLog(world.store);
      let answer: unknown;
      let thrown: unknown = null;
      try {
        answer = await callUntyped(world.mc, method, input);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeNull();
      expect(isEither(answer)).toBe(true);
      if (isEither(answer) && answer._tag === 'Left') {
        expect(typeof answer.left.code).toBe('string');
        expect((await globalLog(world.store)).length).toBe(before.length);
      }
    },
  );
});

describe('bounded, exact inputs (issue 11)', () => {
  const refusedAs = async (task: () => Promise<unknown>, world: World): Promise<string> => {
    const before = await globalLog(world.store);
    const answer = await task();
    expect((await globalLog(world.store)).length).toBe(before.length);
    if (!isEither(answer) || answer._tag !== 'Left') throw new Error(`expected a refusal, got ${JSON.stringify(answer)}`);
    return answer.left.code;
  };
  const inbound = (receivedAt: string) => ({ ...VALID.receiveInbound, receivedAt });

  it.each(['0001-01-01T00:00:00.000Z', '1999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'])('a webhook time of %s is refused', async (at) => {
    const world = await seeded();
    expect(await refusedAs(() => callUntyped(world.mc, 'receiveInbound', inbound(at)), world)).toBe('invalid-input');
  });

  it('a webhook time more than five minutes ahead of the clock is refused; one a minute ahead is taken', async () => {
    const world = await seeded();
    const ahead = (ms: number) => new Date(START + ms).toISOString();
    expect(await refusedAs(() => callUntyped(world.mc, 'receiveInbound', inbound(ahead(3_600_000))), world)).toBe('invalid-input');
    const taken = await callUntyped(world.mc, 'receiveInbound', inbound(ahead(60_000)));
    expect(isEither(taken) && taken._tag).toBe('Right');
  });

  it.each([
    ['recordClient', { ...VALID.recordClient, homeLocation: 'x'.repeat(100_000) }],
    ['recordClient', { ...VALID.recordClient, clientType: 'x'.repeat(100_000) }],
    ['recordClient', { ...VALID.recordClient, name: 'x'.repeat(100_000) }],
    ['recordClient', { ...VALID.recordClient, groups: Array.from({ length: 10_000 }, (_, i) => `g${i}`) }],
    ['recordDeliveryStatus', { ...VALID.recordDeliveryStatus, errorCode: 1.5 }],
    ['enableMessageCenter', { ...VALID.enableMessageCenter, allotment: { messagesPerPeriod: 10, overage: 'refuse', bonus: 5 } }],
    ['sendMessage', { ...VALID.sendMessage, priority: 'high' }],
    ['inbox', { ...VALID.inbox, search: 'x'.repeat(100_000) }],
    ['receiveInbound', { ...VALID.receiveInbound, body: 'x'.repeat(100_000) }],
    ['receiveInbound', { ...VALID.receiveInbound, media: Array.from({ length: 10_000 }, () => ({ url: 'https://example.com/a.jpg', contentType: 'image/jpeg' })) }],
    ['receiveInbound', { ...VALID.receiveInbound, media: [{ url: `https://example.com/${'a'.repeat(100_000)}`, contentType: 'image/jpeg' }] }],
  ] as const)('%s with an unbounded, fractional or unknown field is refused as invalid-input', async (method, input) => {
    const world = await seeded();
    expect(await refusedAs(() => callUntyped(world.mc, method, input), world)).toBe('invalid-input');
  });

  it('a throwing getter and a null-prototype object holding a bigint are refused, not thrown', async () => {
    const world = await seeded();
    expect(await refusedAs(() => callUntyped(world.mc, 'inbox', throwingGetter()), world)).toBe('invalid-input');
    expect(await refusedAs(() => callUntyped(world.mc, 'alerts', nullPrototypeWithBigint()), world)).toBe('invalid-input');
    expect(await refusedAs(() => callUntyped(world.mc, 'sendMessage', { ...VALID.sendMessage, actor: throwingProxy() }), world)).toBe('invalid-input');
  });

  it('a refused hostile send still leaves the valid one possible', async () => {
    const world = await seeded();
    await refusedAppendingNothing(world.store, world.mc.sendMessage({ businessId: B1, clientId: 'ana', actor: dana, body: 'x'.repeat(1601) }));
    await ok(world.mc.sendMessage({ businessId: B1, clientId: 'ana', actor: dana, body: 'ok' }));
  });
});
