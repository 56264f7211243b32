/**
 * B1–B4: the business aggregate, on the decider and through the facade on the in-memory store.
 */
import { fc, test } from '@fast-check/vitest';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect } from 'vitest';
import { E164, NonNegativeInt, type DomainErrorCode, PERMISSIONS } from '@message-center/core';
import {
  businessDecider,
  conversationStream,
  type BusinessCommand,
  type BusinessEvent,
} from '@message-center/core/internals';
import { mobileArb, staff, timestampArb } from '@message-center/testing';
import {
  GB_NUMBER_COUNTRIES,
  MC_COUNTRIES,
  OTHER_COUNTRIES,
  countryCode,
  foreignNumberArb,
  garbagePhoneArb,
  landlineArb,
  mcMobileArb,
  writtenIn,
  type LabelledNumber,
} from '../facade/phones.js';
import { B1, B2, clientId, enableUs, globalLog, must, newWorld, ok, refusedAppendingNothing, storedEvents } from '../facade/support.js';
import { HEAVY_TIMEOUT, heavyRuns } from '../heavy-property.js';

const includes = (list: ReadonlyArray<string>, value: string): boolean => list.includes(value);

type NumberCase = { readonly kind: 'valid'; readonly n: LabelledNumber } | { readonly kind: 'garbage'; readonly raw: string };

const numberCaseArb: fc.Arbitrary<NumberCase> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...MC_COUNTRIES).chain(mcMobileArb).map((n): NumberCase => ({ kind: 'valid', n })) },
  { weight: 3, arbitrary: foreignNumberArb.map((n): NumberCase => ({ kind: 'valid', n })) },
  { weight: 1, arbitrary: landlineArb.map((n): NumberCase => ({ kind: 'valid', n })) },
  { weight: 1, arbitrary: garbagePhoneArb.map((raw): NumberCase => ({ kind: 'garbage', raw })) },
);

/** A business country, a number, and the number as the host wrote it. */
const enableCaseArb = fc
  .record({
    business: fc.constantFrom(...MC_COUNTRIES, ...GB_NUMBER_COUNTRIES, ...OTHER_COUNTRIES),
    number: numberCaseArb,
  })
  .chain(({ business, number }) =>
    (number.kind === 'valid' ? writtenIn(number.n, business) : fc.constant(number.raw)).map((raw) => ({ business, number, raw })),
  );

type Expected = { readonly accepted: LabelledNumber } | { readonly code: DomainErrorCode };

/** B1, written out: the rule's two lists, the number's region, nothing else. */
const expectedEnable = (business: string, number: NumberCase): Expected => {
  const fullyAvailable = includes(MC_COUNTRIES, business);
  if (!fullyAvailable && !includes(GB_NUMBER_COUNTRIES, business)) return { code: 'country-not-supported' };
  if (number.kind === 'garbage') return { code: 'invalid-phone-number' };
  const allowed: ReadonlyArray<string> = fullyAvailable ? MC_COUNTRIES : ['GB'];
  return includes(allowed, number.n.region) ? { accepted: number.n } : { code: 'number-country-not-allowed' };
};

const allotment = { messagesPerPeriod: must(NonNegativeInt.is, 100), overage: 'refuse' as const };

const enableCommand = (business: string, raw: string, at: BusinessCommand['at'], individualReadStatus = false): BusinessCommand => ({
  type: 'EnableMessageCenter',
  businessId: B1,
  actor: { kind: 'host', businessId: B1 },
  country: countryCode(business),
  number: raw,
  // The account holds the number (issue 13's rule has tests of its own).
  heldByAccount: true,
  allotment,
  individualReadStatus,
  at,
});

describe('B1 enabling the Message Center', () => {
  test.prop([enableCaseArb, timestampArb, fc.boolean()], { numRuns: 300 })(
    'B1 enable is accepted exactly for US/CA/AU/GB businesses with a US/CA/AU/GB number and IE/IM/JE/GG with a GB number, stored as E.164',
    ({ business, number, raw }, at, individualReadStatus) => {
      const decision = businessDecider.decide(enableCommand(business, raw, at, individualReadStatus), businessDecider.initialState);
      const expected = expectedEnable(business, number);
      if ('code' in expected) {
        expect(E.isLeft(decision) ? decision.left.code : { decided: decision.right }).toBe(expected.code);
        return;
      }
      const event: BusinessEvent = {
        type: 'MessageCenterEnabled',
        data: {
          businessId: B1,
          country: countryCode(business),
          number: expected.accepted.e164,
          numberCountry: countryCode(expected.accepted.region),
          allotment,
          individualReadStatus,
          at,
        },
      };
      expect(decision).toEqual(E.right([event]));
    },
  );

  test.prop([fc.constantFrom(...MC_COUNTRIES).chain(mcMobileArb), enableCaseArb, timestampArb])(
    'B1 an enabled business cannot be enabled again (message-center-already-enabled, no event)',
    (number, second, at) => {
      const enabled = businessDecider.decide(enableCommand('US', number.e164, at), businessDecider.initialState);
      if (E.isLeft(enabled)) throw new Error(enabled.left.message);
      const state = businessDecider.fold(businessDecider.initialState, enabled.right);
      const again = businessDecider.decide(enableCommand(second.business, second.raw, at), state);
      expect(E.isLeft(again) ? again.left.code : again.right).toBe('message-center-already-enabled');
    },
  );

  test.prop([enableCaseArb], { numRuns: 30 })(
    'B1 via the facade: refusals append nothing and name the rule; an accepted number is returned and stored in E.164',
    async ({ business, number, raw }) => {
      const world = newWorld();
      const expected = expectedEnable(business, number);
      const call = world.mc.enableMessageCenter({ businessId: B1, actor: { kind: 'host', businessId: B1 }, country: business, number: raw, allotment: { messagesPerPeriod: 10, overage: 'refuse' } });
      if ('code' in expected) {
        const error = await refusedAppendingNothing(world.store, call);
        expect(error.code).toBe(expected.code);
        expect(error.message.length).toBeGreaterThan(0);
        return;
      }
      expect(await ok(call)).toEqual({ number: expected.accepted.e164 });
      // The number is claimed in its own stream first (one business per number), then the business enabled.
      const stored = (await storedEvents(world.store)).map((s) => s.event);
      expect(stored.map((e) => e.type)).toEqual(['NumberAssigned', 'MessageCenterEnabled']);
      expect(stored[1]?.type === 'MessageCenterEnabled' ? stored[1].data.number : null).toBe(expected.accepted.e164);
    },
  );
});

describe('B2 changing the number', () => {
  const changeCaseArb = fc
    .record({
      business: fc.constantFrom(...MC_COUNTRIES, ...GB_NUMBER_COUNTRIES),
      next: numberCaseArb,
    })
    .chain(({ business, next }) =>
      fc.record({
        business: fc.constant(business),
        current: mcMobileArb(includes(MC_COUNTRIES, business) ? 'US' : 'GB'),
        next: fc.constant(next),
        raw: next.kind === 'valid' ? writtenIn(next.n, business) : fc.constant(next.raw),
      }),
    );

  test.prop([changeCaseArb, timestampArb, timestampArb])(
    'B2 change number: the old number is retired and the new one stored in E.164 (same number: no event; B1 rules apply)',
    ({ business, current, next, raw }, enabledAt, at) => {
      const enabled = businessDecider.decide(enableCommand(business, current.e164, enabledAt), businessDecider.initialState);
      if (E.isLeft(enabled)) throw new Error(`fixture business refused: ${enabled.left.message}`);
      const state = businessDecider.fold(businessDecider.initialState, enabled.right);
      const decision = businessDecider.decide({ type: 'ChangeNumber', businessId: B1, actor: { kind: 'host', businessId: B1 }, number: raw, heldByAccount: true, at }, state);
      const expected = expectedEnable(business, next);
      if ('code' in expected) {
        expect(E.isLeft(decision) ? decision.left.code : { decided: decision.right }).toBe(expected.code);
        return;
      }
      if (expected.accepted.e164 === current.e164) {
        expect(decision).toEqual(E.right([]));
        return;
      }
      expect(decision).toEqual(
        E.right([
          {
            type: 'BusinessNumberChanged',
            data: { previousNumber: current.e164, number: expected.accepted.e164, numberCountry: countryCode(expected.accepted.region), at },
          },
        ]),
      );
      const after = businessDecider.fold(state, E.isRight(decision) ? decision.right : []);
      expect(after.enabled?.number).toBe(expected.accepted.e164);
      expect(after.enabled?.retiredNumbers).toContain(current.e164);
    },
  );

  test.prop([fc.string(), timestampArb])('B2 a business that is not enabled cannot change its number', (raw, at) => {
    const decision = businessDecider.decide({ type: 'ChangeNumber', businessId: B1, actor: { kind: 'host', businessId: B1 }, number: raw, heldByAccount: true, at }, businessDecider.initialState);
    expect(E.isLeft(decision) ? decision.left.code : decision.right).toBe('message-center-not-enabled');
  });

  const numbersArb = fc.uniqueArray(mobileArb('US'), { minLength: 4, maxLength: 4 }).chain((numbers) =>
    fc.record({ numbers: fc.constant(numbers), written: numbers[1] === undefined ? fc.constant('') : writtenIn({ e164: numbers[1], region: 'US', type: null }, 'US') }),
  );

  test.prop([numbersArb, fc.constantFrom('hello', 'STOP', 'are you open?')], { numRuns: 15 })(
    'B2 via the facade: inbound to the old number is number-retired with the global log unchanged, to the new one it lands; a number of another business is number-in-use',
    async ({ numbers, written }, body) => {
      const [oldNumber, newNumber, otherNumber, clientPhone] = numbers;
      if (oldNumber === undefined || newNumber === undefined || otherNumber === undefined || clientPhone === undefined) throw new Error('four numbers');
      const world = newWorld();
      await enableUs(world, B1, oldNumber);
      await enableUs(world, B2, otherNumber);
      await ok(world.mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: 'c1', uid: 'u1', name: 'Ann', cellPhone: clientPhone }));
      const first = await ok(world.mc.receiveInbound({ to: oldNumber, from: clientPhone, body, providerMessageId: 'SM-before' }));
      expect(first.conversationId).toBe('c1');

      // A number that is another business's current number cannot be taken, in any formatting.
      expect((await refusedAppendingNothing(world.store, world.mc.changeNumber({ businessId: B1, actor: { kind: 'host', businessId: B1 }, number: otherNumber }))).code).toBe('number-in-use');
      expect((await refusedAppendingNothing(world.store, world.mc.changeNumber({ businessId: B2, actor: { kind: 'host', businessId: B2 }, number: oldNumber }))).code).toBe('number-in-use');

      expect(await ok(world.mc.changeNumber({ businessId: B1, actor: { kind: 'host', businessId: B1 }, number: written }))).toEqual({ number: newNumber });

      const before = await globalLog(world.store);
      const retired = await refusedAppendingNothing(world.store, world.mc.receiveInbound({ to: oldNumber, from: clientPhone, body, providerMessageId: 'SM-after-old' }));
      expect(retired.code).toBe('number-retired');
      expect(await globalLog(world.store)).toEqual(before);

      const landed = await ok(world.mc.receiveInbound({ to: newNumber, from: clientPhone, body, providerMessageId: 'SM-after-new' }));
      expect(landed).toMatchObject({ businessId: B1, conversationId: 'c1', duplicate: false });
      const inbound = (await storedEvents(world.store)).filter((s) => s.recorded.streamId === conversationStream(B1, clientId('c1')) && s.event.type === 'InboundReceived');
      expect(inbound.map((s) => (s.event.type === 'InboundReceived' ? s.event.data.to : null))).toEqual([oldNumber, newNumber]);

      // Another business cannot take the new number either.
      expect((await refusedAppendingNothing(world.store, world.mc.enableMessageCenter({ businessId: 'b3', actor: { kind: 'host', businessId: 'b3' }, country: 'US', number: written, allotment: { messagesPerPeriod: 1, overage: 'refuse' } }))).code).toBe('number-in-use');
    },
  );
});

describe('B3 individual read status', () => {
  test.prop([fc.boolean(), fc.array(fc.boolean(), { maxLength: 20 }), timestampArb])(
    'B3 toggling individual read status emits ReadStatusModeChanged exactly when the setting changes',
    (initial, settings, at) => {
      const enabled = businessDecider.decide(enableCommand('US', '+12015550123', at, initial), businessDecider.initialState);
      if (E.isLeft(enabled)) throw new Error(enabled.left.message);
      let state = businessDecider.fold(businessDecider.initialState, enabled.right);
      let current = initial;
      for (const individual of settings) {
        const decision = businessDecider.decide({ type: 'SetIndividualReadStatus', businessId: B1, actor: { kind: 'host', businessId: B1 }, individual, at }, state);
        expect(decision).toEqual(E.right(individual === current ? [] : [{ type: 'ReadStatusModeChanged', data: { individual, at } }]));
        if (E.isRight(decision)) state = businessDecider.fold(state, decision.right);
        current = individual;
        expect(state.enabled?.individualReadStatus).toBe(current);
      }
    },
  );

  test.prop([fc.boolean(), timestampArb])('B3 a business that is not enabled cannot change the setting', (individual, at) => {
    const decision = businessDecider.decide({ type: 'SetIndividualReadStatus', businessId: B1, actor: { kind: 'host', businessId: B1 }, individual, at }, businessDecider.initialState);
    expect(E.isLeft(decision) ? decision.left.code : decision.right).toBe('message-center-not-enabled');
  });

  test.prop([fc.array(fc.boolean(), { maxLength: 12 })], { numRuns: 15 })(
    'B3 via the facade: setIndividualReadStatus appends one event per change and none otherwise (default off)',
    async (settings) => {
      const world = newWorld();
      await enableUs(world, B1, must(E164.is, '+12015550123'));
      let current = false;
      for (const individual of settings) {
        const before = (await globalLog(world.store)).length;
        await ok(world.mc.setIndividualReadStatus({ businessId: B1, actor: { kind: 'host', businessId: B1 }, individual }));
        expect((await globalLog(world.store)).length - before).toBe(individual === current ? 0 : 1);
        current = individual;
      }
    },
  );
});

describe('B4 plan allotment', () => {
  type Op = 'send' | 'inbound' | 'redeliver';
  const planRunArb = fc.record({
    limit: fc.integer({ min: 0, max: 5 }),
    overage: fc.constantFrom('refuse' as const, 'allow' as const),
    ops: fc.array(fc.constantFrom<Op>('send', 'send', 'inbound', 'redeliver'), { maxLength: 14 }),
    numbers: fc.uniqueArray(mobileArb('US'), { minLength: 2, maxLength: 2 }),
  });

  test.prop([planRunArb], { numRuns: heavyRuns(30) })(
    'B4 with allotment N every message counts 1; beyond N sends are allotment-exhausted (nothing appended) or, with overage allowed, sent and flagged overage; inbound is always recorded; usage reports the counts',
    async ({ limit, overage, ops, numbers }) => {
      const [businessNumber, clientPhone] = numbers;
      if (businessNumber === undefined || clientPhone === undefined) throw new Error('two numbers');
      const world = newWorld();
      await enableUs(world, B1, businessNumber, { messagesPerPeriod: limit, overage });
      await ok(world.mc.recordClient({ businessId: B1, actor: { kind: 'host', businessId: B1 }, clientId: 'c1', uid: 'u1', name: 'Ann', cellPhone: clientPhone }));
      const sender = staff('s1');
      let inbound = 0;
      let outbound = 0;
      let lastProviderId: string | null = null;
      for (const [i, op] of ops.entries()) {
        const used = inbound + outbound;
        if (op === 'send') {
          const call = world.mc.sendMessage({ businessId: B1, clientId: 'c1', actor: sender, body: `message ${i}` });
          if (used >= limit && overage === 'refuse') {
            const error = await refusedAppendingNothing(world.store, call);
            expect(error).toMatchObject({ code: 'allotment-exhausted', limit, used });
            continue;
          }
          const sent = await ok(call);
          outbound += 1;
          const recorded = (await storedEvents(world.store)).find((s) => s.event.type === 'OutboundSent' && s.event.data.messageId === sent.messageId);
          expect(recorded?.event.type === 'OutboundSent' ? recorded.event.data.overage : 'missing').toBe(used >= limit);
        } else if (op === 'inbound' || lastProviderId === null) {
          lastProviderId = `SM-${i}`;
          const received = await ok(world.mc.receiveInbound({ to: businessNumber, from: clientPhone, body: `reply ${i}`, providerMessageId: lastProviderId }));
          expect(received.duplicate).toBe(false);
          inbound += 1;
        } else {
          // A redelivered webhook is the same message: it is not counted again.
          const before = (await globalLog(world.store)).length;
          const received = await ok(world.mc.receiveInbound({ to: businessNumber, from: clientPhone, body: 'again', providerMessageId: lastProviderId }));
          expect(received.duplicate).toBe(true);
          expect((await globalLog(world.store)).length).toBe(before);
        }
        const usage = await ok(world.mc.usage({ businessId: B1, viewer: staff('s2', { permissions: [PERMISSIONS.manageMessageCenter] }) }));
        expect(usage).toMatchObject({ inbound, outbound, used: inbound + outbound, limit, overagePolicy: overage, period: '2026-03' });
      }
    },
    HEAVY_TIMEOUT,
  );
});
