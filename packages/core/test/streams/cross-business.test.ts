/**
 * The issue-11 reproduction (B0/R1, DESIGN §2 Streams): business `acme` has client `eu-7`; staff of business
 * `acme-eu` ask for client `7`. With ids joined by a bare `-` both named `mc-…-acme-eu-7`, so acme-eu's staff
 * read acme's client and wrote into acme's conversation. Every call here must answer for acme-eu alone:
 * not-found, nothing appended, and nothing of acme in the answer.
 */
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { BusinessId, ClientId, E164, type MessageCenterError } from '@message-center/core';
import { legacyStreamName } from '@message-center/core/internals';
import { adversarialIdArb } from '@message-center/testing';
import { HEAVY_TIMEOUT, heavyRuns } from '../heavy-property.js';
import { globalLog, must, newWorld, ok, staffOf, type World } from '../facade/support.js';

const ACME = must(BusinessId.is, 'acme');
const ACME_EU = must(BusinessId.is, 'acme-eu');
const ACME_NUMBER = must(E164.is, '+12015550123');
const ACME_EU_NUMBER = must(E164.is, '+12015550124');
const ACME_CLIENT_PHONE = must(E164.is, '+14155552671');
const ACME_SECRET = 'Your biopsy results are ready';

const host = (businessId: BusinessId) => ({ kind: 'host' as const, businessId });

/** acme with client eu-7 (Ann Secret) and a conversation with her; acme-eu enabled, with no client at all. */
const attacked = async (): Promise<World> => {
  const world = newWorld();
  await ok(world.mc.enableMessageCenter({ businessId: ACME, actor: host(ACME), country: 'US', number: ACME_NUMBER, allotment: { messagesPerPeriod: 1000, overage: 'refuse' } }));
  await ok(world.mc.enableMessageCenter({ businessId: ACME_EU, actor: host(ACME_EU), country: 'US', number: ACME_EU_NUMBER, allotment: { messagesPerPeriod: 1000, overage: 'refuse' } }));
  await ok(world.mc.recordClient({ businessId: ACME, actor: host(ACME), clientId: 'eu-7', uid: 'u-eu-7', name: 'Ann Secret', cellPhone: ACME_CLIENT_PHONE }));
  await ok(world.mc.sendMessage({ businessId: ACME, actor: staffOf(ACME, 'acme-staff'), clientId: 'eu-7', body: ACME_SECRET }));
  await ok(world.mc.receiveInbound({ to: ACME_NUMBER, from: ACME_CLIENT_PHONE, body: 'thanks', providerMessageId: 'SM-acme-1' }));
  return world;
};

const intruder = staffOf(ACME_EU, 'eu-staff');

/** Whatever a call answers (success or refusal), nothing of acme may be in it. */
const leaksNothing = (outcome: E.Either<MessageCenterError, unknown>): void => {
  const text = JSON.stringify(outcome, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  for (const secret of ['Ann Secret', ACME_CLIENT_PHONE, ACME_SECRET, 'thanks', 'u-eu-7']) expect(text).not.toContain(secret);
};

type Attack = (world: World) => Promise<E.Either<MessageCenterError, unknown>>;

const attacks: ReadonlyArray<readonly [string, Attack, ReadonlyArray<string>]> = [
  ['contactHistory', (w) => w.mc.contactHistory({ businessId: ACME_EU, viewer: intruder, clientId: '7' })(), ['client-not-found']],
  ['conversation', (w) => w.mc.conversation({ businessId: ACME_EU, viewer: intruder, conversationId: '7' })(), ['conversation-not-found']],
  ['sendMessage', (w) => w.mc.sendMessage({ businessId: ACME_EU, actor: intruder, clientId: '7', body: 'hello from acme-eu' })(), ['client-not-found']],
  ['markRead', (w) => w.mc.markRead({ businessId: ACME_EU, actor: intruder, conversationId: '7' })(), ['conversation-not-found']],
  ['archive', (w) => w.mc.archive({ businessId: ACME_EU, actor: intruder, conversationId: '7' })(), ['conversation-not-found']],
  ['mute', (w) => w.mc.mute({ businessId: ACME_EU, actor: intruder, conversationId: '7' })(), ['conversation-not-found']],
  ['pin', (w) => w.mc.pin({ businessId: ACME_EU, actor: intruder, conversationId: '7' })(), ['conversation-not-found']],
];

describe('B0/R1 look-alike ids: acme-eu asking for client 7 never reaches acme’s client eu-7', () => {
  for (const [name, attack, codes] of attacks)
    it(`B0/R1 ${name}: not found, nothing appended, nothing of acme returned, nothing sent`, async () => {
      const world = await attacked();
      const before = await globalLog(world.store);
      const sentBefore = world.transport.sent.length;
      const outcome = await attack(world);
      leaksNothing(outcome);
      expect(E.isLeft(outcome) ? outcome.left.code : 'success').toBeOneOf([...codes]);
      expect(await globalLog(world.store)).toEqual(before);
      expect(world.transport.sent.length).toBe(sentBefore);
      // acme still sees its conversation exactly as before.
      const view = await ok(world.mc.conversation({ businessId: ACME, viewer: staffOf(ACME, 'acme-staff'), conversationId: 'eu-7' }));
      expect(view).toMatchObject({ archived: false, muted: false, pinned: false, clientId: 'eu-7', phone: ACME_CLIENT_PHONE });
    });
});

/**
 * The same attack for any ids: parts of adversarial ids joined by a separator, split at two points, give
 * business A with client X and business B with client Y whose old stream names were one (A-X = B-Y).
 */
const lookAlikeArb = fc
  .tuple(fc.array(adversarialIdArb, { minLength: 3, maxLength: 5 }), fc.constantFrom('-', '-', '%', ':', '%2D'), fc.nat(), fc.nat())
  .map(([parts, separator, i, j]) => {
    const k1 = 1 + (i % (parts.length - 1));
    const k2 = 1 + (j % (parts.length - 1));
    const join = (p: ReadonlyArray<string>) => p.join(separator).slice(0, 128);
    return { a: join(parts.slice(0, k1)), x: join(parts.slice(k1)), b: join(parts.slice(0, k2)), y: join(parts.slice(k2)), separator };
  })
  .filter(
    (t): t is typeof t & { a: BusinessId; x: ClientId; b: BusinessId; y: ClientId } =>
      t.a !== t.b && BusinessId.is(t.a) && BusinessId.is(t.b) && ClientId.is(t.x) && ClientId.is(t.y),
  );

describe('B0/R1 look-alike ids, generated', () => {
  test.prop([lookAlikeArb], { numRuns: heavyRuns(40) })(
    'B0/R1 staff of B asking for Y never reach A’s client X, whatever the ids (separators, escapes, tel:, unicode, 128 characters)',
    async ({ a, x, b, y, separator }) => {
      const world = newWorld();
      const hostOf = (businessId: BusinessId) => ({ kind: 'host' as const, businessId });
      await ok(world.mc.enableMessageCenter({ businessId: a, actor: hostOf(a), country: 'US', number: ACME_NUMBER, allotment: { messagesPerPeriod: 1000, overage: 'refuse' } }));
      await ok(world.mc.enableMessageCenter({ businessId: b, actor: hostOf(b), country: 'US', number: ACME_EU_NUMBER, allotment: { messagesPerPeriod: 1000, overage: 'refuse' } }));
      await ok(world.mc.recordClient({ businessId: a, actor: hostOf(a), clientId: x, uid: 'u-eu-7', name: 'Ann Secret', cellPhone: ACME_CLIENT_PHONE }));
      await ok(world.mc.sendMessage({ businessId: a, actor: staffOf(a, 'staff-of-a'), clientId: x, body: ACME_SECRET }));
      const staffOfB = staffOf(b, 'staff-of-b');
      const calls: ReadonlyArray<() => Promise<E.Either<MessageCenterError, unknown>>> = [
        () => world.mc.contactHistory({ businessId: b, viewer: staffOfB, clientId: y })(),
        () => world.mc.conversation({ businessId: b, viewer: staffOfB, conversationId: y })(),
        () => world.mc.sendMessage({ businessId: b, actor: staffOfB, clientId: y, body: 'hello' })(),
        () => world.mc.markRead({ businessId: b, actor: staffOfB, conversationId: y })(),
        () => world.mc.archive({ businessId: b, actor: staffOfB, conversationId: y })(),
        () => world.mc.mute({ businessId: b, actor: staffOfB, conversationId: y })(),
        () => world.mc.pin({ businessId: b, actor: staffOfB, conversationId: y })(),
      ];
      const before = await globalLog(world.store);
      const sent = world.transport.sent.length;
      for (const call of calls) {
        const outcome = await call();
        leaksNothing(outcome);
        expect(E.isLeft(outcome) ? outcome.left.code : 'success').toBeOneOf(['client-not-found', 'conversation-not-found']);
      }
      expect(await globalLog(world.store)).toEqual(before);
      expect(world.transport.sent.length).toBe(sent);
      // Joined by "-" (and not cut at 128), the pair really is the defect's: one old stream name for both.
      if (separator === '-' && `${a}-${x}` === `${b}-${y}`)
        expect(legacyStreamName({ kind: 'conversation', businessId: a, conversationId: x })).toBe(legacyStreamName({ kind: 'conversation', businessId: b, conversationId: y }));
    },
    HEAVY_TIMEOUT,
  );
});
